// Kubernetes best practices about availability of multi-replica workloads: replica count,
// PodDisruptionBudget coverage, and spreading replicas over nodes.
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

RuleInfo practice(std::string id, std::string title, Severity severity) {
    return k8s_rule(std::move(id), std::move(title), severity, {"Deployment", "StatefulSet"});
}

std::vector<ComplianceRef> availability_compliance() { return {cref("gdpr", "Art. 32(1)(b)")}; }

// The pod of a workload that runs 2 or more replicas (effective_replicas), and that count.
struct Replicated {
    PodView pod;
    std::int64_t replicas = 0;
};
std::optional<Replicated> replicated(const Document& doc, const CheckContext& ctx) {
    auto pod = pod_view(doc);
    if (!pod) return std::nullopt;
    const auto replicas = effective_replicas(doc, ctx);
    if (!replicas || *replicas < 2) return std::nullopt;
    return Replicated{std::move(*pod), *replicas};
}

// ---------------------------------------------------------------------------------------------
class K8sReplicasRule final : public BasicRule {
public:
    K8sReplicasRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-REPLICAS-MIN", "Deployments and StatefulSets should run at least 2 replicas",
                              Severity::Medium);
        r.description = "A single replica means downtime on every rollout, node drain or crash. The count is "
                        "`spec.replicas` (default 1), or the `minReplicas` (default 1) of a "
                        "HorizontalPodAutoscaler of the same input that scales the workload. `replicas: 0` "
                        "(deliberately scaled down) is not reported.";
        r.remediation = "Set `spec.replicas: 2` or more (or an HPA with `minReplicas: 2`).";
        r.aliases = {"kube-score:deployment-replicas", "polaris:deploymentMissingReplicas",
                     "kube-linter:minimum-three-replicas"};
        r.compliance = availability_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        if (is_patch(doc) || get(doc.root, "spec") == nullptr) return;
        const auto replicas = effective_replicas(doc, ctx);
        if (!replicas || *replicas == 0 || *replicas >= 2) return;
        const yaml::Node* spec = get(doc.root, "spec");
        if (const Document* hpa = hpa_for(doc, ctx); hpa != nullptr) {
            out.report(doc, deepest(doc.root, {"spec"}),
                       doc.kind + " \"" + doc.name + "\" is scaled by HorizontalPodAutoscaler \"" + hpa->name +
                           "\" with minReplicas " + std::to_string(*replicas));
            return;
        }
        const yaml::Node* field = get(spec, "replicas");
        out.report(doc, field != nullptr ? field : deepest(doc.root, {"spec"}),
                   doc.kind + " \"" + doc.name + "\" runs " + std::to_string(*replicas) + " replica" +
                       (field == nullptr ? " (spec.replicas is not set)" : ""));
    }
};
COCONUT_REGISTER_RULE(K8sReplicasRule);

// ---------------------------------------------------------------------------------------------
class K8sPdbRule final : public BasicRule {
public:
    K8sPdbRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-PDB-MISSING", "Multi-replica workloads should have a PodDisruptionBudget",
                              Severity::Low);
        r.description = "Without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica "
                        "at once. Reported for Deployments and StatefulSets with 2 or more replicas (see "
                        "K8S-REPLICAS-MIN for how they are counted) when no PodDisruptionBudget of the same input "
                        "and namespace selects their pod template labels (matchLabels and matchExpressions). "
                        "The budget is expected next to the workload, so it is reported even when the input "
                        "has no PodDisruptionBudget at all.";
        r.remediation = "Add a `policy/v1` PodDisruptionBudget with `maxUnavailable: 1` (or a `minAvailable`) "
                        "whose selector matches the pod template labels.";
        r.aliases = {"kube-score:deployment-has-poddisruptionbudget",
                     "kube-score:statefulset-has-poddisruptionbudget", "polaris:missingPodDisruptionBudget"};
        r.compliance = availability_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        const auto w = replicated(doc, ctx);
        if (!w) return;
        for (const Document* pdb : namespace_peers(ctx, "PodDisruptionBudget", doc)) {
            if (label_selector_matches(get_path(pdb->root, {"spec", "selector"}), w->pod.labels())) return;
        }
        out.report(doc, nullptr,
                   doc.kind + " \"" + doc.name + "\" runs " + std::to_string(w->replicas) +
                       " replicas and no PodDisruptionBudget selects its pods");
    }
};
COCONUT_REGISTER_RULE(K8sPdbRule);

// ---------------------------------------------------------------------------------------------
class K8sAntiAffinityRule final : public BasicRule {
public:
    K8sAntiAffinityRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-ANTI-AFFINITY",
                              "Multi-replica workloads should spread replicas (anti-affinity or topology spread)",
                              Severity::Low);
        r.description = "Nothing stops the scheduler from packing every replica onto one node or zone, which "
                        "then takes the whole service down. Reported for Deployments and StatefulSets with 2 or "
                        "more replicas whose pod spec has neither `affinity.podAntiAffinity` (required or "
                        "preferred terms) nor `topologySpreadConstraints`.";
        r.remediation = "Add `topologySpreadConstraints` over `kubernetes.io/hostname` (and "
                        "`topology.kubernetes.io/zone`), or a preferred `podAntiAffinity` on the app's labels.";
        r.aliases = {"kube-linter:no-anti-affinity", "kube-score:deployment-has-host-podantiaffinity",
                     "kube-score:statefulset-has-host-podantiaffinity"};
        r.compliance = availability_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        const auto w = replicated(doc, ctx);
        if (!w) return;
        const PodView* pod = &w->pod;
        auto non_empty = [](const yaml::Node* n) {
            return n != nullptr && ((n->is_sequence() && !n->items.empty()) || (n->is_mapping() && !n->pairs.empty()));
        };
        const yaml::Node* anti = get_path(pod->spec, {"affinity", "podAntiAffinity"});
        if (non_empty(get(anti, "requiredDuringSchedulingIgnoredDuringExecution")) ||
            non_empty(get(anti, "preferredDuringSchedulingIgnoredDuringExecution")) ||
            non_empty(get(pod->spec, "topologySpreadConstraints")))
            return;
        out.report(doc, deepest(pod->parent, {"spec"}),
                   doc.kind + " \"" + doc.name + "\" runs " + std::to_string(w->replicas) +
                       " replicas without podAntiAffinity or topologySpreadConstraints");
    }
};
COCONUT_REGISTER_RULE(K8sAntiAffinityRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
