// Kubernetes rules about what of the node a container can reach beyond the Pod Security Standards'
// controls: the NET_RAW capability, sensitive host directories and the container runtime socket
// mounted from hostPath volumes.
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

bool equals_all(std::string_view cap) {
    return util::to_lower(cap) == "all";
}

// ---------------------------------------------------------------------------------------------
class K8sNetRawRule final : public BasicRule {
public:
    K8sNetRawRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-NET-RAW", "Containers must drop the NET_RAW capability", Severity::Medium, pod_kinds());
        r.description =
            "NET_RAW is in the default capability set of Docker and containerd: a process in the "
            "container can craft raw packets (ARP and DNS spoofing on the node's network, ICMP "
            "tricks) without any other privilege. Reported for every container, init container and "
            "ephemeral container that adds `NET_RAW` or `ALL` to `securityContext.capabilities.add`, "
            "or whose `capabilities.drop` lists neither `NET_RAW` nor `ALL` (a container without "
            "capabilities keeps the runtime's default set, NET_RAW included). Windows pods "
            "(`spec.os.name: windows`) have no Linux capabilities and are not judged.";
        r.remediation =
            "Set `securityContext.capabilities.drop: [ALL]` (or at least `NET_RAW`) and do not add it "
            "back; `ping` works without it on kernels with `net.ipv4.ping_group_range`.";
        r.aliases = {"kube-linter:drop-net-raw-capability", "checkov:CKV_K8S_28"};
        r.compliance = isolation_compliance({"5.2.8"}, {"Pod security: hardening container environments"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod || pod->windows()) return;
        for (const auto& c : pod->containers) {
            const yaml::Node* caps = get(c.security_context(), "capabilities");
            const yaml::Node* added = nullptr;
            for (const yaml::Node* a : items(caps, "add")) {
                const std::string_view name = scalar_text(a);
                if (name.find("NET_RAW") != std::string_view::npos || equals_all(name)) added = a;
            }
            if (added != nullptr) {
                out.report(doc, added,
                           c.label() + " adds capability " + dq(scalar_text(added)) +
                               (equals_all(scalar_text(added)) ? " (every capability, NET_RAW included)" : ""));
                continue;
            }
            bool dropped = false;
            for (const yaml::Node* d : items(caps, "drop")) {
                const std::string_view name = scalar_text(d);
                dropped = dropped || name.find("NET_RAW") != std::string_view::npos || equals_all(name);
            }
            if (!dropped)
                out.report(doc, deepest(c.node, {"securityContext", "capabilities", "drop"}),
                           c.label() + " does not drop NET_RAW (securityContext.capabilities.drop)");
        }
    }
};
COCONUT_REGISTER_RULE(K8sNetRawRule);

// ---------------------------------------------------------------------------------------------
// Reports every volumeMount of a hostPath volume whose path `matches`, as kube-linter's host-mounts
// template does: a volume that no container mounts exposes nothing.
template <class Match>
void report_host_mounts(const Document& doc, const PodView& pod, Reporter& out, Match&& matches,
                        std::string_view what) {
    std::map<std::string, std::string, std::less<>> volumes;  // name -> host path
    for (const yaml::Node* v : items(pod.spec, "volumes")) {
        const yaml::Node* hp = get(v, "hostPath");
        if (!is_set(hp)) continue;
        const std::string path(get_str(hp, "path"));
        if (matches(path)) volumes[std::string(get_str(v, "name"))] = path;
    }
    if (volumes.empty()) return;
    for (const auto& c : pod.containers)
        for (const yaml::Node* m : items(c.node, "volumeMounts")) {
            const auto it = volumes.find(get_str(m, "name"));
            if (it == volumes.end()) continue;
            out.report(doc, m,
                       c.label() + " mounts " + std::string(what) + " " + it->second + " (hostPath volume " +
                           dq(it->first) + ") at " + std::string(get_str(m, "mountPath")));
        }
}

class K8sSensitiveHostMountRule final : public BasicRule {
public:
    K8sSensitiveHostMountRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r = k8s_rule("K8S-SENSITIVE-HOST-MOUNT", "Containers must not mount system directories of the node",
                              Severity::High, pod_kinds());
        r.description =
            "A hostPath volume of `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys` or `/usr` "
            "mounted into a container exposes the node's configuration, credentials, kernel "
            "interfaces or binaries; written to, it takes over the node. Reported for every "
            "volumeMount (any container) of a hostPath volume whose `path` is exactly one of "
            "those directories (subdirectories such as `/var/log` are not, and a volume no container "
            "mounts is not). This is in addition to K8S-HOSTPATH-VOLUME, which the Pod Security "
            "Standards relax for privileged namespaces.";
        r.remediation =
            "Remove the volume and its mounts; read what the workload needs from the API, a "
            "ConfigMap or a narrower path.";
        r.aliases = {"kube-linter:sensitive-host-mounts"};
        r.compliance = isolation_compliance({"5.2.12"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        static constexpr std::array<std::string_view, 8> k_dirs = {"/",    "/boot", "/dev", "/etc",
                                                                   "/lib", "/proc", "/sys", "/usr"};
        report_host_mounts(
            doc, *pod, out,
            [](const std::string& path) { return std::find(k_dirs.begin(), k_dirs.end(), path) != k_dirs.end(); },
            "the node's system directory");
    }
};
COCONUT_REGISTER_RULE(K8sSensitiveHostMountRule);

class K8sDockerSockRule final : public BasicRule {
public:
    K8sDockerSockRule() : BasicRule(make()) {}
    static RuleInfo make() {
        RuleInfo r =
            k8s_rule("K8S-DOCKER-SOCK", "Containers must not mount the Docker socket", Severity::Critical, pod_kinds());
        r.description =
            "Whoever can talk to the Docker daemon's socket can start a privileged container with the "
            "node's root filesystem mounted: mounting `docker.sock` hands the node to the container. "
            "Reported for every volumeMount (any container) of a hostPath volume whose `path` ends in "
            "`docker.sock` (`/var/run/docker.sock`, `/run/docker.sock`, ...).";
        r.remediation =
            "Remove the volume; build images with a daemonless builder (BuildKit rootless, Buildah, "
            "Kaniko) and talk to the cluster through its API instead of the node's runtime.";
        r.aliases = {"kube-linter:docker-sock", "checkov:CKV_K8S_27"};
        r.compliance = isolation_compliance({"5.2.12"});
        return r;
    }
    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        auto pod = pod_view(doc);
        if (!pod) return;
        report_host_mounts(
            doc, *pod, out, [](const std::string& path) { return path.ends_with("docker.sock"); }, "the Docker socket");
    }
};
COCONUT_REGISTER_RULE(K8sDockerSockRule);

}  // namespace
}  // namespace coconut::policy::rules::kubernetes
