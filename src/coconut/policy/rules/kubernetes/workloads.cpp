// Kubernetes rules about single workload objects: selectors that miss their own pod template, Job
// clean-up, software that should not run in an application cluster (the Kubernetes dashboard, Helm
// 2's Tiller), ingress-nginx configuration snippets and OpenShift SecurityContextConstraints.
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

// ---------------------------------------------------------------------------------------------
// Where a missing or empty selector is reported: the `selector` key when present, else `spec`.
const yaml::Node* no_selector_at(const Document& doc, const yaml::Node* spec) {
    if (const yaml::Node* key = spec != nullptr ? spec->find_key("selector") : nullptr) return key;
    return deepest(doc.root, {"spec"});
}

class K8sSelectorMismatchRule final : public BasicRule {
public:
    K8sSelectorMismatchRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-SELECTOR-MISMATCH", "Workload selectors must match their own pod template", Severity::High,
                     {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "DeploymentConfig", "Job", "CronJob"});
        r.description =
            "A controller manages the pods its `selector` matches; when the selector does not match "
            "the labels of its own pod template the API server rejects the object, and a selector "
            "changed on one side only is the usual cause. Reported for Deployments, StatefulSets, "
            "DaemonSets, ReplicaSets and DeploymentConfigs with no selector (`matchLabels` and "
            "`matchExpressions` both empty; a DeploymentConfig's selector is a plain label map), and "
            "for those and Jobs/CronJobs (whose selector is optional) whose selector does not match "
            "the pod template's labels.";
        r.remediation =
            "Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels` (and never "
            "change the selector of an existing workload: it is immutable).";
        r.aliases = {"kube-linter:mismatching-selector"};
        r.no_compliance_reason = "manifest validity; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        const bool job = doc.kind == "Job" || doc.kind == "CronJob";
        const yaml::Node* spec =
            doc.kind == "CronJob" ? get_path(doc.root, {"spec", "jobTemplate", "spec"}) : get(doc.root, "spec");
        const yaml::Node* selector = get(spec, "selector");
        bool matches = false;
        if (doc.kind == "DeploymentConfig") {
            if (selector == nullptr || !selector->is_mapping() || selector->pairs.empty()) {
                out.report(doc, no_selector_at(doc, spec), doc.kind + " " + dq(doc.name) + " has no selector");
                return;
            }
            matches = map_selector_matches(selector, pod->labels());
        } else {
            const bool empty =
                selector == nullptr || !selector->is_mapping() ||
                (items(selector, "matchExpressions").empty() &&
                 (get(selector, "matchLabels") == nullptr || !get(selector, "matchLabels")->is_mapping() ||
                  get(selector, "matchLabels")->pairs.empty()));
            if (empty) {
                if (!job)
                    out.report(doc, no_selector_at(doc, spec), doc.kind + " " + dq(doc.name) + " has no selector");
                return;
            }
            matches = label_selector_matches(selector, pod->labels());
        }
        if (!matches)
            out.report(
                doc, deepest(spec, {"selector"}),
                "the selector of " + doc.kind + " " + dq(doc.name) + " does not match its pod template's labels");
    }
};
COCONUT_REGISTER_RULE(K8sSelectorMismatchRule);

// ---------------------------------------------------------------------------------------------
class K8sJobTtlRule final : public BasicRule {
public:
    K8sJobTtlRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-JOB-TTL", "Jobs should be cleaned up after they finish", Severity::Low, {"Job", "CronJob"});
        r.description =
            "A finished Job and its pods stay in the cluster until someone deletes them. A standalone "
            "Job should set `spec.ttlSecondsAfterFinished`; the Jobs of a CronJob are cleaned up by "
            "its `successfulJobsHistoryLimit`/`failedJobsHistoryLimit`, and a "
            "`ttlSecondsAfterFinished` in its job template competes with them (the stricter wins). "
            "Reported for a Job without `ttlSecondsAfterFinished` and for a CronJob whose "
            "`jobTemplate.spec` sets it.";
        r.remediation =
            "Set `spec.ttlSecondsAfterFinished` on standalone Jobs; on CronJobs use the history limits "
            "instead.";
        r.aliases = {"kube-linter:job-ttl-seconds-after-finished"};
        r.no_compliance_reason = "resource hygiene; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        if (doc.kind == "Job") {
            const yaml::Node* spec = get(doc.root, "spec");
            if (spec == nullptr || is_set(get(spec, "ttlSecondsAfterFinished"))) return;
            out.report(doc, deepest(doc.root, {"spec"}),
                       "Job " + dq(doc.name) + " does not set ttlSecondsAfterFinished");
            return;
        }
        const yaml::Node* ttl = get_path(doc.root, {"spec", "jobTemplate", "spec", "ttlSecondsAfterFinished"});
        if (is_set(ttl))
            out.report(doc, ttl,
                       "CronJob " + dq(doc.name) +
                           " sets ttlSecondsAfterFinished in its job template; use the "
                           "history limits");
    }
};
COCONUT_REGISTER_RULE(K8sJobTtlRule);

// ---------------------------------------------------------------------------------------------
// Software that has no place in an application's manifests, recognised by image and labels: one
// rule class, one table row per product.
struct LabelMatch {
    const char* key;
    const char* value;
    const char* unless_key = nullptr;  // not looked at when the pod has this label (Checkov's order)
};
struct UnwantedSoftware {
    const char* id;
    const char* title;
    Severity severity;
    const char* description;
    const char* remediation;
    const char* alias;
    std::vector<std::string_view> image_needles;  // an image containing one of these
    std::vector<LabelMatch> labels;
    const char* product;                          // "the Kubernetes dashboard", "Tiller"
};

template <const UnwantedSoftware& T>
class UnwantedSoftwareRule final : public BasicRule {
public:
    UnwantedSoftwareRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule(T.id, T.title, T.severity, pod_kinds());
        r.description = T.description;
        r.remediation = T.remediation;
        r.aliases = {T.alias};
        r.compliance = {cref("nsa", "Authentication and authorization: least privilege"), cref("soc2", "CC6.1"),
                        cref("soc2", "CC6.8")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            if (c.kind == ContainerKind::Ephemeral) continue;
            const std::string_view image = get_str(c.node, "image");
            for (const auto needle : T.image_needles)
                if (image.find(needle) != std::string_view::npos) {
                    out.report(doc, get(c.node, "image"),
                               c.label() + " runs " + T.product + " (" + std::string(image) + ")");
                    return;
                }
        }
        const yaml::Node* labels = pod->labels();
        for (const auto& m : T.labels) {
            if (m.unless_key && get(labels, m.unless_key) != nullptr) continue;
            if (get_str(labels, m.key) != m.value) continue;
            out.report(doc, get(labels, m.key),
                       doc.kind + " " + dq(doc.name) + " is labelled as " + T.product + " (" + m.key + ": " +
                           m.value + ")");
            return;
        }
    }
};

const UnwantedSoftware k_dashboard{
    "K8S-DASHBOARD", "The Kubernetes dashboard should not be deployed", Severity::Medium,
    "The Kubernetes dashboard is a web UI with the permissions of its service account; exposed "
    "or over-privileged, it has been the entry point of cluster takeovers (cryptomining on "
    "clusters whose dashboard needed no login). Reported for a workload with a container or "
    "init container whose image contains `kubernetes-dashboard` or `kubernetesui`, or whose "
    "pod labels say `app: kubernetes-dashboard` (or, without an `app` label, "
    "`k8s-app: kubernetes-dashboard`).",
    "Remove the dashboard; use `kubectl`, a local UI with the user's own credentials, or the "
    "cloud provider's console.",
    "checkov:CKV_K8S_33",
    {"kubernetes-dashboard", "kubernetesui"},
    {{"app", "kubernetes-dashboard"}, {"k8s-app", "kubernetes-dashboard", "app"}},
    "the Kubernetes dashboard"};
using K8sDashboardRule = UnwantedSoftwareRule<k_dashboard>;
COCONUT_REGISTER_RULE(K8sDashboardRule);

const UnwantedSoftware k_tiller{
    "K8S-TILLER", "Helm 2's Tiller should not be deployed", Severity::High,
    "Tiller, the in-cluster server of Helm 2 (end of life since 2020), runs with cluster-admin "
    "rights and by default accepts unauthenticated gRPC from any pod. Reported for a workload "
    "with a container or init container whose image contains `tiller`, or whose pod labels say "
    "`app: helm` or `name: tiller`.",
    "Migrate the releases to Helm 3 (`helm 2to3`), which needs no in-cluster component, and "
    "delete Tiller.",
    "checkov:CKV_K8S_34",
    {"tiller"},
    {{"app", "helm"}, {"name", "tiller"}},
    "Tiller"};
using K8sTillerRule = UnwantedSoftwareRule<k_tiller>;
COCONUT_REGISTER_RULE(K8sTillerRule);

class K8sTillerServiceRule final : public BasicRule {
public:
    K8sTillerServiceRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-TILLER-SERVICE", "Services should not expose Helm 2's Tiller", Severity::High, {"Service"});
        r.description =
            "A Service in front of Tiller makes its unauthenticated gRPC port (cluster-admin rights) "
            "reachable from every pod, or from outside. Reported for a Service whose name, one of "
            "whose label values or one of whose selector values contains `tiller` (case-insensitive).";
        r.remediation = "Delete the Service (and Tiller: migrate to Helm 3).";
        r.aliases = {"checkov:CKV_K8S_44"};
        r.compliance = {cref("nsa", "Authentication and authorization: least privilege"), cref("soc2", "CC6.1"),
                        cref("soc2", "CC6.6")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        auto tiller = [](std::string_view s) { return util::to_lower(s).find("tiller") != std::string::npos; };
        const yaml::Node* at = nullptr;
        if (tiller(doc.name)) at = get_path(doc.root, {"metadata", "name"});
        for (const yaml::Node* map :
             {get_path(doc.root, {"metadata", "labels"}), get_path(doc.root, {"spec", "selector"})})
            if (at == nullptr && map != nullptr && map->is_mapping())
                for (const auto& p : map->pairs)
                    if (at == nullptr && tiller(scalar_text(p.value))) at = p.value;
        if (at != nullptr) out.report(doc, at, "Service " + dq(doc.name) + " exposes Tiller");
    }
};
COCONUT_REGISTER_RULE(K8sTillerServiceRule);

// ---------------------------------------------------------------------------------------------
class K8sNginxSnippetRule final : public BasicRule {
public:
    K8sNginxSnippetRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-NGINX-SNIPPET", "Ingresses should not inject NGINX configuration snippets",
                              Severity::High, {"Ingress"});
        r.description =
            "ingress-nginx copies `*-snippet` annotations (`configuration-snippet`, `server-snippet`, "
            "`auth-snippet`, ...) verbatim into the shared NGINX configuration: whoever can edit an "
            "Ingress can read the controller's service account token and every Secret it sees "
            "(CVE-2021-25742) or break routing for all tenants. Reported for every annotation of an "
            "Ingress whose key contains `snippet`.";
        r.remediation =
            "Express the behaviour with the controller's dedicated annotations, or in the controller's "
            "own ConfigMap maintained by the platform team; keep `allow-snippet-annotations: false`.";
        r.aliases = {"checkov:CKV_K8S_153"};
        r.compliance = {cref("nsa", "Network separation: network policies"), cref("soc2", "CC6.1"),
                        cref("soc2", "CC6.6")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        const yaml::Node* annotations = get_path(doc.root, {"metadata", "annotations"});
        if (annotations == nullptr || !annotations->is_mapping()) return;
        for (const auto& p : annotations->pairs)
            if (p.key->text.find("snippet") != std::string::npos)
                out.report(doc, p.key, "Ingress " + dq(doc.name) + " sets the snippet annotation " + p.key->text);
    }
};
COCONUT_REGISTER_RULE(K8sNginxSnippetRule);

// ---------------------------------------------------------------------------------------------
class K8sSccPrivilegedRule final : public BasicRule {
public:
    K8sSccPrivilegedRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-SCC-PRIVILEGED", "SecurityContextConstraints must not allow privileged containers",
                              Severity::High, {"SecurityContextConstraints"});
        r.description =
            "An OpenShift SecurityContextConstraints with `allowPrivilegedContainer: true` admits "
            "privileged containers for every user and service account it applies to: full access to "
            "the node. Reported when the field is `true`.";
        r.remediation =
            "Set `allowPrivilegedContainer: false` and grant the specific capabilities the workload "
            "needs in `allowedCapabilities`.";
        r.aliases = {"kube-linter:scc-deny-privileged-container"};
        r.compliance = isolation_compliance({"5.2.2"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc) || get_bool(doc.root, "allowPrivilegedContainer") != true) return;
        out.report(doc, get(doc.root, "allowPrivilegedContainer"),
                   "SecurityContextConstraints " + dq(doc.name) + " allows privileged containers");
    }
};
COCONUT_REGISTER_RULE(K8sSccPrivilegedRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
