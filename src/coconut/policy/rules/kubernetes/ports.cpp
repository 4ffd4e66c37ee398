// Kubernetes rules about container ports: SSH and privileged ports, probes that target a port the
// container does not declare, and port names that break the IANA service name syntax.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/kubernetes/pod.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::kubernetes {
namespace {

// A container port's protocol, TCP when unset.
std::string_view protocol_of(const yaml::Node* port) {
    const std::string_view p = get_str(port, "protocol");
    return p.empty() ? std::string_view("TCP") : p;
}

// Calls fn(container, port mapping, containerPort) for every declared container port.
template <class F>
void for_each_port(const PodView& pod, F&& fn) {
    for (const auto& c : pod.containers)
        for (const yaml::Node* p : items(c.node, "ports"))
            if (auto number = get_int(p, "containerPort")) fn(c, p, *number);
}

// ---------------------------------------------------------------------------------------------
class K8sSshPortRule final : public BasicRule {
public:
    K8sSshPortRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-SSH-PORT", "Containers should not expose the SSH port 22", Severity::Medium, pod_kinds());
        r.description =
            "A container port 22/TCP means an SSH daemon in the pod: a second remote-access path with "
            "its own credentials that bypasses `kubectl exec` and its audit log. Reported for every "
            "`containerPort: 22` whose protocol is TCP (the default), in any container.";
        r.remediation = "Remove sshd from the image and debug with `kubectl exec` or an ephemeral debug container.";
        r.aliases = {"kube-linter:ssh-port"};
        r.compliance = {cref("soc2", "CC6.6"), cref("nsa", "Network separation: network policies")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_port(*pod, [&](const ContainerRef& c, const yaml::Node* p, std::int64_t number) {
            if (number == 22 && protocol_of(p) == "TCP")
                out.report(doc, get(p, "containerPort"), c.label() + " exposes port 22/TCP (SSH)");
        });
    }
};
COCONUT_REGISTER_RULE(K8sSshPortRule);

// ---------------------------------------------------------------------------------------------
class K8sPrivilegedPortRule final : public BasicRule {
public:
    K8sPrivilegedPortRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-PRIVILEGED-PORT", "Containers should listen on unprivileged ports (1024 and up)",
                              Severity::Low, pod_kinds());
        r.description =
            "Binding a port below 1024 needs root or the NET_BIND_SERVICE capability, so a container "
            "port in 1-1023 usually means the process keeps a privilege it needs for nothing else "
            "(the Service can still expose port 80 with `targetPort: 8080`). Reported for every "
            "`containerPort` from 1 to 1023, in any container.";
        r.remediation =
            "Listen on a port of 1024 or above in the container and map the well-known port in the "
            "Service (`port: 80`, `targetPort: 8080`).";
        r.aliases = {"kube-linter:privileged-ports"};
        r.compliance = {cref("nsa", "Pod security: non-root containers"), cref("soc2", "CC6.1")};
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for_each_port(*pod, [&](const ContainerRef& c, const yaml::Node* p, std::int64_t number) {
            if (number > 0 && number < 1024)
                out.report(doc, get(p, "containerPort"),
                           c.label() + " listens on privileged port " + std::to_string(number));
        });
    }
};
COCONUT_REGISTER_RULE(K8sPrivilegedPortRule);

// ---------------------------------------------------------------------------------------------
// A probe's port must be a TCP port the container declares (by number or name): one rule per probe
// kind, as kube-linter's liveness-port, readiness-port and startup-port.
class K8sProbePortRule : public BasicRule {
public:
    K8sProbePortRule(RuleInfo info, std::string probe) : BasicRule(std::move(info)), m_probe(std::move(probe)) {}
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers) {
            if (c.kind != ContainerKind::Container) continue;
            const yaml::Node* probe = get(c.node, m_probe);
            for (const char* action : {"httpGet", "tcpSocket", "grpc"}) {
                const yaml::Node* port = get(get(probe, action), "port");
                if (port == nullptr || !port->is_scalar() || port->is_null() || declares(c, *port)) continue;
                out.report(doc, port,
                           c.label() + " " + m_probe + "." + action + " targets port " + dq(port->text) +
                               ", which is not a TCP port the container declares");
            }
        }
    }

private:
    static bool declares(const ContainerRef& c, const yaml::Node& port) {
        const auto number = yaml::as_int(port, yaml::Dialect::Kubernetes);
        for (const yaml::Node* p : items(c.node, "ports")) {
            if (protocol_of(p) != "TCP") continue;
            if (number ? get_int(p, "containerPort") == *number : get_str(p, "name") == port.text) return true;
        }
        return false;
    }
    std::string m_probe;
};

RuleInfo probe_port_info(std::string id, const std::string& probe, const std::string& alias) {
    RuleInfo r = k8s_rule(std::move(id), "The " + probe + " must target a port the container declares", Severity::Low,
                          pod_kinds());
    r.description = "A `" + probe +
                    "` whose httpGet, tcpSocket or grpc port is neither the number nor the name "
                    "of a TCP port in the container's `ports` usually probes the wrong port (a port renamed or "
                    "changed on one side only); a named port that no declaration resolves makes the probe fail "
                    "outright. Checked for regular containers.";
    r.remediation = "Declare the port in the container's `ports` (with a name) and probe it by that name.";
    r.aliases = {alias};
    r.no_compliance_reason = "correctness of references within an object; no control requires it";
    return r;
}

class K8sLivenessPortRule final : public K8sProbePortRule {
public:
    K8sLivenessPortRule()
        : K8sProbePortRule(probe_port_info("K8S-LIVENESS-PORT", "livenessProbe", "kube-linter:liveness-port"),
                           "livenessProbe") {}
};
COCONUT_REGISTER_RULE(K8sLivenessPortRule);

class K8sReadinessPortRule final : public K8sProbePortRule {
public:
    K8sReadinessPortRule()
        : K8sProbePortRule(probe_port_info("K8S-READINESS-PORT", "readinessProbe", "kube-linter:readiness-port"),
                           "readinessProbe") {}
};
COCONUT_REGISTER_RULE(K8sReadinessPortRule);

class K8sStartupPortRule final : public K8sProbePortRule {
public:
    K8sStartupPortRule()
        : K8sProbePortRule(probe_port_info("K8S-STARTUP-PORT", "startupProbe", "kube-linter:startup-port"),
                           "startupProbe") {}
};
COCONUT_REGISTER_RULE(K8sStartupPortRule);

// ---------------------------------------------------------------------------------------------
// Why `name` is not an IANA_SVC_NAME (RFC 6335 §5.1, as the Kubernetes API validates port names),
// or nullopt when it is one.
std::optional<std::string> port_name_problem(std::string_view name) {
    if (name.size() > 15) return "is longer than 15 characters";
    if (!std::all_of(name.begin(), name.end(),
                     [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'; }))
        return "may contain only lower-case letters, digits and '-'";
    if (std::none_of(name.begin(), name.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
        return "must contain at least one letter";
    if (name.find("--") != std::string_view::npos) return "must not contain '--'";
    if (name.starts_with('-') || name.ends_with('-')) return "must not begin or end with '-'";
    return std::nullopt;
}

class K8sPortNameRule final : public BasicRule {
public:
    K8sPortNameRule() : BasicRule(make()) {}
    static RuleInfo make() {
        std::vector<std::string> kinds = pod_kinds();
        kinds.push_back("Service");
        RuleInfo r =
            k8s_rule("K8S-PORT-NAME", "Port names and target ports must be valid", Severity::Medium, std::move(kinds));
        r.description =
            "Container port names and named Service `targetPort`s must be IANA service names: at most "
            "15 characters, lower-case letters, digits and `-`, at least one letter, no `--`, no "
            "leading or trailing `-`; a numeric `targetPort` must be 1-65535. The API server rejects "
            "a manifest that breaks this, at apply time. Checked for the ports of every container and "
            "every Service port.";
        r.remediation =
            "Rename the port (`http-metrics` rather than `http_metrics` or `HTTPMetrics`) and use the "
            "same name in the Service's `targetPort`.";
        r.aliases = {"kube-linter:invalid-target-ports"};
        r.no_compliance_reason = "manifest validity; no control requires it";
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.kind == "Service") {
            if (is_patch(doc)) return;
            for (const yaml::Node* p : items(get(doc.root, "spec"), "ports")) {
                const yaml::Node* target = get(p, "targetPort");
                if (target == nullptr || !target->is_scalar() || target->is_null()) continue;
                if (const auto number = get_int(p, "targetPort")) {
                    if (*number != 0 && (*number < 1 || *number > 65535))
                        out.report(doc, target,
                                   "targetPort " + target->text + " of Service " + dq(doc.name) +
                                       " is not a port number (1-65535)");
                } else if (const auto problem = port_name_problem(target->text)) {
                    out.report(doc, target,
                               "targetPort " + dq(target->text) + " of Service " + dq(doc.name) + " " + *problem);
                }
            }
            return;
        }
        auto pod = pod_view(doc);
        if (!pod) return;
        for (const auto& c : pod->containers)
            for (const yaml::Node* p : items(c.node, "ports")) {
                const std::string_view name = get_str(p, "name");
                if (name.empty()) continue;
                if (const auto problem = port_name_problem(name))
                    out.report(doc, get(p, "name"), "port name " + dq(name) + " of " + c.label() + " " + *problem);
            }
    }
};
COCONUT_REGISTER_RULE(K8sPortNameRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
