// Pod Security Standards, Baseline profile: every control, with exactly the allowed values the
// standard lists (https://kubernetes.io/docs/concepts/security/pod-security-standards/, as
// implemented by the upstream pod-security-admission library at version "latest").
// Each control is one rule; they all apply to the pod spec of every kind in pod_kinds().
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

RuleInfo baseline(std::string id, std::string title, Severity severity) {
    return k8s_rule(std::move(id), std::move(title), severity, pod_kinds(), PssLevel::Baseline);
}

// A profile (`field`: appArmorProfile, seccompProfile) of a securityContext whose type is
// neither RuntimeDefault nor Localhost (that is, Unconfined or unknown).
void report_unconfined(const Document& doc, Reporter& out, const yaml::Node* sc, const std::string& who,
                       const std::string& field) {
    const yaml::Node* prof = get(sc, field);
    if (!is_set(prof)) return;
    const std::string_view type = get_str(prof, "type");
    if (type == "RuntimeDefault" || type == "Localhost") return;
    out.report(doc, get(prof, "type") != nullptr ? get(prof, "type") : prof,
               who + " sets securityContext." + field + ".type to " + dq(type));
}

// ---------------------------------------------------------------------------------------------
class K8sHostProcessRule final : public BasicRule {
public:
    K8sHostProcessRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-HOST-PROCESS", "Windows HostProcess containers are not allowed", Severity::Critical);
        r.description =
            "Windows HostProcess containers run directly on the node with privileged access to it. "
            "The Pod Security Standards (Baseline) allow `securityContext.windowsOptions.hostProcess` "
            "only undefined or `false`, at pod level and in every container, init container and "
            "ephemeral container.";
        r.remediation = "Remove `windowsOptions.hostProcess: true` (or set it to `false`); run node-level "
                        "Windows agents outside application namespaces.";
        r.aliases = {"polaris:hostProcess"};
        r.compliance = isolation_compliance({"5.2.11"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            const yaml::Node* win = get(sc, "windowsOptions");
            if (get_bool(win, "hostProcess") == true)
                out.report(doc, get(win, "hostProcess"),
                           who + " sets securityContext.windowsOptions.hostProcess: true");
        });
    }
};
COCONUT_REGISTER_RULE(K8sHostProcessRule);

// ---------------------------------------------------------------------------------------------
// Host namespaces: one rule per field so each maps to its own peer checks and CIS section.
class K8sHostNamespaceRule : public BasicRule {
public:
    K8sHostNamespaceRule(RuleInfo info, std::string field) : BasicRule(std::move(info)), m_field(std::move(field)) {}
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        if (get_bool(pod->spec, m_field) == true)
            out.report(doc, get(pod->spec, m_field),
                       "the pod sets spec." + m_field + ": true and shares the node's " + namespace_name() +
                           " namespace");
    }

private:
    [[nodiscard]] std::string namespace_name() const {
        if (m_field == "hostNetwork") return "network";
        if (m_field == "hostPID") return "process ID";
        return "IPC";
    }
    std::string m_field;
};

RuleInfo host_namespace_info(std::string id, std::string field, std::string what, const char* cis,
                             std::vector<std::string> aliases, Severity severity) {
    RuleInfo r = baseline(std::move(id), "Pods must not share the host " + what + " namespace (" + field + ")",
                          severity);
    r.description = "Sharing the node's " + what + " namespace (`spec." + field +
                    ": true`) breaks the isolation between the pod and the node. The Pod Security "
                    "Standards (Baseline) allow `spec." +
                    field + "` only undefined or `false`.";
    r.remediation = "Remove `" + field + ": true` from the pod spec; run node agents that need it in a "
                    "separate, privileged namespace.";
    r.aliases = std::move(aliases);
    r.compliance = isolation_compliance({cis});
    return r;
}

class K8sHostNetworkRule final : public K8sHostNamespaceRule {
public:
    K8sHostNetworkRule()
        : K8sHostNamespaceRule(host_namespace_info("K8S-HOST-NETWORK", "hostNetwork", "network", "5.2.5",
                                                   {"kube-linter:host-network", "checkov:CKV_K8S_19",
                                                    "polaris:hostNetworkSet"},
                                                   Severity::High),
                               "hostNetwork") {}
};
COCONUT_REGISTER_RULE(K8sHostNetworkRule);

class K8sHostPidRule final : public K8sHostNamespaceRule {
public:
    K8sHostPidRule()
        : K8sHostNamespaceRule(host_namespace_info("K8S-HOST-PID", "hostPID", "process ID", "5.2.3",
                                                   {"kube-linter:host-pid", "checkov:CKV_K8S_17",
                                                    "polaris:hostPIDSet"},
                                                   Severity::High),
                               "hostPID") {}
};
COCONUT_REGISTER_RULE(K8sHostPidRule);

class K8sHostIpcRule final : public K8sHostNamespaceRule {
public:
    K8sHostIpcRule()
        : K8sHostNamespaceRule(host_namespace_info("K8S-HOST-IPC", "hostIPC", "IPC", "5.2.4",
                                                   {"kube-linter:host-ipc", "checkov:CKV_K8S_18",
                                                    "polaris:hostIPCSet"},
                                                   Severity::High),
                               "hostIPC") {}
};
COCONUT_REGISTER_RULE(K8sHostIpcRule);

// ---------------------------------------------------------------------------------------------
class K8sPrivilegedRule final : public BasicRule {
public:
    K8sPrivilegedRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-PRIVILEGED", "Containers must not run privileged", Severity::Critical);
        r.description =
            "A privileged container has all capabilities and access to every device of the node: it "
            "disables most container isolation. The Pod Security Standards (Baseline) allow "
            "`securityContext.privileged` only undefined or `false` in every container, init container and "
            "ephemeral container.";
        r.remediation = "Remove `privileged: true`; grant only the specific capability the workload needs "
                        "(within the Baseline set) or move the workload out of the application namespace.";
        r.aliases = {"kube-linter:privileged-container", "kube-score:container-security-context-privileged",
                     "checkov:CKV_K8S_16", "polaris:runAsPrivileged"};
        r.compliance = isolation_compliance({"5.2.2"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            if (get_bool(c.own, "privileged") == true)
                out.report(doc, get(c.own, "privileged"),
                           c.container->label() + " sets securityContext.privileged: true");
        });
    }
};
COCONUT_REGISTER_RULE(K8sPrivilegedRule);

// ---------------------------------------------------------------------------------------------
class K8sCapabilitiesBaselineRule final : public BasicRule {
public:
    K8sCapabilitiesBaselineRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-CAPABILITIES-BASELINE",
                              "Containers must not add capabilities beyond the default set", Severity::High);
        r.description =
            "Capabilities beyond the container runtime's default set (for example `SYS_ADMIN`, `NET_ADMIN`, "
            "`NET_RAW`, `SYS_PTRACE`, or `ALL`) give a container kernel privileges that allow escaping it. "
            "The Pod Security Standards (Baseline) allow `securityContext.capabilities.add` to be undefined, "
            "empty, or to contain only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, "
            "NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT (names compared exactly).";
        r.remediation = "Remove the capability from `capabilities.add`; if the workload truly needs it, run it "
                        "in a namespace with a privileged policy and document why.";
        // No alias: Checkov's CKV_K8S_25 reports any added capability and Polaris' dangerousCapabilities
        // only ALL, SYS_ADMIN and NET_ADMIN.
        r.compliance = isolation_compliance({"5.2.9"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            for (const yaml::Node* cap : items(get(c.own, "capabilities"), "add")) {
                const std::string_view name = scalar_text(cap);
                if (!baseline_capability(name))
                    out.report(doc, cap,
                               c.container->label() + " adds capability " + dq(name) +
                                   ", which is outside the Baseline default set");
            }
        });
    }
};
COCONUT_REGISTER_RULE(K8sCapabilitiesBaselineRule);

// ---------------------------------------------------------------------------------------------
class K8sHostPathVolumeRule final : public BasicRule {
public:
    K8sHostPathVolumeRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-HOSTPATH-VOLUME", "HostPath volumes are not allowed", Severity::High);
        r.description =
            "A hostPath volume mounts a directory of the node into the pod: node credentials, the container "
            "runtime socket or other pods' data become reachable. The Pod Security Standards (Baseline) allow "
            "`spec.volumes[*].hostPath` only undefined/null.";
        r.remediation = "Replace the hostPath volume with an emptyDir, a PersistentVolumeClaim, a ConfigMap or "
                        "a Secret; node agents that need the host filesystem belong in a privileged namespace.";
        r.aliases = {"polaris:hostPathSet"};
        r.compliance = isolation_compliance({"5.2.12"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const yaml::Node* v : items(pod->spec, "volumes")) {
            const yaml::Node* hp = get(v, "hostPath");
            if (!is_set(hp)) continue;
            std::string path(get_str(hp, "path"));
            out.report(doc, v->find_key("hostPath"),
                       "volume " + dq(get_str(v, "name")) + " is a hostPath volume" +
                           (path.empty() ? std::string() : " (" + path + ")"));
        }
    }
};
COCONUT_REGISTER_RULE(K8sHostPathVolumeRule);

// ---------------------------------------------------------------------------------------------
class K8sHostPortRule final : public BasicRule {
public:
    K8sHostPortRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-HOST-PORT", "Containers must not bind host ports", Severity::Medium);
        r.description =
            "A `hostPort` exposes the container on every address of the node, bypassing Services and "
            "NetworkPolicies, and limits scheduling. The Pod Security Standards (Baseline) allow "
            "`ports[*].hostPort` only undefined or `0` (an allow-list of known ports is possible but not "
            "supported by the built-in admission controller).";
        r.remediation = "Remove `hostPort` and expose the container through a Service (ClusterIP, "
                        "LoadBalancer or an Ingress).";
        r.aliases = {"checkov:CKV_K8S_26", "polaris:hostPortSet"};
        r.compliance = isolation_compliance({"5.2.13"}, {"Pod security: pod security enforcement",
                                                         "Network separation: network policies"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            for (const yaml::Node* p : items(c.node, "ports")) {
                const yaml::Node* hp = get(p, "hostPort");
                if (!is_set(hp)) continue;
                auto v = get_int(p, "hostPort");
                if (v && *v == 0) continue;
                out.report(doc, hp, c.label() + " binds hostPort " + std::string(scalar_text(hp)));
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sHostPortRule);

// ---------------------------------------------------------------------------------------------
class K8sAppArmorRule final : public BasicRule {
public:
    K8sAppArmorRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-APPARMOR", "AppArmor must not be disabled or overridden", Severity::Medium);
        r.description =
            "On AppArmor hosts the runtime's default profile confines every container. The Pod Security "
            "Standards (Baseline) forbid disabling it: `securityContext.appArmorProfile.type` (pod and "
            "containers) may only be undefined, `RuntimeDefault` or `Localhost`, and the deprecated "
            "`container.apparmor.security.beta.kubernetes.io/*` annotations may only be empty, "
            "`runtime/default` or `localhost/*`.";
        r.remediation = "Remove `appArmorProfile.type: Unconfined` (and `unconfined` annotations); use "
                        "`RuntimeDefault`, or a `Localhost` profile written for the workload.";
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            report_unconfined(doc, out, sc, who, "appArmorProfile");
        });
        const yaml::Node* ann = get(pod->metadata, "annotations");
        if (ann == nullptr || !ann->is_mapping()) return;
        constexpr std::string_view prefix = "container.apparmor.security.beta.kubernetes.io/";
        for (const auto& p : ann->pairs) {
            if (!p.key->text.starts_with(prefix)) continue;
            const std::string_view v = scalar_text(p.value);
            if (v.empty() || v == "runtime/default" || v.starts_with("localhost/")) continue;
            out.report(doc, p.value,
                       "annotation " + p.key->text + " sets AppArmor profile " + dq(v));
        }
    }
};
COCONUT_REGISTER_RULE(K8sAppArmorRule);

// ---------------------------------------------------------------------------------------------
constexpr std::array<std::string_view, 5> k_selinux_types = {"", "container_t", "container_init_t",
                                                             "container_kvm_t", "container_engine_t"};

class K8sSeLinuxRule final : public BasicRule {
public:
    K8sSeLinuxRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-SELINUX", "Custom SELinux user, role or type is not allowed", Severity::Medium);
        r.description =
            "Custom SELinux options can give a container the label of a host process. The Pod Security "
            "Standards (Baseline) allow `seLinuxOptions.type` (pod and containers) only undefined/empty, "
            "`container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`, and "
            "`seLinuxOptions.user` and `seLinuxOptions.role` only undefined/empty.";
        r.remediation = "Remove the custom `seLinuxOptions.user`/`role`, and use one of the allowed container "
                        "types (or none: the runtime assigns `container_t`).";
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            const yaml::Node* opts = get(sc, "seLinuxOptions");
            if (!is_set(opts)) return;
            const std::string_view type = get_str(opts, "type");
            if (!one_of(k_selinux_types, type))
                out.report(doc, get(opts, "type"), who + " sets seLinuxOptions.type to " + dq(type));
            for (const char* field : {"user", "role"}) {
                const std::string_view v = get_str(opts, field);
                if (!v.empty())
                    out.report(doc, get(opts, field),
                               who + " sets seLinuxOptions." + field + " to " + dq(v));
            }
        });
    }
};
COCONUT_REGISTER_RULE(K8sSeLinuxRule);

// ---------------------------------------------------------------------------------------------
class K8sProcMountRule final : public BasicRule {
public:
    K8sProcMountRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-PROC-MOUNT", "/proc must keep its default masks (procMount)", Severity::High);
        r.description =
            "The default /proc mount masks paths that expose the node's kernel. The Pod Security Standards "
            "allow `securityContext.procMount` only undefined/null or `Default`. Baseline relaxes this for pods "
            "in a user namespace (`spec.hostUsers: false`), where any value is allowed; Restricted does not, "
            "so with `--profile restricted` the relaxation does not apply.";
        r.remediation = "Remove `procMount: Unmasked` (or set `Default`).";
        r.aliases = {"kube-linter:unsafe-proc-mount", "polaris:procMount"};
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext& ctx, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        if (pod->user_namespace() && ctx.profile != PssLevel::Restricted) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            const yaml::Node* pm = get(c.own, "procMount");
            if (!is_set(pm) || scalar_text(pm) == "Default") return;
            out.report(doc, pm, c.container->label() + " sets securityContext.procMount to " + dq(scalar_text(pm)));
        });
    }
};
COCONUT_REGISTER_RULE(K8sProcMountRule);

// ---------------------------------------------------------------------------------------------
class K8sSeccompUnconfinedRule final : public BasicRule {
public:
    K8sSeccompUnconfinedRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-SECCOMP-UNCONFINED", "Seccomp must not be disabled (Unconfined)", Severity::High);
        r.description =
            "Without a seccomp profile every system call of the kernel is reachable from the container. "
            "The Pod Security Standards (Baseline) allow `securityContext.seccompProfile.type` (pod and "
            "containers) only undefined, `RuntimeDefault` or `Localhost`. (That a profile must be set at all "
            "is the Restricted rule K8S-SECCOMP-REQUIRED.)";
        r.remediation = "Set `seccompProfile.type: RuntimeDefault` (or a `Localhost` profile) instead of "
                        "`Unconfined`.";
        r.compliance = isolation_compliance({"5.7.2"}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_security_context(*pod, [&](const yaml::Node* sc, const std::string& who) {
            report_unconfined(doc, out, sc, who, "seccompProfile");
        });
    }
};
COCONUT_REGISTER_RULE(K8sSeccompUnconfinedRule);

// ---------------------------------------------------------------------------------------------
constexpr std::array<std::string_view, 14> k_safe_sysctls = {
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
};

class K8sSysctlsRule final : public BasicRule {
public:
    K8sSysctlsRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-SYSCTLS", "Only the safe set of sysctls may be set", Severity::Medium);
        r.description =
            "Sysctls outside the namespaced, isolated \"safe\" set can disable security mechanisms or affect "
            "every container on the node. The Pod Security Standards (Baseline) allow "
            "`spec.securityContext.sysctls[*].name` only from: kernel.shm_rmid_forced, "
            "net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, "
            "net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, "
            "net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, "
            "net.ipv4.tcp_rmem, net.ipv4.tcp_wmem, net.ipv4.tcp_slow_start_after_idle and "
            "net.ipv4.tcp_notsent_lowat (the list of the latest policy version).";
        r.remediation = "Remove the sysctl, or tune it on the nodes instead of from the pod.";
        // No alias: kube-linter's unsafe-sysctls reports the kernel.msg*, kernel.sem, kernel.shm*,
        // fs.mqueue.* and net.* prefixes, a different set (it reports net.ipv4.ip_local_port_range).
        r.compliance = isolation_compliance({}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const yaml::Node* s : items(pod->security_context(), "sysctls")) {
            const std::string_view name = get_str(s, "name");
            if (one_of(k_safe_sysctls, name)) continue;
            out.report(doc, get(s, "name") != nullptr ? get(s, "name") : s,
                       "the pod sets sysctl " + dq(name) + ", which is not in the safe set");
        }
    }
};
COCONUT_REGISTER_RULE(K8sSysctlsRule);

// ---------------------------------------------------------------------------------------------
class K8sProbeHostRule final : public BasicRule {
public:
    K8sProbeHostRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = baseline("K8S-PROBE-HOST", "Probes and lifecycle hooks must not target another host",
                              Severity::Medium);
        r.description =
            "A `host` in an httpGet or tcpSocket probe or lifecycle handler makes the kubelet connect to an "
            "arbitrary address from the node's network (a server-side request forgery path). The Pod Security "
            "Standards (Baseline, since v1.34) allow `host` in liveness/readiness/startup probes and "
            "postStart/preStop handlers only undefined or empty.";
        r.remediation = "Remove `host` so the probe targets the pod's own IP.";
        r.compliance = isolation_compliance({}, {"Pod security: pod security enforcement"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            auto check_handler = [&](const yaml::Node* handler, const std::string& where) {
                for (const char* action : {"httpGet", "tcpSocket"}) {
                    const yaml::Node* a = get(handler, action);
                    const std::string_view host = get_str(a, "host");
                    if (host.empty()) continue;
                    out.report(doc, get(a, "host"),
                               c.label() + " " + where + "." + action + " targets host " + dq(host));
                }
            };
            for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"})
                check_handler(get(c.node, probe), probe);
            const yaml::Node* lc = get(c.node, "lifecycle");
            for (const char* hook : {"postStart", "preStop"})
                check_handler(get(lc, hook), std::string("lifecycle.") + hook);
        }
    }
};
COCONUT_REGISTER_RULE(K8sProbeHostRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
