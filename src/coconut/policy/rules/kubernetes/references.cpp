// Kubernetes cross-document rules: objects that select or name other objects of the same input
// (`coconut check` run). A reference is only judged when the input contains objects of the
// referenced kind at all: a file of Services checked without its Deployments says nothing about
// them, and must not be flagged.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/kubernetes.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

struct Workload {
    const Document* doc;
    PodView pod;
};

// Every document of the input that runs pods (PodTemplates are not workloads); built once per run.
const std::vector<Workload>& workloads(const CheckContext& ctx) {
    return ctx.memo<std::vector<Workload>>("k8s.references.workloads", [&ctx] {
        std::vector<Workload> out;
        for (const Document& d : ctx.documents) {
            if (d.input != inputs::k_kubernetes || d.kind == "PodTemplate") continue;
            if (auto pod = pod_view(d)) out.push_back(Workload{&d, std::move(*pod)});
        }
        return out;
    });
}

// ---------------------------------------------------------------------------------------------
class K8sNetworkPolicyRule final : public BasicRule {
public:
    K8sNetworkPolicyRule() : BasicRule(make()) {}
    static RuleInfo make() {
        std::vector<std::string> kinds;
        for (const auto& k : pod_kinds())
            if (k != "PodTemplate") kinds.push_back(k);
        RuleInfo r = k8s_rule("K8S-NETWORK-POLICY", "Pods should be selected by a NetworkPolicy", Severity::Medium,
                              std::move(kinds));
        r.description = "Pods that no NetworkPolicy selects accept traffic from, and send it to, anything in the "
                        "cluster. Reported for every workload whose pod template labels no NetworkPolicy of "
                        "the same namespace selects (`spec.podSelector`: matchLabels and matchExpressions; an "
                        "empty selector selects every pod, so a namespace-wide default-deny policy covers all). "
                        "Only judged when the input contains at least one NetworkPolicy: inputs without any are "
                        "assumed to get their policies from elsewhere (a platform repository), and flagging "
                        "every workload there would be noise.";
        r.remediation = "Add a NetworkPolicy selecting the pods (or a default-deny policy with an empty "
                        "podSelector in the namespace) and allow only the traffic the service needs.";
        // Not kube-score's pod-networkpolicy nor Polaris' missingNetworkPolicy: both require policies
        // for ingress and egress.
        r.aliases = {"kube-linter:non-isolated-pod"};
        r.compliance = {cref("cis-k8s", "5.3.2"), cref("nsa", "Network separation: network policies"),
                        cref("soc2", "CC6.6"), cref("hipaa", "164.312(e)(1)"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        const auto& all_policies = ctx.of_kind("NetworkPolicy");
        const bool any = std::any_of(all_policies.begin(), all_policies.end(), [](const Document* d) { return !is_patch(*d); });
        for (const Document* np : namespace_peers(ctx, "NetworkPolicy", doc)) {
            const yaml::Node* selector = get_path(np->root, {"spec", "podSelector"});
            // podSelector is required; absent or {} both select every pod of the namespace.
            if (selector == nullptr || selector->is_null() || label_selector_matches(selector, pod->labels())) return;
        }
        if (!any) return;
        out.report(doc, deepest(pod->parent, {"metadata"}),
                   "no NetworkPolicy of the input selects the pods of " + doc.kind + " " + dq(doc.name));
    }
};
COCONUT_REGISTER_RULE(K8sNetworkPolicyRule);

// ---------------------------------------------------------------------------------------------
class K8sNetworkPolicyNoPodsRule final : public BasicRule {
public:
    K8sNetworkPolicyNoPodsRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-NETWORK-POLICY-NO-PODS", "NetworkPolicies should select a pod template of the input",
                              Severity::Low, {"NetworkPolicy"});
        r.description = "A NetworkPolicy whose `podSelector` matches no pod protects nothing, and the pods it was "
                        "written for stay open; usually a label was renamed on one side only. Reported when the "
                        "input contains workloads but none in the policy's namespace carries labels its "
                        "`podSelector` (matchLabels and matchExpressions) selects. An empty selector selects "
                        "every pod of the namespace.";
        r.remediation = "Fix `spec.podSelector` to match the labels of the workload's pod template, or delete the "
                        "policy.";
        r.aliases = {"kube-linter:dangling-networkpolicy", "kube-score:networkpolicy-targets-pod"};
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc)) return;
        const auto& all = workloads(ctx);
        if (all.empty()) return;
        const yaml::Node* selector = get_path(doc.root, {"spec", "podSelector"});
        const bool every_pod = selector == nullptr || selector->is_null();   // as the API server defaults it
        for (const auto& w : all)
            if (same_namespace(doc, *w.doc) && (every_pod || label_selector_matches(selector, w.pod.labels()))) return;
        out.report(doc, deepest(get(doc.root, "spec"), {"podSelector"}),
                   "the podSelector of NetworkPolicy " + dq(doc.name) + " matches no pod template in the input");
    }
};
COCONUT_REGISTER_RULE(K8sNetworkPolicyNoPodsRule);

// ---------------------------------------------------------------------------------------------
// Workloads whose pod template labels a Service's selector matches.
std::vector<Workload> selected_by(const Document& service, const std::vector<Workload>& all) {
    std::vector<Workload> out;
    const yaml::Node* selector = get_path(service.root, {"spec", "selector"});
    for (const auto& w : all)
        if (same_namespace(service, *w.doc) && map_selector_matches(selector, w.pod.labels())) out.push_back(w);
    return out;
}

bool selects_pods(const Document& service) {
    const yaml::Node* spec = get(service.root, "spec");
    if (get_str(spec, "type") == "ExternalName") return false;
    const yaml::Node* selector = get(spec, "selector");
    return selector != nullptr && selector->is_mapping() && !selector->pairs.empty();
}

class K8sServiceNoPodsRule final : public BasicRule {
public:
    K8sServiceNoPodsRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-SERVICE-NO-PODS", "Service selectors should match a pod template of the input",
                              Severity::Medium, {"Service"});
        r.description = "A Service whose selector matches no pod has no endpoints: every connection fails. "
                        "Usually a label was renamed on one side only. Reported for Services with a selector "
                        "(not ExternalName) when the input contains workloads but none in the namespace "
                        "carries all the selector's labels on its pod template.";
        r.remediation = "Make `spec.selector` a subset of the pod template labels of the intended workload.";
        // Not kube-linter's dangling-service: it also reports Services without a selector.
        r.aliases = {"kube-score:service-targets-pod"};
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc) || !selects_pods(doc)) return;
        const auto& all = workloads(ctx);
        if (all.empty() || !selected_by(doc, all).empty()) return;
        out.report(doc, deepest(get(doc.root, "spec"), {"selector"}),
                   "the selector of Service " + dq(doc.name) + " matches no pod template in the input");
    }
};
COCONUT_REGISTER_RULE(K8sServiceNoPodsRule);

// ---------------------------------------------------------------------------------------------
class K8sServiceTargetPortRule final : public BasicRule {
public:
    K8sServiceTargetPortRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-SERVICE-TARGET-PORT",
                              "A named targetPort must be a named container port of the selected pods",
                              Severity::Medium, {"Service"});
        r.description = "A Service port with a named `targetPort` forwards to the container port of that name; "
                        "when the selected containers declare no port with the name (ports without `name:`, or "
                        "a typo) the Service has no endpoints for that port. Reported when the Service selects "
                        "at least one pod template of the input and none of them names a container port so.";
        r.remediation = "Name the container port (`ports: [{name: http, containerPort: 8080}]`) or use the number "
                        "as `targetPort`.";
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc) || !selects_pods(doc)) return;
        const auto& ports = items(get(doc.root, "spec"), "ports");
        if (ports.empty()) return;
        const auto selected = selected_by(doc, workloads(ctx));
        if (selected.empty()) return;
        for (const yaml::Node* p : ports) {
            const yaml::Node* target = get(p, "targetPort");
            if (target == nullptr || !target->is_scalar() || target->is_null()) continue;
            if (get_int(p, "targetPort").has_value()) continue;   // a number, not a name
            const std::string_view name = target->text;
            bool found = false;
            for (const auto& w : selected) {
                for (const auto& c : w.pod.containers)
                    for (const yaml::Node* cp : items(c.node, "ports")) found = found || get_str(cp, "name") == name;
            }
            if (!found)
                out.report(doc, target,
                           "targetPort " + dq(name) + " of Service " + dq(doc.name) +
                               " names no container port of the selected pods");
        }
    }
};
COCONUT_REGISTER_RULE(K8sServiceTargetPortRule);

// ---------------------------------------------------------------------------------------------
class K8sHpaTargetRule final : public BasicRule {
public:
    K8sHpaTargetRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-HPA-TARGET-MISSING", "HorizontalPodAutoscalers should target an object of the input",
                              Severity::Medium, {"HorizontalPodAutoscaler"});
        r.description = "An HPA whose `scaleTargetRef` names no existing object scales nothing; usually the "
                        "workload was renamed. Reported when the input contains objects of the referenced kind "
                        "but none with that name in the namespace (when the kind is absent altogether the "
                        "target is assumed to live elsewhere).";
        r.remediation = "Fix `spec.scaleTargetRef` (kind, name, apiVersion) to name the workload, or delete the HPA.";
        r.aliases = {"kube-linter:dangling-horizontalpodautoscaler", "kube-score:horizontalpodautoscaler-has-target"};
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc)) return;
        const yaml::Node* ref = get_path(doc.root, {"spec", "scaleTargetRef"});
        const std::string_view kind = get_str(ref, "kind");
        const std::string_view name = get_str(ref, "name");
        if (kind.empty() || name.empty()) return;
        const auto& of_kind = ctx.of_kind(kind);
        if (std::none_of(of_kind.begin(), of_kind.end(), [](const Document* d) { return !is_patch(*d); })) return;
        for (const Document* d : named(ctx, std::string(kind), std::string(name)))
            if (!is_patch(*d) && same_namespace(doc, *d)) return;
        out.report(doc, get(ref, "name"),
                   "HorizontalPodAutoscaler " + dq(doc.name) + " targets " + std::string(kind) + " " +
                       dq(name) + ", which is not in the input");
    }
};
COCONUT_REGISTER_RULE(K8sHpaTargetRule);

// ---------------------------------------------------------------------------------------------
class K8sIngressServiceRule final : public BasicRule {
public:
    K8sIngressServiceRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-INGRESS-NO-SERVICE", "Ingress backends should name a Service and port of the input",
                              Severity::Medium, {"Ingress"});
        r.description = "An Ingress backend naming a Service that does not exist, or a port the Service does not "
                        "expose, answers 503. Checks `defaultBackend` and every `rules[*].http.paths[*].backend` "
                        "(`service.name` with `port.number`/`port.name`, and the v1beta1 "
                        "`serviceName`/`servicePort`). Reported when the input contains Services but none of that "
                        "name in the namespace, or when the named Service exposes no such port.";
        r.remediation = "Point the backend at an existing Service and one of its `spec.ports` (by `port` number or "
                        "`name`).";
        r.aliases = {"kube-linter:dangling-ingress", "kube-score:ingress-targets-service"};
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc)) return;
        const auto& services = ctx.of_kind("Service");
        if (std::none_of(services.begin(), services.end(), [](const Document* d) { return !is_patch(*d); })) return;
        const yaml::Node* spec = get(doc.root, "spec");
        check_backend(doc, ctx, get(spec, "defaultBackend"), out);
        check_backend(doc, ctx, get(spec, "backend"), out);
        for (const yaml::Node* rule : items(spec, "rules"))
            for (const yaml::Node* p : items(get(rule, "http"), "paths"))
                check_backend(doc, ctx, get(p, "backend"), out);
    }

private:
    static void check_backend(const Document& doc, const CheckContext& ctx, const yaml::Node* backend,
                              Reporter& out) {
        if (backend == nullptr || !backend->is_mapping()) return;
        const yaml::Node* name_node = get_path(backend, {"service", "name"});
        const yaml::Node* port_node = get_path(backend, {"service", "port"});
        if (name_node == nullptr) {   // networking.k8s.io/v1beta1, extensions/v1beta1
            name_node = get(backend, "serviceName");
            port_node = get(backend, "servicePort");
        }
        const std::string_view name = scalar_text(name_node);
        if (name.empty()) return;   // a resource backend
        const Document* service = nullptr;
        for (const Document* s : named(ctx, "Service", std::string(name)))
            if (!is_patch(*s) && same_namespace(doc, *s)) service = s;
        if (service == nullptr) {
            out.report(doc, name_node, "Ingress " + dq(doc.name) + " routes to Service " + dq(name) +
                                           ", which is not in the input");
            return;
        }
        // The port: {number: N} / {name: x} (v1) or a scalar (v1beta1).
        const yaml::Node* at = port_node;
        std::string_view port_name;
        std::optional<std::int64_t> port_number;
        if (port_node != nullptr && port_node->is_mapping()) {
            port_number = get_int(port_node, "number");
            port_name = get_str(port_node, "name");
            at = port_number ? get(port_node, "number") : get(port_node, "name");
        } else if (port_node != nullptr && port_node->is_scalar()) {
            port_number = yaml::as_int(*port_node, yaml::Dialect::Kubernetes);
            if (!port_number) port_name = scalar_text(port_node);
        }
        if (!port_number && port_name.empty()) return;
        for (const yaml::Node* sp : items(get(service->root, "spec"), "ports")) {
            if (port_number && get_int(sp, "port") == *port_number) return;
            if (!port_name.empty() && get_str(sp, "name") == port_name) return;
        }
        out.report(doc, at != nullptr ? at : name_node,
                   "Ingress " + dq(doc.name) + " routes to port " +
                       (port_number ? std::to_string(*port_number) : dq(port_name)) + " of Service " +
                       dq(name) + ", which exposes no such port");
    }
};
COCONUT_REGISTER_RULE(K8sIngressServiceRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
