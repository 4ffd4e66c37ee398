// Pod Security Standards, Restricted profile: every control beyond Baseline, with exactly the
// allowed values of the standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
// as the upstream pod-security-admission library implements version "latest"), including the
// pod-level vs container-level inheritance of runAsNonRoot and seccompProfile, the exemption of
// Windows pods (spec.os.name: windows) from privilege escalation, seccomp and capabilities, and the
// relaxation of runAsNonRoot/runAsUser for pods in a user namespace (spec.hostUsers: false).
//
// Where a Restricted control tightens a Baseline one, the Baseline rule reports the values Baseline
// forbids and the Restricted rule only the rest, so one problem gives one finding:
//   hostPath volumes -> K8S-HOSTPATH-VOLUME; seccomp Unconfined -> K8S-SECCOMP-UNCONFINED;
//   capabilities outside the Baseline set -> K8S-CAPABILITIES-BASELINE.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

RuleInfo restricted(std::string id, std::string title, Severity severity) {
    return k8s_rule(std::move(id), std::move(title), severity, pod_kinds(), PssLevel::Restricted);
}

// ---------------------------------------------------------------------------------------------
constexpr std::array<std::string_view, 9> k_allowed_volume_types = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected",
    "secret",
};

class K8sVolumeTypesRule final : public BasicRule {
public:
    K8sVolumeTypesRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-VOLUME-TYPES", "Only core volume types may be used", Severity::Medium);
        r.description =
            "Inline network and cloud volume sources (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, "
            "awsElasticBlockStore, gcePersistentDisk, azureDisk, ...) bypass the PersistentVolume access "
            "controls. The Pod Security Standards (Restricted) allow every `spec.volumes[*]` to use only "
            "configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or "
            "secret. (hostPath volumes are reported by the Baseline rule K8S-HOSTPATH-VOLUME.)";
        r.remediation = "Define the storage as a PersistentVolume and mount it through a PersistentVolumeClaim.";
        r.compliance = isolation_compliance({}, {"Pod security: pod security enforcement"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const yaml::Node* v : items(pod->spec, "volumes")) {
            if (v == nullptr || !v->is_mapping()) continue;
            // The volume source is the one non-null field besides `name` (none: the API server
            // defaults to emptyDir).
            for (const auto& p : v->pairs) {
                const std::string& type = p.key->text;
                if (type == "name" || p.value->is_null()) continue;
                if (type == "hostPath") break;   // Baseline's K8S-HOSTPATH-VOLUME
                if (std::find(k_allowed_volume_types.begin(), k_allowed_volume_types.end(), type) ==
                    k_allowed_volume_types.end())
                    out.report(doc, p.key,
                               "volume " + dq(get_str(v, "name")) + " uses the " + type +
                                   " volume type, not allowed by the Restricted profile");
                break;
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sVolumeTypesRule);

// ---------------------------------------------------------------------------------------------
class K8sAllowPrivilegeEscalationRule final : public BasicRule {
public:
    K8sAllowPrivilegeEscalationRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-ALLOW-PRIVILEGE-ESCALATION",
                                "Containers must set allowPrivilegeEscalation: false", Severity::High);
        r.description =
            "Unless `allowPrivilegeEscalation` is `false`, a process can gain more privileges than its parent "
            "(set-user-ID binaries, file capabilities). The Pod Security Standards (Restricted) require "
            "`securityContext.allowPrivilegeEscalation: false` in every container, init container and "
            "ephemeral container; undefined is not allowed. Windows pods (`spec.os.name: windows`) are exempt.";
        r.remediation = "Set `securityContext.allowPrivilegeEscalation: false` in every container.";
        // Not kube-linter's privilege-escalation-container: it passes an unset allowPrivilegeEscalation
        // and also reports privileged containers and added SYS_ADMIN.
        r.aliases = {"checkov:CKV_K8S_20", "polaris:privilegeEscalationAllowed"};
        r.compliance = isolation_compliance({"5.2.6"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->windows()) return;
        for_each_container_security(
            *pod, [&](const ContainerSecurity& c) { require_bool(doc, out, c, "allowPrivilegeEscalation", false); });
    }
};
COCONUT_REGISTER_RULE(K8sAllowPrivilegeEscalationRule);

// ---------------------------------------------------------------------------------------------
class K8sRunAsNonRootRule final : public BasicRule {
public:
    K8sRunAsNonRootRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-RUN-AS-NON-ROOT", "Containers must run as non-root (runAsNonRoot: true)",
                                Severity::Medium);
        r.description =
            "The kubelet refuses to start a container as UID 0 only when `runAsNonRoot` is `true`. The Pod "
            "Security Standards (Restricted) require `spec.securityContext.runAsNonRoot: true`, or "
            "`runAsNonRoot: true` in every container, init container and ephemeral container: a container "
            "may leave it undefined only when the pod level sets it to `true`, and `false` is never allowed "
            "at either level (a container's `true` does not excuse a pod-level `false`). Pods in a user "
            "namespace (`spec.hostUsers: false`) are exempt.";
        r.remediation = "Set `runAsNonRoot: true` in the pod's `securityContext` (and a non-zero `runAsUser`, "
                        "or a numeric USER in the image).";
        // No alias: kube-linter's run-as-non-root, Checkov's CKV_K8S_23 and Polaris' runAsRootAllowed
        // accept a non-zero runAsUser without runAsNonRoot (and kube-linter also reports runAsGroup 0).
        r.compliance = isolation_compliance({"5.2.7"}, {"Pod security: non-root containers"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->user_namespace()) return;
        // false is forbidden at either level; a container may leave it to the pod.
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            if (get_bool(sc, "runAsNonRoot") == false)
                out.report(doc, get(sc, "runAsNonRoot"), who + " sets securityContext.runAsNonRoot: false");
        });
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            if (get_bool(c.own, "runAsNonRoot") == false || c.effective_bool("runAsNonRoot") == true) return;
            out.report(
                doc, deepest(c.container->node, {"securityContext"}),
                c.container->label() + " does not set securityContext.runAsNonRoot: true and neither does the pod");
        });
    }
};
COCONUT_REGISTER_RULE(K8sRunAsNonRootRule);

// ---------------------------------------------------------------------------------------------
class K8sRunAsUserRootRule final : public BasicRule {
public:
    K8sRunAsUserRootRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-RUN-AS-USER-ROOT", "Containers must not run as UID 0 (runAsUser: 0)",
                                Severity::High);
        r.description =
            "`runAsUser: 0` runs the container's processes as root. The Pod Security Standards (Restricted) "
            "allow `runAsUser` (pod, containers, init and ephemeral containers) only undefined or non-zero; "
            "a pod-level `0` is forbidden even when every container overrides it. Pods in a user namespace "
            "(`spec.hostUsers: false`) are exempt.";
        r.remediation = "Set a non-zero `runAsUser` (for example 10001) or remove it and use a numeric non-root "
                        "USER in the image.";
        r.compliance = isolation_compliance({"5.2.7"}, {"Pod security: non-root containers"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->user_namespace()) return;
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            if (get_int(sc, "runAsUser") == 0)
                out.report(doc, get(sc, "runAsUser"), who + " sets securityContext.runAsUser: 0");
        });
    }
};
COCONUT_REGISTER_RULE(K8sRunAsUserRootRule);

// ---------------------------------------------------------------------------------------------
class K8sSeccompRequiredRule final : public BasicRule {
public:
    K8sSeccompRequiredRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-SECCOMP-REQUIRED", "A seccomp profile must be set (RuntimeDefault or Localhost)",
                                Severity::Medium);
        r.description =
            "The Pod Security Standards (Restricted) require `seccompProfile.type` to be `RuntimeDefault` or "
            "`Localhost`: either at pod level (`spec.securityContext.seccompProfile`), or in every container, "
            "init container and ephemeral container. A container may leave it undefined only when the pod "
            "level sets it. Windows pods are exempt. This rule reports containers left without any profile; "
            "an explicit `Unconfined` is reported by K8S-SECCOMP-UNCONFINED.";
        r.remediation = "Set `securityContext.seccompProfile.type: RuntimeDefault` at pod level.";
        // Not Checkov's CKV_K8S_31: it accepts only RuntimeDefault (a Localhost profile fails there).
        r.aliases = {"kube-score:container-seccomp-profile"};
        r.compliance = isolation_compliance({"5.7.2"}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->windows()) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            if (is_set(c.effective("seccompProfile"))) return;
            out.report(doc, deepest(c.container->node, {"securityContext"}),
                       c.container->label() +
                           " has no seccompProfile and the pod sets none: set "
                           "securityContext.seccompProfile.type to RuntimeDefault or Localhost");
        });
    }
};
COCONUT_REGISTER_RULE(K8sSeccompRequiredRule);

// ---------------------------------------------------------------------------------------------
class K8sCapabilitiesRestrictedRule final : public BasicRule {
public:
    K8sCapabilitiesRestrictedRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = restricted("K8S-CAPABILITIES-RESTRICTED",
                                "Containers must drop ALL capabilities and add back only NET_BIND_SERVICE",
                                Severity::Medium);
        r.description =
            "The Pod Security Standards (Restricted) require every container, init container and ephemeral "
            "container to list `ALL` in `securityContext.capabilities.drop`, and allow "
            "`capabilities.add` to be undefined, empty or `NET_BIND_SERVICE` only. Windows pods are exempt. "
            "Added capabilities outside the Baseline default set are reported by K8S-CAPABILITIES-BASELINE; "
            "this rule reports the missing `drop: [ALL]` and the Baseline-allowed capabilities other than "
            "NET_BIND_SERVICE.";
        r.remediation = "Set `capabilities: {drop: [ALL]}` in every container; add back `NET_BIND_SERVICE` only "
                        "if the process binds a port below 1024.";
        // No alias: Checkov's CKV_K8S_37 checks only the drop list (and accepts "all").
        r.compliance = isolation_compliance({"5.2.8", "5.2.10"}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->windows()) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            const yaml::Node* caps = get(c.own, "capabilities");
            const auto& drop = items(caps, "drop");
            if (std::none_of(drop.begin(), drop.end(), [](const yaml::Node* d) { return scalar_text(d) == "ALL"; }))
                out.report(
                    doc, deepest(c.container->node, {"securityContext", "capabilities", "drop"}),
                    c.container->label() + " does not drop ALL capabilities (securityContext.capabilities.drop)");
            for (const yaml::Node* a : items(caps, "add")) {
                const std::string_view name = scalar_text(a);
                // Outside the Baseline set: K8S-CAPABILITIES-BASELINE.
                if (name == "NET_BIND_SERVICE" || !baseline_capability(name)) continue;
                out.report(doc, a,
                           c.container->label() + " adds capability " + dq(name) +
                               "; the Restricted profile allows only NET_BIND_SERVICE");
            }
        });
    }
};
COCONUT_REGISTER_RULE(K8sCapabilitiesRestrictedRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
