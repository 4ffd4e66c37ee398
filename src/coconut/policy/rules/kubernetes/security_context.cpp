// Kubernetes rules about security contexts beyond the Pod Security Standards: that pods and
// containers set one at all, and that they run as a UID outside the range of the node's users.
#include <optional>
#include <string>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

bool non_empty_mapping(const yaml::Node* n) {
    return n != nullptr && n->is_mapping() && !n->pairs.empty();
}

// ---------------------------------------------------------------------------------------------
class K8sPodSecurityContextRule final : public BasicRule {
public:
    K8sPodSecurityContextRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-POD-SECURITY-CONTEXT", "Pods should set a securityContext", Severity::Low, pod_kinds());
        r.description =
            "The pod-level `securityContext` is where the user, group, filesystem group and seccomp "
            "profile of every container are set once; a pod without one leaves all of them to the "
            "image and the runtime. Reported when `spec.securityContext` is absent or empty.";
        r.remediation =
            "Set `spec.securityContext` with at least `runAsNonRoot: true`, a non-zero `runAsUser` and "
            "`seccompProfile: {type: RuntimeDefault}`.";
        r.aliases = {"checkov:CKV_K8S_29"};
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || non_empty_mapping(pod->security_context())) return;
        out.report(doc, deepest(pod->parent, {"spec", "securityContext"}),
                   "the pod of " + doc.kind + " " + dq(doc.name) + " sets no securityContext");
    }
};
COCONUT_REGISTER_RULE(K8sPodSecurityContextRule);

// ---------------------------------------------------------------------------------------------
class K8sContainerSecurityContextRule final : public BasicRule {
public:
    K8sContainerSecurityContextRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-CONTAINER-SECURITY-CONTEXT", "Containers should set a securityContext",
                              Severity::Low, pod_kinds());
        r.description =
            "`allowPrivilegeEscalation`, `readOnlyRootFilesystem` and `capabilities` exist only in the "
            "container's `securityContext`; a container without one runs with the runtime's defaults "
            "for all of them. Reported for every container and init container whose "
            "`securityContext` is absent or empty.";
        r.remediation =
            "Set `securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, "
            "capabilities: {drop: [ALL]}}` in every container.";
        r.aliases = {"checkov:CKV_K8S_30"};
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            if (c.kind == ContainerKind::Ephemeral || non_empty_mapping(c.security_context())) continue;
            out.report(doc, deepest(c.node, {"securityContext"}), c.label() + " sets no securityContext");
        }
    }
};
COCONUT_REGISTER_RULE(K8sContainerSecurityContextRule);

// ---------------------------------------------------------------------------------------------
constexpr std::int64_t k_high_uid = 10000;

class K8sRunAsHighUidRule final : public BasicRule {
public:
    K8sRunAsHighUidRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-RUN-AS-HIGH-UID", "Containers should run as a UID of 10000 or more", Severity::Low,
                              pod_kinds());
        r.description =
            "Without user namespaces a container's UID is the node's UID: a container running as 1000 "
            "shares files, limits and process signals with the node's first user account should it "
            "ever escape. Reported for every container (not init or ephemeral containers) whose "
            "effective `runAsUser` (its own, else the pod's) is unset or below 10000. Pods in a user "
            "namespace (`spec.hostUsers: false`) are not judged.";
        r.remediation =
            "Set `runAsUser` (and `runAsGroup`) to 10000 or more in the pod's `securityContext`, and "
            "build the image with a matching numeric USER.";
        r.aliases = {"checkov:CKV_K8S_40"};
        r.compliance = isolation_compliance({}, {"Pod security: non-root containers"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->user_namespace()) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            if (c.container->kind != ContainerKind::Container) return;
            const yaml::Node* uid = c.effective("runAsUser");
            const auto value =
                is_set(uid) && uid->is_scalar() ? yaml::as_int(*uid, yaml::Dialect::Kubernetes) : std::nullopt;
            if (value && *value >= k_high_uid) return;
            if (is_set(uid))
                out.report(
                    doc, uid,
                    c.container->label() + " runs as UID " + uid->text + ", below " + std::to_string(k_high_uid));
            else
                out.report(doc, deepest(c.container->node, {"securityContext"}),
                           c.container->label() + " sets no runAsUser and neither does the pod");
        });
    }
};
COCONUT_REGISTER_RULE(K8sRunAsHighUidRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
