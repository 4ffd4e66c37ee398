// Kubernetes best practices about each container: resource requests and limits, probes,
// read-only root filesystem, writable hostPath mounts, secrets and duplicates in `env`.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

RuleInfo practice(std::string id, std::string title, Severity severity) {
    return k8s_rule(std::move(id), std::move(title), severity, pod_kinds());
}

// ---------------------------------------------------------------------------------------------
// Resources: one rule per (requests|limits) x (cpu|memory), as Polaris and Checkov split them.

// A resource quantity that is zero ("0", "0m", "0.0", "0Mi"): no request or limit at all, as the
// scheduler and kube-linter, Checkov and kube-score read it.
bool zero_quantity(std::string_view q) {
    std::size_t i = 0;
    bool digit = false;
    for (; i < q.size() && (q[i] == '0' || q[i] == '.'); ++i) digit = digit || q[i] == '0';
    if (!digit) return false;
    return std::all_of(q.begin() + static_cast<std::ptrdiff_t>(i), q.end(),
                       [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; });
}

class K8sResourceRule : public BasicRule {
public:
    K8sResourceRule(RuleInfo info, std::string section, std::string resource)
        : BasicRule(std::move(info)), m_section(std::move(section)), m_resource(std::move(resource)) {}
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            if (c.kind == ContainerKind::Ephemeral) continue;   // ephemeral containers take no resources
            const yaml::Node* value = get_path(c.node, {"resources", m_section, m_resource});
            if (is_set(value) && !zero_quantity(scalar_text(value))) continue;
            if (is_set(value))
                out.report(doc, value, c.label() + " sets a zero " + m_resource + " " + singular() + " (resources." +
                                           m_section + "." + m_resource + ": " + value->text + ")");
            else
                out.report(doc, deepest(c.node, {"resources", m_section}),
                           c.label() + " sets no " + m_resource + " " + singular() + " (resources." + m_section + "." +
                               m_resource + ")");
        }
    }

private:
    [[nodiscard]] std::string singular() const { return m_section == "requests" ? "request" : "limit"; }
    std::string m_section;
    std::string m_resource;
};

RuleInfo resource_info(std::string id, const std::string& section, const std::string& resource, Severity severity,
                       std::vector<std::string> aliases) {
    const std::string what = resource + " " + (section == "requests" ? "request" : "limit");
    RuleInfo r = practice(std::move(id), "Containers must set a " + what, severity);
    if (section == "requests")
        r.description = "Without a " + what + " the scheduler places the pod as if it needed no " + resource +
                        ", nodes get overcommitted and the pod is among the first evicted under pressure "
                        "(QoS class BestEffort). Checked for containers and init containers; a quantity of zero "
                        "counts as none.";
    else if (resource == "memory")
        r.description = "Without a memory limit one leaking container can exhaust the node's memory and get "
                        "other pods OOM-killed. Checked for containers and init containers; a quantity of zero "
                        "counts as none.";
    else
        r.description = "Without a CPU limit a busy container can starve its neighbours on the node (some teams "
                        "deliberately run without CPU limits: suppress this rule with a reason then). Checked "
                        "for containers and init containers; a quantity of zero counts as none.";
    r.remediation = "Set `resources." + section + "." + resource + "` for every container, sized from observed "
                    "usage.";
    r.aliases = std::move(aliases);
    r.compliance = {cref("nsa", "Network separation: resource policies"), cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class K8sCpuRequestsRule final : public K8sResourceRule {
public:
    K8sCpuRequestsRule()
        : K8sResourceRule(resource_info("K8S-CPU-REQUESTS", "requests", "cpu", Severity::Medium,
                                        {"polaris:cpuRequestsMissing", "checkov:CKV_K8S_10",
                                         "kube-linter:unset-cpu-requirements", "kube-score:container-resources"}),
                          "requests", "cpu") {}
};
COCONUT_REGISTER_RULE(K8sCpuRequestsRule);

class K8sCpuLimitsRule final : public K8sResourceRule {
public:
    K8sCpuLimitsRule()
        : K8sResourceRule(resource_info("K8S-CPU-LIMITS", "limits", "cpu", Severity::Low,
                                        {"polaris:cpuLimitsMissing", "checkov:CKV_K8S_11",
                                         "kube-score:container-resources"}),
                          "limits", "cpu") {}
};
COCONUT_REGISTER_RULE(K8sCpuLimitsRule);

class K8sMemoryRequestsRule final : public K8sResourceRule {
public:
    K8sMemoryRequestsRule()
        : K8sResourceRule(resource_info("K8S-MEMORY-REQUESTS", "requests", "memory", Severity::Medium,
                                        {"polaris:memoryRequestsMissing", "checkov:CKV_K8S_12",
                                         "kube-score:container-resources"}),
                          "requests", "memory") {}
};
COCONUT_REGISTER_RULE(K8sMemoryRequestsRule);

class K8sMemoryLimitsRule final : public K8sResourceRule {
public:
    K8sMemoryLimitsRule()
        : K8sResourceRule(resource_info("K8S-MEMORY-LIMITS", "limits", "memory", Severity::Medium,
                                        {"polaris:memoryLimitsMissing", "checkov:CKV_K8S_13",
                                         "kube-score:container-resources", "kube-linter:unset-memory-requirements"}),
                          "limits", "memory") {}
};
COCONUT_REGISTER_RULE(K8sMemoryLimitsRule);

// ---------------------------------------------------------------------------------------------
// Probes: only the regular containers of pods that keep running (controllers, and bare Pods with
// restartPolicy Always); Jobs, CronJobs, init and ephemeral containers are not probed this way.
bool probed(const Document& doc, const PodView& pod) {
    if (pod.long_running) return true;
    if (doc.kind != "Pod") return false;
    const std::string_view policy = get_str(pod.spec, "restartPolicy");
    return policy.empty() || policy == "Always";
}

class K8sProbeRule : public BasicRule {
public:
    K8sProbeRule(RuleInfo info, std::string field, bool needs_ports)
        : BasicRule(std::move(info)), m_field(std::move(field)), m_needs_ports(needs_ports) {}
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || !probed(doc, *pod)) return;
        for (const auto& c : pod->containers) {
            if (c.kind != ContainerKind::Container || is_set(get(c.node, m_field))) continue;
            if (m_needs_ports && items(c.node, "ports").empty()) continue;
            out.report(doc, c.node, c.label() + " has no " + m_field);
        }
    }

private:
    std::string m_field;
    bool m_needs_ports;
};

class K8sLivenessProbeRule final : public K8sProbeRule {
public:
    K8sLivenessProbeRule() : K8sProbeRule(make(), "livenessProbe", false) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-LIVENESS-PROBE", "Long-running containers should have a liveness probe",
                              Severity::Low);
        r.description = "Without a liveness probe a process that hangs (deadlock, exhausted pool) keeps its "
                        "pod Running forever and is never restarted. Checked for the containers of "
                        "Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and bare "
                        "Pods that restart always; not for Jobs, CronJobs or init containers.";
        r.remediation = "Add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) that fails only when a "
                        "restart would help; keep it cheaper and more tolerant than the readiness probe.";
        r.aliases = {"kube-linter:no-liveness-probe", "checkov:CKV_K8S_8", "polaris:livenessProbeMissing"};
        r.compliance = {cref("soc2", "CC7.2"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
};
COCONUT_REGISTER_RULE(K8sLivenessProbeRule);

class K8sReadinessProbeRule final : public K8sProbeRule {
public:
    K8sReadinessProbeRule() : K8sProbeRule(make(), "readinessProbe", true) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-READINESS-PROBE", "Long-running containers should have a readiness probe",
                              Severity::Medium);
        r.description = "Without a readiness probe a pod receives Service traffic as soon as its process "
                        "starts, and a rolling update proceeds before the new version can serve. Checked for "
                        "the containers that declare `ports` in long-running workloads and bare Pods that "
                        "restart always; not for Jobs, CronJobs, init containers, or containers without ports "
                        "(queue workers receive no Service traffic to gate).";
        r.remediation = "Add a `readinessProbe` that succeeds only when the container can serve requests.";
        // No alias: kube-linter's no-readiness-probe, Checkov's CKV_K8S_9 and Polaris'
        // readinessProbeMissing also require a probe of containers without ports, and kube-score's
        // pod-probes judges only pods a Service selects.
        r.compliance = {cref("soc2", "CC7.2"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
};
COCONUT_REGISTER_RULE(K8sReadinessProbeRule);

// ---------------------------------------------------------------------------------------------
class K8sReadOnlyRootFsRule final : public BasicRule {
public:
    K8sReadOnlyRootFsRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-READ-ONLY-ROOT-FS", "Containers should use a read-only root filesystem",
                              Severity::Medium);
        r.description = "A writable root filesystem lets an attacker who gets code execution drop tools and "
                        "modify binaries, and hides state in the container. Checked for containers and init "
                        "containers: `securityContext.readOnlyRootFilesystem` must be `true`.";
        r.remediation = "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the "
                        "process must write (for example /tmp).";
        r.aliases = {"kube-linter:no-read-only-root-fs", "kube-score:container-security-context-readonlyrootfilesystem",
                     "checkov:CKV_K8S_22", "polaris:notReadOnlyRootFilesystem"};
        r.compliance = {cref("nsa", "Pod security: immutable container file systems"), cref("soc2", "CC6.8"),
                        cref("hipaa", "164.312(c)(1)"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_container_security(*pod, [&](const ContainerSecurity& c) {
            if (c.container->kind != ContainerKind::Ephemeral)
                require_bool(doc, out, c, "readOnlyRootFilesystem", true);
        });
    }
};
COCONUT_REGISTER_RULE(K8sReadOnlyRootFsRule);

// ---------------------------------------------------------------------------------------------
class K8sHostPathWritableRule final : public BasicRule {
public:
    K8sHostPathWritableRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-HOSTPATH-WRITABLE", "hostPath volumes must be mounted read-only", Severity::High);
        r.description = "A hostPath mounted read-write lets the container change files of the node (binaries, "
                        "kubelet configuration, other pods' data). Reported for every volumeMount of a hostPath "
                        "volume without `readOnly: true`, also where a privileged namespace allows hostPath "
                        "volumes (K8S-HOSTPATH-VOLUME).";
        r.remediation = "Set `readOnly: true` on the volumeMount (and mount the narrowest path).";
        r.aliases = {"kube-linter:writable-host-mount"};
        r.compliance = {cref("cis-k8s", "5.2.12"), cref("nsa", "Pod security: immutable container file systems"),
                        cref("soc2", "CC6.1"), cref("hipaa", "164.312(c)(1)"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        std::map<std::string, std::string, std::less<>> host_volumes;   // name -> host path
        for (const yaml::Node* v : items(pod->spec, "volumes"))
            if (is_set(get(v, "hostPath")))
                host_volumes[std::string(get_str(v, "name"))] = std::string(get_str(get(v, "hostPath"), "path"));
        if (host_volumes.empty()) return;
        for (const auto& c : pod->containers) {
            for (const yaml::Node* m : items(c.node, "volumeMounts")) {
                auto it = host_volumes.find(get_str(m, "name"));
                if (it == host_volumes.end() || get_bool(m, "readOnly") == true) continue;
                out.report(doc, m,
                           c.label() + " mounts hostPath volume " + dq(it->first) +
                               (it->second.empty() ? std::string() : " (" + it->second + ")") + " read-write at " +
                               std::string(get_str(m, "mountPath")));
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sHostPathWritableRule);

// ---------------------------------------------------------------------------------------------
// An environment variable name that conventionally holds a credential.
// (Compared in lower case: the same as upper case for the ASCII letters of the markers.)
bool secret_like(std::string_view name) {
    const std::string n = util::to_lower(name);
    constexpr std::array<std::string_view, 11> k_markers = {
        "password",    "passwd",     "secret",     "token",    "api_key",    "apikey",
        "private_key", "access_key", "credential", "auth_key", "client_key",
    };
    // Names that point at a credential rather than hold it.
    constexpr std::array<std::string_view, 12> k_pointer_suffixes = {
        "_file", "_path", "_dir", "_url", "_uri", "_endpoint", "_name", "_ref", "_ttl", "_length", "_id", "_arn",
    };
    for (std::string_view suffix : k_pointer_suffixes)
        if (n.size() > suffix.size() && n.ends_with(suffix)) return false;
    return std::any_of(k_markers.begin(), k_markers.end(),
                       [&](std::string_view m) { return n.find(m) != std::string::npos; });
}

class K8sEnvSecretLiteralRule final : public BasicRule {
public:
    K8sEnvSecretLiteralRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-ENV-SECRET-LITERAL", "Secrets must not be written as literal env values",
                              Severity::High);
        r.description = "An environment variable whose name marks a credential (containing PASSWORD, PASSWD, "
                        "SECRET, TOKEN, API_KEY, APIKEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL, AUTH_KEY or "
                        "CLIENT_KEY; names ending in _FILE, _PATH, _DIR, _URL, _URI, _ENDPOINT, _NAME, _REF, "
                        "_TTL, _LENGTH, _ID or _ARN point at or identify one and are ignored) set with a literal `value:` puts the "
                        "secret in the manifest, in version control and in every `kubectl get -o yaml`.";
        r.remediation = "Store the value in a Secret (or an external secret store) and reference it with "
                        "`valueFrom.secretKeyRef`, or mount it as a file.";
        // No alias: kube-linter's env-var-secret (any name containing "secret", any value) and Polaris'
        // sensitiveContainerEnvVar (its own name and value patterns) match other sets of variables.
        r.compliance = {cref("cis-k8s", "5.4.1"), cref("nsa", "Network separation: secrets"), cref("soc2", "CC6.1"),
                        cref("hipaa", "164.312(a)(1)"), cref("gdpr", "Art. 32(1)(b)")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            for (const yaml::Node* e : items(c.node, "env")) {
                const std::string_view name = get_str(e, "name");
                const std::string_view value = get_str(e, "value");
                if (value.empty() || !secret_like(name)) continue;
                if (value.starts_with("$(") && value.ends_with(")")) continue;   // a reference to another variable
                out.report(doc, get(e, "value"),
                           c.label() + " sets " + std::string(name) + " to a literal value; use valueFrom.secretKeyRef");
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sEnvSecretLiteralRule);

// ---------------------------------------------------------------------------------------------
class K8sEnvSecretRefRule final : public BasicRule {
public:
    K8sEnvSecretRefRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-ENV-SECRET-REF", "Secrets should be mounted as files, not passed in env",
                              Severity::Info);
        r.description = "Environment variables leak more easily than files: they are inherited by every child "
                        "process, printed by crash reporters and debug endpoints, and readable in "
                        "`/proc/*/environ`. The CIS Kubernetes Benchmark (5.4.1) prefers Secrets "
                        "mounted as files. Reported for every `env[*].valueFrom.secretKeyRef` and "
                        "`envFrom[*].secretRef` of any container (informational: many applications only read "
                        "configuration from the environment).";
        r.remediation = "Mount the Secret as a volume (`secret:` volume, `readOnly: true`) and point the application "
                        "at the file (many accept `*_FILE` variables).";
        r.aliases = {"kube-linter:read-secret-from-env-var", "checkov:CKV_K8S_35"};
        r.compliance = {cref("cis-k8s", "5.4.1"), cref("nsa", "Network separation: secrets"), cref("soc2", "CC6.1")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            for (const yaml::Node* e : items(c.node, "env")) {
                const yaml::Node* ref = get_path(e, {"valueFrom", "secretKeyRef"});
                if (!is_set(ref)) continue;
                out.report(doc, get(e, "valueFrom")->find_key("secretKeyRef"),
                           c.label() + " reads Secret " + dq(get_str(ref, "name")) + " into env " +
                               dq(get_str(e, "name")));
            }
            for (const yaml::Node* e : items(c.node, "envFrom")) {
                const yaml::Node* ref = get(e, "secretRef");
                if (!is_set(ref)) continue;
                out.report(doc, e->find_key("secretRef"),
                           c.label() + " reads every key of Secret " + dq(get_str(ref, "name")) + " into env");
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sEnvSecretRefRule);

// ---------------------------------------------------------------------------------------------
class K8sEnvDuplicateRule final : public BasicRule {
public:
    K8sEnvDuplicateRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = practice("K8S-ENV-DUPLICATE", "Environment variables must not be defined twice",
                              Severity::Low);
        r.description = "When a container's `env` lists the same name twice the last one silently wins; "
                        "usually one of the two is a stale edit, and tools that merge manifests disagree about "
                        "which stays.";
        r.remediation = "Remove the duplicate entry and keep the intended value.";
        r.aliases = {"kube-linter:duplicate-env-var", "kube-score:environment-variable-key-duplication"};
        r.no_compliance_reason = "configuration hygiene; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            std::map<std::string, const yaml::Node*, std::less<>> seen;
            for (const yaml::Node* e : items(c.node, "env")) {
                const yaml::Node* name = get(e, "name");
                const std::string_view n = scalar_text(name);
                if (n.empty()) continue;
                auto [it, inserted] = seen.emplace(std::string(n), name);
                if (inserted) continue;
                out.report(doc, name,
                           c.label() + " defines env " + dq(n) + " again (first at line " +
                               std::to_string(it->second->start.line) + ")");
            }
        }
    }
};
COCONUT_REGISTER_RULE(K8sEnvDuplicateRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
