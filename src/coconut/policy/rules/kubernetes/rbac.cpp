// Kubernetes RBAC rules: bindings of cluster-admin and of the default service account, wildcards in
// Role and ClusterRole rules, and roles that grant the verbs the CIS Kubernetes Benchmark (5.1.8,
// 5.1.11, 5.1.12) singles out because each leads to cluster-admin.
#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

std::vector<ComplianceRef> rbac_compliance(const char* cis) {
    return {cref("cis-k8s", cis),           cref("nsa", "Authentication and authorization: least privilege"),
            cref("soc2", "CC6.1"),          cref("soc2", "CC6.3"),
            cref("hipaa", "164.312(a)(1)"), cref("gdpr", "Art. 32(1)(b)")};
}

// ---------------------------------------------------------------------------------------------
class K8sClusterAdminBindingRule final : public BasicRule {
public:
    K8sClusterAdminBindingRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-CLUSTER-ADMIN-BINDING", "cluster-admin should not be bound in application manifests",
                              Severity::High, {"ClusterRoleBinding"});
        r.description =
            "The `cluster-admin` ClusterRole allows every verb on every resource: its subjects own the "
            "cluster. Reported for every ClusterRoleBinding whose `roleRef` is the ClusterRole "
            "`cluster-admin` (CIS Kubernetes Benchmark 5.1.1).";
        r.remediation =
            "Bind a ClusterRole (or better, a namespaced Role) that grants only the resources and verbs "
            "the subject needs.";
        r.aliases = {"kube-linter:cluster-admin-role-binding"};
        r.compliance = rbac_compliance("5.1.1");
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const yaml::Node* ref = get(doc.root, "roleRef");
        if (is_patch(doc) || get_str(ref, "kind") != "ClusterRole" || get_str(ref, "name") != "cluster-admin") return;
        out.report(doc, get(ref, "name"), "ClusterRoleBinding " + dq(doc.name) + " binds cluster-admin");
    }
};
COCONUT_REGISTER_RULE(K8sClusterAdminBindingRule);

// ---------------------------------------------------------------------------------------------
class K8sDefaultServiceAccountBindingRule final : public BasicRule {
public:
    K8sDefaultServiceAccountBindingRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-DEFAULT-SA-BINDING", "Roles should not be bound to a default service account",
                              Severity::Medium, {"RoleBinding", "ClusterRoleBinding"});
        r.description =
            "Every pod of a namespace that names no service account runs as `default`: a role bound "
            "to it is granted to all of them, including pods added later by someone else. Reported "
            "for every `subjects` entry of a RoleBinding or ClusterRoleBinding with `kind: "
            "ServiceAccount` and `name: default` (CIS Kubernetes Benchmark 5.1.5).";
        r.remediation =
            "Create a ServiceAccount for the workload that needs the role, bind the role to it and set "
            "`serviceAccountName` in the workload.";
        r.aliases = {"checkov:CKV_K8S_42"};
        r.compliance = rbac_compliance("5.1.5");
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        for (const yaml::Node* s : items(doc.root, "subjects"))
            if (get_str(s, "kind") == "ServiceAccount" && get_str(s, "name") == "default")
                out.report(doc, get(s, "name"), doc.kind + " " + dq(doc.name) + " binds the default service account");
    }
};
COCONUT_REGISTER_RULE(K8sDefaultServiceAccountBindingRule);

// ---------------------------------------------------------------------------------------------
class K8sRbacWildcardRule final : public BasicRule {
public:
    K8sRbacWildcardRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-RBAC-WILDCARD", "Roles should not grant wildcard resources or verbs",
                              Severity::Medium, {"Role", "ClusterRole"});
        r.description =
            "A `*` in a rule's `resources` or `verbs` grants everything the API serves, including "
            "resources and verbs added later (custom resources, subresources such as `pods/exec`). "
            "Reported for every `*` in `rules[*].resources` and `rules[*].verbs` of a Role or "
            "ClusterRole (CIS Kubernetes Benchmark 5.1.3).";
        r.remediation = "List the resources and verbs the subject needs explicitly.";
        r.aliases = {"kube-linter:wildcard-in-rules"};
        r.compliance = rbac_compliance("5.1.3");
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        for (const yaml::Node* rule : items(doc.root, "rules"))
            for (const char* field : {"resources", "verbs"})
                for (const yaml::Node* v : items(rule, field))
                    if (scalar_text(v) == "*")
                        out.report(doc, v, doc.kind + " " + dq(doc.name) + " grants the wildcard \"*\" in " + field);
    }
};
COCONUT_REGISTER_RULE(K8sRbacWildcardRule);

// ---------------------------------------------------------------------------------------------
// An operation a role can perform: one of the API groups, one of the verbs on one of the resources
// (`*` grants any of them; `*/sub` grants the subresource `sub` of every resource). A role is
// reported when, for every operation, one of its rules grants it.
struct Operation {
    std::vector<std::string_view> groups;
    std::vector<std::string_view> verbs;
    std::vector<std::string_view> resources;
};

bool grants_one_of(const yaml::Node* rule, std::string_view field, const std::vector<std::string_view>& wanted) {
    for (const yaml::Node* v : items(rule, field)) {
        const std::string_view s = scalar_text(v);
        if (s == "*" || std::find(wanted.begin(), wanted.end(), s) != wanted.end()) return true;
    }
    return false;
}

bool grants_resource(const yaml::Node* rule, const std::vector<std::string_view>& wanted) {
    for (const yaml::Node* v : items(rule, "resources")) {
        const std::string_view s = scalar_text(v);
        if (s == "*") return true;
        for (std::string_view w : wanted) {
            if (s == w) return true;
            const auto slash = w.find('/');
            if (slash != std::string_view::npos && s.starts_with("*/") && s.substr(1) == w.substr(slash)) return true;
        }
    }
    return false;
}

// The first rule that grants `op`, or nullptr.
const yaml::Node* rule_granting(const Document& doc, const Operation& op) {
    for (const yaml::Node* rule : items(doc.root, "rules"))
        if (grants_one_of(rule, "apiGroups", op.groups) && grants_one_of(rule, "verbs", op.verbs) &&
            grants_resource(rule, op.resources))
            return rule;
    return nullptr;
}

class K8sRbacOperationRule : public BasicRule {
public:
    K8sRbacOperationRule(RuleInfo info, std::vector<Operation> ops, std::string what)
        : BasicRule(std::move(info)), m_ops(std::move(ops)), m_what(std::move(what)) {}
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (is_patch(doc)) return;
        const yaml::Node* first = nullptr;
        for (const Operation& op : m_ops) {
            const yaml::Node* rule = rule_granting(doc, op);
            if (rule == nullptr) return;
            if (first == nullptr) first = rule;
        }
        out.report(doc, first, doc.kind + " " + dq(doc.name) + " grants " + m_what);
    }

private:
    std::vector<Operation> m_ops;
    std::string m_what;
};

RuleInfo operation_info(std::string id, std::string title, std::vector<std::string> kinds, std::string description,
                        std::string remediation, std::string alias, const char* cis) {
    RuleInfo r = k8s_rule(std::move(id), std::move(title), Severity::High, std::move(kinds));
    r.description = std::move(description);
    r.remediation = std::move(remediation);
    r.aliases = {std::move(alias)};
    r.compliance = rbac_compliance(cis);
    return r;
}

class K8sRbacWebhookRule final : public K8sRbacOperationRule {
public:
    K8sRbacWebhookRule()
        : K8sRbacOperationRule(
              operation_info("K8S-RBAC-WEBHOOK-CONTROL", "ClusterRoles should not control admission webhooks",
                             {"ClusterRole"},
                             "A subject that can create, update or patch mutating or validating webhook "
                             "configurations sees every object admitted to the cluster (Secrets included) and can "
                             "rewrite them, or switch admission policy off. Reported for a ClusterRole with a rule "
                             "granting `create`, `update` or `patch` on `mutatingwebhookconfigurations` or "
                             "`validatingwebhookconfigurations` of `admissionregistration.k8s.io` (a `*` in any "
                             "of the three lists counts) (CIS Kubernetes Benchmark 5.1.12).",
                             "Grant webhook configuration access only to the controller that owns the webhook, "
                             "limited with `resourceNames`.",
                             "checkov:CKV_K8S_155", "5.1.12"),
              {{{"admissionregistration.k8s.io"},
                {"create", "update", "patch"},
                {"mutatingwebhookconfigurations", "validatingwebhookconfigurations"}}},
              "control over admission webhook configurations") {}
};
COCONUT_REGISTER_RULE(K8sRbacWebhookRule);

class K8sRbacApproveCsrRule final : public K8sRbacOperationRule {
public:
    K8sRbacApproveCsrRule()
        : K8sRbacOperationRule(
              operation_info("K8S-RBAC-APPROVE-CSR", "ClusterRoles should not approve CertificateSigningRequests",
                             {"ClusterRole"},
                             "Approving CertificateSigningRequests lets a subject issue client certificates for any "
                             "user or group the signer accepts, `system:masters` included. Reported for a "
                             "ClusterRole that grants both `update` or `patch` on "
                             "`certificatesigningrequests/approval` and `approve` on `signers` of "
                             "`certificates.k8s.io` (a `*` in any list counts) (CIS Kubernetes Benchmark 5.1.11).",
                             "Leave CSR approval to the cluster's own controllers, or restrict `approve` to one "
                             "signer with `resourceNames`.",
                             "checkov:CKV_K8S_156", "5.1.11"),
              {{{"certificates.k8s.io"}, {"update", "patch"}, {"certificatesigningrequests/approval"}},
               {{"certificates.k8s.io"}, {"approve"}, {"signers"}}},
              "approval of CertificateSigningRequests") {}
};
COCONUT_REGISTER_RULE(K8sRbacApproveCsrRule);

class K8sRbacBindRule final : public K8sRbacOperationRule {
public:
    K8sRbacBindRule()
        : K8sRbacOperationRule(
              operation_info("K8S-RBAC-BIND", "Roles should not grant the bind verb on role bindings",
                             {"Role", "ClusterRole"},
                             "The `bind` verb lets a subject create bindings to roles with more permissions than it "
                             "has itself. Reported for a Role or ClusterRole granting `bind` on `rolebindings` or "
                             "`clusterrolebindings` of `rbac.authorization.k8s.io` (a `*` in any list counts) (CIS "
                             "Kubernetes Benchmark 5.1.8).",
                             "Remove `bind`; grant it only to the controller that must bind a named role, with "
                             "`resourceNames`.",
                             "checkov:CKV_K8S_157", "5.1.8"),
              {{{"rbac.authorization.k8s.io"}, {"bind"}, {"rolebindings", "clusterrolebindings"}}},
              "bind on role bindings") {}
};
COCONUT_REGISTER_RULE(K8sRbacBindRule);

class K8sRbacEscalateRule final : public K8sRbacOperationRule {
public:
    K8sRbacEscalateRule()
        : K8sRbacOperationRule(
              operation_info("K8S-RBAC-ESCALATE", "Roles should not grant the escalate verb on roles",
                             {"Role", "ClusterRole"},
                             "The `escalate` verb lets a subject edit roles to grant permissions it does not have, "
                             "and so give itself any permission. Reported for a Role or ClusterRole granting "
                             "`escalate` on `roles` or `clusterroles` of `rbac.authorization.k8s.io` (a `*` in any "
                             "list counts) (CIS Kubernetes Benchmark 5.1.8).",
                             "Remove `escalate`; role definitions belong in reviewed manifests, not in the hands of a "
                             "workload.",
                             "checkov:CKV_K8S_158", "5.1.8"),
              {{{"rbac.authorization.k8s.io"}, {"escalate"}, {"roles", "clusterroles"}}}, "escalate on roles") {}
};
COCONUT_REGISTER_RULE(K8sRbacEscalateRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
