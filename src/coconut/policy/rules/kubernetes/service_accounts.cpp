// Kubernetes rules about the service account a pod runs as: the namespace's `default` account, the
// deprecated `serviceAccount` field, accounts missing from the input, and the `default`
// ServiceAccount itself.
#include <algorithm>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

// The account a pod spec names: serviceAccountName, else the deprecated serviceAccount ("" when
// neither is set) — as the API server fills one from the other.
std::string_view account_of(const PodView& pod) {
    const std::string_view name = get_str(pod.spec, "serviceAccountName");
    return name.empty() ? get_str(pod.spec, "serviceAccount") : name;
}

// Where a finding about the pod's account goes: the field that names it, else the pod spec key.
const yaml::Node* account_node(const PodView& pod) {
    if (const yaml::Node* n = get(pod.spec, "serviceAccountName"); n != nullptr && !scalar_text(n).empty()) return n;
    if (const yaml::Node* n = get(pod.spec, "serviceAccount"); n != nullptr && !scalar_text(n).empty()) return n;
    return deepest(pod.parent, {"spec"});
}

std::vector<ComplianceRef> account_compliance() {
    return {cref("cis-k8s", "5.1.5"), cref("nsa", "Authentication and authorization: least privilege"),
            cref("soc2", "CC6.1"), cref("hipaa", "164.312(a)(1)")};
}

// ---------------------------------------------------------------------------------------------
class K8sDefaultServiceAccountRule final : public BasicRule {
public:
    K8sDefaultServiceAccountRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-DEFAULT-SERVICE-ACCOUNT", "Pods should run as a service account of their own",
                              Severity::Low, pod_kinds());
        r.description =
            "Every pod that names no service account runs as the namespace's `default` account, so "
            "whatever RBAC someone grants to `default` for one workload is granted to all of them. "
            "Reported when the pod spec names no account (or `default`) in `serviceAccountName` "
            "(or the deprecated `serviceAccount`) and does not set `automountServiceAccountToken: "
            "false` — a pod without the token cannot use the account.";
        r.remediation =
            "Create a ServiceAccount for the workload and set `serviceAccountName`, or set "
            "`automountServiceAccountToken: false` when it does not call the API.";
        r.aliases = {"kube-linter:default-service-account"};
        r.compliance = account_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || get_bool(pod->spec, "automountServiceAccountToken") == false) return;
        const std::string_view account = account_of(*pod);
        if (!account.empty() && account != "default") return;
        out.report(doc, account_node(*pod),
                   "the pod of " + doc.kind + " " + dq(doc.name) + " runs as the namespace's default service account");
    }
};
COCONUT_REGISTER_RULE(K8sDefaultServiceAccountRule);

// ---------------------------------------------------------------------------------------------
class K8sDeprecatedServiceAccountFieldRule final : public BasicRule {
public:
    K8sDeprecatedServiceAccountFieldRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-DEPRECATED-SA-FIELD", "Pods should name their account with serviceAccountName",
                              Severity::Low, pod_kinds());
        r.description =
            "`spec.serviceAccount` is the deprecated alias of `serviceAccountName`. Alone it still "
            "works; next to a different `serviceAccountName` one of the two is silently ignored. "
            "Reported when `serviceAccount` is set and differs from `serviceAccountName` (or that is "
            "unset).";
        r.remediation = "Rename `serviceAccount` to `serviceAccountName` (or delete it when both agree).";
        r.aliases = {"kube-linter:deprecated-service-account-field"};
        r.no_compliance_reason = "API hygiene; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        const std::string_view deprecated = get_str(pod->spec, "serviceAccount");
        const std::string_view name = get_str(pod->spec, "serviceAccountName");
        if (deprecated.empty() || deprecated == name) return;
        out.report(doc, get(pod->spec, "serviceAccount"),
                   name.empty()
                       ? "the pod sets the deprecated serviceAccount " + dq(deprecated) + "; use serviceAccountName"
                       : "the pod sets serviceAccount " + dq(deprecated) + " and serviceAccountName " + dq(name) +
                             "; one of them is ignored");
    }
};
COCONUT_REGISTER_RULE(K8sDeprecatedServiceAccountFieldRule);

// ---------------------------------------------------------------------------------------------
class K8sServiceAccountMissingRule final : public BasicRule {
public:
    K8sServiceAccountMissingRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-SERVICE-ACCOUNT-MISSING", "Pods should run as a ServiceAccount of the input",
                              Severity::Medium, pod_kinds());
        r.description =
            "A pod whose service account does not exist is never created: the ReplicaSet or Job keeps "
            "failing with `serviceaccount not found`. Reported when the pod names an account other "
            "than `default` and the input contains ServiceAccounts but none of that name in the "
            "namespace (an input without any ServiceAccount is assumed to get them from elsewhere).";
        r.remediation = "Add the ServiceAccount to the manifests or fix the name in `serviceAccountName`.";
        r.aliases = {"kube-linter:non-existent-service-account"};
        r.no_compliance_reason = "correctness of references between objects; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        const std::string account(account_of(*pod));
        if (account.empty() || account == "default") return;
        const auto& accounts = ctx.of_kind("ServiceAccount");
        if (std::none_of(accounts.begin(), accounts.end(), [](const Document* d) { return !is_patch(*d); })) return;
        for (const Document* sa : named(ctx, "ServiceAccount", account))
            if (!is_patch(*sa) && same_namespace(doc, *sa)) return;
        out.report(doc, account_node(*pod),
                   "the pod of " + doc.kind + " " + dq(doc.name) + " runs as ServiceAccount " + dq(account) +
                       ", which the input does not define" + (doc.ns.empty() ? "" : " in namespace " + dq(doc.ns)));
    }
};
COCONUT_REGISTER_RULE(K8sServiceAccountMissingRule);

// ---------------------------------------------------------------------------------------------
class K8sDefaultServiceAccountTokenRule final : public BasicRule {
public:
    K8sDefaultServiceAccountTokenRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-DEFAULT-SA-AUTOMOUNT", "The default ServiceAccount should not mount its token automatically",
                     Severity::Low, {"ServiceAccount"});
        r.description =
            "Every pod that names no account runs as `default`; when the `default` ServiceAccount "
            "leaves `automountServiceAccountToken` unset or true, all of them carry its API token. "
            "Reported for a ServiceAccount named `default` that does not set "
            "`automountServiceAccountToken: false` (CIS Kubernetes Benchmark 5.1.5).";
        r.remediation = "Set `automountServiceAccountToken: false` on the namespace's `default` ServiceAccount.";
        r.aliases = {"checkov:CKV_K8S_41"};
        r.compliance = account_compliance();
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc) || doc.name != "default" || get_bool(doc.root, "automountServiceAccountToken") == false)
            return;
        const yaml::Node* field = get(doc.root, "automountServiceAccountToken");
        out.report(doc, field != nullptr ? field : deepest(doc.root, {"metadata", "name"}),
                   "the default ServiceAccount does not set automountServiceAccountToken: false");
    }
};
COCONUT_REGISTER_RULE(K8sDefaultServiceAccountTokenRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
