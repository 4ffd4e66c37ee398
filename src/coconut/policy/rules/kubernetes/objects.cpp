// Kubernetes rules about whole objects: removed/deprecated API versions, the default namespace,
// and the automatically mounted service account token.
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

// ---------------------------------------------------------------------------------------------
// From the Kubernetes deprecated API migration guide: the API version that stops being served,
// for which kinds ("*": every kind of that group version), its replacement and the release that
// removed it.
struct Deprecation {
    std::string_view api_version;
    std::string_view kind;          // "*" for every kind
    std::string_view replacement;   // empty: no replacement
    std::string_view removed_in;
};

constexpr Deprecation k_deprecations[] = {
    {"extensions/v1beta1", "Deployment", "apps/v1", "v1.16"},
    {"extensions/v1beta1", "DaemonSet", "apps/v1", "v1.16"},
    {"extensions/v1beta1", "ReplicaSet", "apps/v1", "v1.16"},
    {"extensions/v1beta1", "NetworkPolicy", "networking.k8s.io/v1", "v1.16"},
    {"extensions/v1beta1", "PodSecurityPolicy", "", "v1.16 (policy/v1beta1 itself was removed in v1.25)"},
    {"extensions/v1beta1", "Ingress", "networking.k8s.io/v1", "v1.22"},
    {"apps/v1beta1", "*", "apps/v1", "v1.16"},
    {"apps/v1beta2", "*", "apps/v1", "v1.16"},
    {"networking.k8s.io/v1beta1", "Ingress", "networking.k8s.io/v1", "v1.22"},
    {"networking.k8s.io/v1beta1", "IngressClass", "networking.k8s.io/v1", "v1.22"},
    {"rbac.authorization.k8s.io/v1beta1", "*", "rbac.authorization.k8s.io/v1", "v1.22"},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "v1.22"},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "v1.22"},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "apiextensions.k8s.io/v1", "v1.22"},
    {"apiregistration.k8s.io/v1beta1", "APIService", "apiregistration.k8s.io/v1", "v1.22"},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", "certificates.k8s.io/v1", "v1.22"},
    {"coordination.k8s.io/v1beta1", "Lease", "coordination.k8s.io/v1", "v1.22"},
    {"scheduling.k8s.io/v1beta1", "PriorityClass", "scheduling.k8s.io/v1", "v1.22"},
    {"storage.k8s.io/v1beta1", "CSIDriver", "storage.k8s.io/v1", "v1.22"},
    {"storage.k8s.io/v1beta1", "CSINode", "storage.k8s.io/v1", "v1.22"},
    {"storage.k8s.io/v1beta1", "StorageClass", "storage.k8s.io/v1", "v1.22"},
    {"storage.k8s.io/v1beta1", "VolumeAttachment", "storage.k8s.io/v1", "v1.22"},
    {"batch/v1beta1", "CronJob", "batch/v1", "v1.25"},
    {"discovery.k8s.io/v1beta1", "EndpointSlice", "discovery.k8s.io/v1", "v1.25"},
    {"events.k8s.io/v1beta1", "Event", "events.k8s.io/v1", "v1.25"},
    {"autoscaling/v2beta1", "HorizontalPodAutoscaler", "autoscaling/v2", "v1.25"},
    {"policy/v1beta1", "PodDisruptionBudget", "policy/v1", "v1.25"},
    {"policy/v1beta1", "PodSecurityPolicy", "", "v1.25"},
    {"node.k8s.io/v1beta1", "RuntimeClass", "node.k8s.io/v1", "v1.25"},
    {"autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2", "v1.26"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "*", "flowcontrol.apiserver.k8s.io/v1", "v1.26"},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1", "v1.27"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "*", "flowcontrol.apiserver.k8s.io/v1", "v1.29"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "*", "flowcontrol.apiserver.k8s.io/v1", "v1.32"},
};

class K8sDeprecatedApiRule final : public BasicRule {
public:
    K8sDeprecatedApiRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-DEPRECATED-API", "Objects must not use removed API versions", Severity::High, {});
        r.description = "API versions removed from Kubernetes are rejected by the API server (`no matches for "
                        "kind`), so the manifest stops applying after a cluster upgrade. Covers the removals of "
                        "the deprecation guide: extensions/v1beta1 and apps/v1beta1/v1beta2 workloads (v1.16), "
                        "networking.k8s.io/v1beta1 and extensions/v1beta1 Ingress, rbac/admissionregistration/"
                        "apiextensions/apiregistration/certificates/coordination/scheduling/storage v1beta1 "
                        "(v1.22), batch/v1beta1 CronJob, policy/v1beta1 PodDisruptionBudget and "
                        "PodSecurityPolicy, autoscaling/v2beta1, discovery/events/node v1beta1 (v1.25), "
                        "autoscaling/v2beta2 and flowcontrol v1beta1 (v1.26), CSIStorageCapacity v1beta1 "
                        "(v1.27), flowcontrol v1beta2 (v1.29) and v1beta3 (v1.32). The finding names the "
                        "replacement.";
        r.remediation = "Change `apiVersion` to the replacement (and migrate the fields that changed, e.g. "
                        "Ingress `backend.service`); PodSecurityPolicy has no replacement: use Pod Security "
                        "Admission namespace labels.";
        // No alias: kube-score's stable-version and kube-linter's no-extensions-v1beta each report a
        // smaller set of API versions.
        r.no_compliance_reason = "API lifecycle hygiene; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const auto& d : k_deprecations) {
            if (doc.api_version != d.api_version || (d.kind != "*" && doc.kind != d.kind)) continue;
            std::string msg = doc.kind + " uses " + doc.api_version + ", removed in Kubernetes " +
                              std::string(d.removed_in) + "; ";
            msg += d.replacement.empty() ? std::string("there is no replacement")
                                         : "use " + std::string(d.replacement);
            out.report(doc, get(doc.root, "apiVersion"), std::move(msg));
            return;
        }
    }
};
COCONUT_REGISTER_RULE(K8sDeprecatedApiRule);

// ---------------------------------------------------------------------------------------------
class K8sDefaultNamespaceRule final : public BasicRule {
public:
    K8sDefaultNamespaceRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-DEFAULT-NAMESPACE", "Objects should not be placed in the default namespace",
                              Severity::Low, {});
        r.description = "The `default` namespace has no resource quotas, Pod Security labels or NetworkPolicies "
                        "of its own, and everything unqualified lands there, so workloads in it are hard to "
                        "isolate. Reported when `metadata.namespace` is explicitly `default`. Objects without a "
                        "namespace are not reported: the namespace is then chosen at apply time (`kubectl -n`, "
                        "kustomize `namespace:`, Helm `--namespace`), which is the usual practice for reusable "
                        "manifests.";
        r.remediation = "Create a namespace for the application and set it (or leave `metadata.namespace` unset "
                        "and choose it at apply time).";
        // No alias: Checkov's CKV_K8S_21 and kube-linter's use-namespace also report objects without
        // a namespace.
        r.compliance = {cref("cis-k8s", "5.7.4"), cref("nsa", "Network separation: namespaces"),
                        cref("soc2", "CC6.1")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        const yaml::Node* ns = get_path(doc.root, {"metadata", "namespace"});
        if (scalar_text(ns) != "default") return;
        out.report(doc, ns, doc.kind + " " + dq(doc.name) + " is placed in the default namespace");
    }
};
COCONUT_REGISTER_RULE(K8sDefaultNamespaceRule);

// ---------------------------------------------------------------------------------------------
class K8sAutomountTokenRule final : public BasicRule {
public:
    K8sAutomountTokenRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-AUTOMOUNT-SA-TOKEN", "Pods should not mount a service account token they do not need",
                     Severity::Medium, pod_kinds());
        r.description = "By default every pod gets a token of its service account mounted; anyone who gets code "
                        "execution in any container can then call the API server with it. Reported when the pod "
                        "spec does not set `automountServiceAccountToken: false` — unless it leaves the field "
                        "unset and the ServiceAccount it runs as (`serviceAccountName`, default `default`) is in "
                        "the input with `automountServiceAccountToken: false`, which the pod then inherits.";
        r.remediation = "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount); "
                        "pods that call the API should mount a projected token explicitly.";
        r.aliases = {"checkov:CKV_K8S_38", "polaris:automountServiceAccountToken"};
        r.compliance = {cref("cis-k8s", "5.1.6"), cref("nsa", "Pod security: protecting pod service account tokens"),
                        cref("soc2", "CC6.1"), cref("hipaa", "164.312(a)(1)"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        const auto value = get_bool(pod->spec, "automountServiceAccountToken");
        if (value == false) return;
        if (value == true) {
            out.report(doc, get(pod->spec, "automountServiceAccountToken"),
                       "the pod of " + doc.kind + " " + dq(doc.name) + " sets automountServiceAccountToken: true");
            return;
        }
        std::string_view account = get_str(pod->spec, "serviceAccountName");
        if (account.empty()) account = get_str(pod->spec, "serviceAccount");
        if (account.empty()) account = "default";
        for (const Document* sa : ctx.of_kind("ServiceAccount")) {
            if (is_patch(*sa) || sa->name != account || !same_namespace(doc, *sa)) continue;
            if (get_bool(sa->root, "automountServiceAccountToken") == false) return;
        }
        out.report(doc, deepest(pod->parent, {"spec"}),
                   "the pod of " + doc.kind + " " + dq(doc.name) + " mounts the token of service account " +
                       dq(account) + " (automountServiceAccountToken is not false)");
    }
};
COCONUT_REGISTER_RULE(K8sAutomountTokenRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
