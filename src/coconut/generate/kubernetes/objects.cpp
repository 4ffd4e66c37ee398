#include "coconut/generate/kubernetes/objects.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>

namespace coconut::generate::kubernetes {

namespace {

using spec::Service;
using spec::ServiceType;
using spec::Spec;

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// FNV-1a, 64 bit: a stable, dependency-free content hash (not for security).
class Fnv1a {
public:
    void add(std::string_view s) {
        for (unsigned char c : s) {
            m_hash ^= c;
            m_hash *= 0x100000001b3ULL;
        }
        m_hash ^= 0xff;  // field separator, so ("ab","c") != ("a","bc")
        m_hash *= 0x100000001b3ULL;
    }
    [[nodiscard]] std::string hex() const {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_hash));
        return buf;
    }

private:
    std::uint64_t m_hash = 0xcbf29ce484222325ULL;
};

// An empty object with room for `capacity` keys. ordered_json keeps its keys in a vector of
// pair<const string, json>; growing it copies (deeply: the const key blocks the move) every
// value already in it, so the objects that get many or large members reserve first.
Json object(std::size_t capacity) {
    Json o = Json::object();
    o.get_ref<Json::object_t&>().reserve(capacity);
    return o;
}

Json metadata(std::string_view name, std::string_view ns, Json labels) {
    Json m = object(4);
    m["name"] = name;
    if (!ns.empty()) m["namespace"] = ns;
    m["labels"] = std::move(labels);
    return m;
}

Json header(const char* api_version, const char* kind, Json meta) {
    Json o = object(5);
    o["apiVersion"] = api_version;
    o["kind"] = kind;
    o["metadata"] = std::move(meta);
    return o;
}

// Everything the object builders of one service share.
struct Context {
    const Spec& spec;
    const Service& svc;
    std::string_view ns;
    const std::vector<const Service*>& dependents;  // services that depend on svc
    Json labels;                                   // full labels
    Json selector;                                 // selector labels
    std::string port_name;                         // "" when the service has no port
    std::string workload_kind;

    [[nodiscard]] Json meta(std::string_view name) const { return metadata(name, ns, labels); }
    [[nodiscard]] std::string headless_name() const { return svc.name + "-headless"; }
    [[nodiscard]] std::string secret_name() const { return svc.name + "-secrets"; }
    [[nodiscard]] std::string env_config_name() const { return svc.name + "-env"; }
};

// Replica plan of a long-running workload (see docs: replicas, HPA, PDB).
struct ReplicaPlan {
    std::optional<int> replicas;   // spec.replicas; absent when the HPA owns it
    bool hpa = false;
    int hpa_min = 0;
    int hpa_max = 0;
    int effective_min = 0;         // the replica floor, for the PDB
    bool spread = false;           // more than one pod may run
};

ReplicaPlan plan_replicas(const spec::Replicas& r) {
    ReplicaPlan p;
    if (r.max <= 0) {
        p.replicas = 0;
    } else if (r.max > r.min) {
        p.hpa = true;
        p.hpa_min = std::max(r.min, 1);   // minReplicas 0 needs the HPAScaleToZero feature gate
        p.hpa_max = r.max;
        p.effective_min = p.hpa_min;
        p.spread = true;
    } else {
        p.replicas = r.min;
        p.effective_min = r.min;
        p.spread = r.min > 1;
    }
    return p;
}

Json port_ref(const Context& c, int port) {
    // The service's own port is referenced by name (survives a port change); another port by number.
    if (!c.port_name.empty() && (port == 0 || port == c.svc.port)) return c.port_name;
    return port;
}

std::optional<Json> probe(const Context& c) {
    const Service& s = c.svc;
    Json p = object(5);
    if (s.health) {
        const auto& h = *s.health;
        int port = h.port != 0 ? h.port : s.port;
        if (!h.command.empty()) {
            p["exec"] = Json::object({{"command", h.command}});
        } else if (port == 0) {
            return std::nullopt;
        } else if (!h.path.empty()) {
            Json get = Json::object();
            get["path"] = h.path;
            get["port"] = port_ref(c, port);
            p["httpGet"] = std::move(get);
        } else {
            p["tcpSocket"] = Json::object({{"port", port_ref(c, port)}});
        }
        if (h.initial_delay.seconds > 0) p["initialDelaySeconds"] = h.initial_delay.seconds;
        p["periodSeconds"] = std::max<std::int64_t>(h.interval.seconds, 1);
        p["timeoutSeconds"] = std::max<std::int64_t>(h.timeout.seconds, 1);
        p["failureThreshold"] = std::max(h.failure_threshold, 1);
        return p;
    }
    if (s.port == 0) return std::nullopt;
    spec::Health defaults;
    p["tcpSocket"] = Json::object({{"port", port_ref(c, s.port)}});
    p["periodSeconds"] = defaults.interval.seconds;
    p["timeoutSeconds"] = defaults.timeout.seconds;
    p["failureThreshold"] = defaults.failure_threshold;
    return p;
}

std::string claim_name(const Service& s, const spec::Volume& v) { return s.name + "-" + v.name; }

Json container(const Context& c) {
    const Service& s = c.svc;
    Json k = object(16);
    k["name"] = s.name;
    k["image"] = c.spec.image_of(s);
    k["imagePullPolicy"] = "IfNotPresent";
    if (!s.command.empty()) k["command"] = s.command;
    if (!s.args.empty()) k["args"] = s.args;
    if (s.port != 0) {
        Json port = Json::object();
        port["name"] = c.port_name;
        port["containerPort"] = s.port;
        port["protocol"] = "TCP";
        k["ports"] = Json::array({std::move(port)});
    }
    if (!s.env.empty())
        k["envFrom"] = Json::array({Json::object({{"configMapRef", Json::object({{"name", c.env_config_name()}})}})});
    if (!s.secrets.empty()) {
        Json env = Json::array();
        for (const auto& [var, ref] : s.secrets) {
            (void)ref;
            env.push_back(secret_env_var(c.secret_name(), var));
        }
        k["env"] = std::move(env);
    }
    Json requests = Json::object();
    requests["cpu"] = s.resources.cpu;
    requests["memory"] = s.resources.memory;
    Json limits = Json::object();
    limits["cpu"] = s.resources.cpu_limit.empty() ? s.resources.cpu : s.resources.cpu_limit;
    limits["memory"] = s.resources.memory_limit.empty() ? s.resources.memory : s.resources.memory_limit;
    Json resources = Json::object();
    resources["requests"] = std::move(requests);
    resources["limits"] = std::move(limits);
    k["resources"] = std::move(resources);
    if (s.type != ServiceType::Job) {
        if (auto p = probe(c)) {
            k["readinessProbe"] = *p;
            k["livenessProbe"] = std::move(*p);
        }
        if (s.port != 0) {
            // Keep serving while endpoints controllers and proxies drop the pod (no 502s on
            // rollout). The sleep action needs no shell in the image (Kubernetes >= 1.30).
            k["lifecycle"] =
                Json::object({{"preStop", Json::object({{"sleep", Json::object({{"seconds", k_prestop_sleep_seconds}})}})}});
        }
    }
    Json sc = object(4);
    sc["allowPrivilegeEscalation"] = false;
    sc["readOnlyRootFilesystem"] = !c.spec.has_exception(k_rule_read_only_root_fs, s.name);
    sc["runAsNonRoot"] = true;
    sc["capabilities"] = Json::object({{"drop", Json::array({"ALL"})}});
    k["securityContext"] = std::move(sc);
    Json mounts = Json::array();
    std::string tmp = s.tmp_volume_name();
    if (!tmp.empty()) mounts.push_back(Json::object({{"name", tmp}, {"mountPath", "/tmp"}}));
    for (const auto& v : s.volumes) {
        Json m = Json::object();
        m["name"] = v.name;
        m["mountPath"] = v.path;
        if (v.read_only) m["readOnly"] = true;
        mounts.push_back(std::move(m));
    }
    k["volumeMounts"] = std::move(mounts);
    return k;
}

std::string config_hash(const Service& s) {
    Fnv1a h;
    h.add("env");
    for (const auto& [k, v] : s.env) {
        h.add(k);
        h.add(v);
    }
    h.add("secrets");
    for (const auto& [k, v] : s.secrets) {
        h.add(k);
        h.add(v);
    }
    return h.hex();
}

Json spread_constraints(const Context& c) {
    Json out = Json::array();
    for (const char* key : {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}) {
        Json t = Json::object();
        t["maxSkew"] = 1;
        t["topologyKey"] = key;
        t["whenUnsatisfiable"] = "ScheduleAnyway";
        t["labelSelector"] = Json::object({{"matchLabels", c.selector}});
        // Spread each rollout's pods, not old and new together (Deployments only).
        if (c.workload_kind == "Deployment") t["matchLabelKeys"] = Json::array({"pod-template-hash"});
        out.push_back(std::move(t));
    }
    return out;
}

Json pod_template(const Context& c, bool spread) {
    const Service& s = c.svc;
    Json meta = Json::object();
    meta["labels"] = c.labels;
    if (!s.env.empty() || !s.secrets.empty())
        meta["annotations"] = Json::object({{k_config_hash_annotation, config_hash(s)}});

    Json pod = object(12);
    pod["serviceAccountName"] = s.name;
    pod["automountServiceAccountToken"] = false;
    // Thousands of Services in one namespace would otherwise inject thousands of env variables.
    pod["enableServiceLinks"] = false;
    if (s.type == ServiceType::Job) pod["restartPolicy"] = "Never";
    Json psc = object(6);
    psc["runAsNonRoot"] = true;
    psc["runAsUser"] = s.run_as_user;
    psc["runAsGroup"] = s.run_as_user;
    psc["fsGroup"] = s.run_as_user;
    if (s.is_persistent()) psc["fsGroupChangePolicy"] = "OnRootMismatch";
    psc["seccompProfile"] = Json::object({{"type", "RuntimeDefault"}});
    pod["securityContext"] = std::move(psc);
    pod["terminationGracePeriodSeconds"] = k_termination_grace_seconds;
    if (spread) pod["topologySpreadConstraints"] = spread_constraints(c);
    pod["containers"] = Json::array({container(c)});

    Json volumes = Json::array();
    std::string tmp = s.tmp_volume_name();
    if (!tmp.empty()) volumes.push_back(Json::object({{"name", tmp}, {"emptyDir", Json::object()}}));
    for (const auto& v : s.volumes) {
        if (v.size.empty()) {
            volumes.push_back(Json::object({{"name", v.name}, {"emptyDir", Json::object()}}));
        } else if (c.workload_kind != "StatefulSet") {
            // Jobs: a standalone claim (volumeClaimTemplates exist only on StatefulSets).
            Json claim = Json::object({{"claimName", claim_name(s, v)}});
            if (v.read_only) claim["readOnly"] = true;
            volumes.push_back(Json::object({{"name", v.name}, {"persistentVolumeClaim", std::move(claim)}}));
        }
    }
    if (!volumes.empty()) pod["volumes"] = std::move(volumes);

    Json t = Json::object();
    t["metadata"] = std::move(meta);
    t["spec"] = std::move(pod);
    return t;
}

Json claim_spec(const spec::Volume& v) {
    Json spec = Json::object();
    spec["accessModes"] = Json::array({"ReadWriteOnce"});
    if (!v.storage_class.empty()) spec["storageClassName"] = v.storage_class;
    spec["resources"] = Json::object({{"requests", Json::object({{"storage", v.size}})}});
    return spec;
}

void add(std::vector<Object>& out, const std::string& service, const char* api_version, const char* kind,
         std::string name, Json body) {
    out.push_back(Object{service, api_version, kind, std::move(name), std::move(body)});
}

void build_service_account(const Context& c, std::vector<Object>& out) {
    Json o = header("v1", "ServiceAccount", c.meta(c.svc.name));
    o["automountServiceAccountToken"] = false;
    add(out, c.svc.name, "v1", "ServiceAccount", c.svc.name, std::move(o));
}

void build_config_map(const Context& c, std::vector<Object>& out) {
    if (c.svc.env.empty()) return;
    Json o = header("v1", "ConfigMap", c.meta(c.env_config_name()));
    Json data = Json::object();
    for (const auto& [k, v] : c.svc.env) data[k] = v;
    o["data"] = std::move(data);
    add(out, c.svc.name, "v1", "ConfigMap", c.env_config_name(), std::move(o));
}

void build_external_secret(const Context& c, std::vector<Object>& out) {
    if (c.svc.secrets.empty()) return;
    std::string store = "coconut";
    if (c.spec.targets.kubernetes && !c.spec.targets.kubernetes->secret_store.empty())
        store = c.spec.targets.kubernetes->secret_store;
    Json o = header("external-secrets.io/v1beta1", "ExternalSecret", c.meta(c.secret_name()));
    Json spec = Json::object();
    spec["refreshInterval"] = "1h";
    spec["secretStoreRef"] = Json::object({{"kind", "SecretStore"}, {"name", store}});
    spec["target"] = Json::object({{"name", c.secret_name()}, {"creationPolicy", "Owner"}});
    Json data = Json::array();
    for (const auto& [var, ref] : c.svc.secrets) data.push_back(external_secret_data(var, ref));
    spec["data"] = std::move(data);
    o["spec"] = std::move(spec);
    add(out, c.svc.name, "external-secrets.io/v1beta1", "ExternalSecret", c.secret_name(), std::move(o));
}

void build_claims(const Context& c, std::vector<Object>& out) {
    if (c.workload_kind == "StatefulSet") return;
    for (const auto& v : c.svc.volumes) {
        if (v.size.empty()) continue;
        std::string name = claim_name(c.svc, v);
        Json o = header("v1", "PersistentVolumeClaim", c.meta(name));
        o["spec"] = claim_spec(v);
        add(out, c.svc.name, "v1", "PersistentVolumeClaim", std::move(name), std::move(o));
    }
}

Json service_port(const Context& c) {
    Json p = Json::object();
    p["name"] = c.port_name;
    p["port"] = c.svc.port;
    p["targetPort"] = c.port_name;
    p["protocol"] = "TCP";
    if (c.port_name == "http") p["appProtocol"] = "http";
    return p;
}

void build_services(const Context& c, std::vector<Object>& out) {
    if (c.svc.port != 0) {
        Json o = header("v1", "Service", c.meta(c.svc.name));
        Json spec = Json::object();
        spec["type"] = "ClusterIP";
        spec["selector"] = c.selector;
        spec["ports"] = Json::array({service_port(c)});
        o["spec"] = std::move(spec);
        add(out, c.svc.name, "v1", "Service", c.svc.name, std::move(o));
    }
    if (c.workload_kind == "StatefulSet") {
        // The governing Service of the StatefulSet: per-pod DNS names (<pod>.<svc>-headless).
        Json o = header("v1", "Service", c.meta(c.headless_name()));
        Json spec = Json::object();
        spec["type"] = "ClusterIP";
        spec["clusterIP"] = "None";
        spec["publishNotReadyAddresses"] = true;
        spec["selector"] = c.selector;
        if (c.svc.port != 0) spec["ports"] = Json::array({service_port(c)});
        o["spec"] = std::move(spec);
        add(out, c.svc.name, "v1", "Service", c.headless_name(), std::move(o));
    }
}

void build_workload(const Context& c, const ReplicaPlan& plan, std::vector<Object>& out) {
    const Service& s = c.svc;
    if (c.workload_kind == "CronJob" || c.workload_kind == "Job") {
        Json job = Json::object();
        job["backoffLimit"] = k_job_backoff_limit;
        job["template"] = pod_template(c, false);
        if (c.workload_kind == "Job") {
            Json o = header("batch/v1", "Job", c.meta(s.name));
            o["spec"] = std::move(job);
            add(out, s.name, "batch/v1", "Job", s.name, std::move(o));
            return;
        }
        Json o = header("batch/v1", "CronJob", c.meta(s.name));
        Json spec = object(8);
        spec["schedule"] = s.schedule;
        spec["timeZone"] = "Etc/UTC";
        spec["concurrencyPolicy"] = "Forbid";
        spec["startingDeadlineSeconds"] = k_cron_starting_deadline_seconds;
        if (s.replicas.max <= 0) spec["suspend"] = true;   // scaled to zero: keep it, run nothing
        spec["successfulJobsHistoryLimit"] = k_cron_successful_history;
        spec["failedJobsHistoryLimit"] = k_cron_failed_history;
        Json tmpl = Json::object();
        tmpl["metadata"] = Json::object({{"labels", c.labels}});
        tmpl["spec"] = std::move(job);
        spec["jobTemplate"] = std::move(tmpl);
        o["spec"] = std::move(spec);
        add(out, s.name, "batch/v1", "CronJob", s.name, std::move(o));
        return;
    }

    bool stateful = c.workload_kind == "StatefulSet";
    Json meta = c.meta(s.name);
    if (!probe(c)) {
        // Nothing to probe (no port, no health.command): said on the object, where `coconut check`
        // and a reviewer see it, instead of a liveness probe that would guess.
        meta["annotations"] = Json::object(
            {{"coconut.dev/ignore", std::string("K8S-LIVENESS-PROBE -- no port and no health.command: nothing to probe; set "
                                                "services.") +
                                        s.name + ".health.command to add an exec check"}});
    }
    Json o = header("apps/v1", stateful ? "StatefulSet" : "Deployment", std::move(meta));
    Json spec = object(10);
    if (plan.replicas) spec["replicas"] = *plan.replicas;
    spec["revisionHistoryLimit"] = k_revision_history_limit;
    if (stateful) {
        spec["serviceName"] = c.headless_name();
    } else {
        spec["progressDeadlineSeconds"] = std::max<std::int64_t>(c.spec.deploy.health_timeout.seconds, 1);
    }
    spec["selector"] = Json::object({{"matchLabels", c.selector}});
    if (stateful) {
        spec["updateStrategy"] = Json::object({{"type", "RollingUpdate"}});
    } else {
        Json ru = Json::object();
        ru["maxUnavailable"] = 0;
        ru["maxSurge"] = "25%";
        spec["strategy"] = Json::object({{"type", "RollingUpdate"}, {"rollingUpdate", std::move(ru)}});
    }
    spec["template"] = pod_template(c, plan.spread);
    if (stateful) {
        Json claims = Json::array();
        for (const auto& v : s.volumes) {
            if (v.size.empty()) continue;
            Json claim = Json::object();
            // Selector labels only: volumeClaimTemplates are immutable, a version label would
            // make every upgrade fail.
            claim["metadata"] = Json::object({{"name", v.name}, {"labels", c.selector}});
            claim["spec"] = claim_spec(v);
            claims.push_back(std::move(claim));
        }
        spec["volumeClaimTemplates"] = std::move(claims);
    }
    o["spec"] = std::move(spec);
    add(out, s.name, "apps/v1", stateful ? "StatefulSet" : "Deployment", s.name, std::move(o));
}

void build_hpa(const Context& c, const ReplicaPlan& plan, std::vector<Object>& out) {
    if (!plan.hpa) return;
    const auto& r = c.svc.replicas;
    Json o = header("autoscaling/v2", "HorizontalPodAutoscaler", c.meta(c.svc.name));
    Json spec = Json::object();
    Json ref = Json::object();
    ref["apiVersion"] = "apps/v1";
    ref["kind"] = c.workload_kind;
    ref["name"] = c.svc.name;
    spec["scaleTargetRef"] = std::move(ref);
    spec["minReplicas"] = plan.hpa_min;
    spec["maxReplicas"] = plan.hpa_max;
    auto metric = [](const char* resource, int percent) {
        Json target = Json::object({{"type", "Utilization"}, {"averageUtilization", percent}});
        Json res = Json::object({{"name", resource}, {"target", std::move(target)}});
        return Json::object({{"type", "Resource"}, {"resource", std::move(res)}});
    };
    Json metrics = Json::array({metric("cpu", r.cpu_percent)});
    if (r.memory_percent) metrics.push_back(metric("memory", *r.memory_percent));
    spec["metrics"] = std::move(metrics);
    o["spec"] = std::move(spec);
    add(out, c.svc.name, "autoscaling/v2", "HorizontalPodAutoscaler", c.svc.name, std::move(o));
}

void build_pdb(const Context& c, const ReplicaPlan& plan, std::vector<Object>& out) {
    if (plan.effective_min <= 1) return;
    Json o = header("policy/v1", "PodDisruptionBudget", c.meta(c.svc.name));
    Json spec = Json::object();
    // maxUnavailable (not minAvailable): one pod at a time whatever the replica count, and a
    // drain never deadlocks; crash-looping pods may always be evicted.
    spec["maxUnavailable"] = 1;
    spec["selector"] = Json::object({{"matchLabels", c.selector}});
    spec["unhealthyPodEvictionPolicy"] = "AlwaysAllow";
    o["spec"] = std::move(spec);
    add(out, c.svc.name, "policy/v1", "PodDisruptionBudget", c.svc.name, std::move(o));
}

void build_ingress(const Context& c, std::vector<Object>& out) {
    const Service& s = c.svc;
    if (!s.ingress || s.port == 0) return;
    const auto& in = *s.ingress;
    Json meta = c.meta(s.name);
    if (!in.annotations.empty()) {
        Json ann = Json::object();
        for (const auto& [k, v] : in.annotations) ann[k] = v;
        meta["annotations"] = std::move(ann);
    }
    Json o = header("networking.k8s.io/v1", "Ingress", std::move(meta));
    Json spec = Json::object();
    std::string cls = in.class_name;
    if (cls.empty() && c.spec.targets.kubernetes) cls = c.spec.targets.kubernetes->ingress_class;
    if (!cls.empty()) spec["ingressClassName"] = cls;
    if (in.tls) {
        Json tls = Json::object();
        if (!in.host.empty()) tls["hosts"] = Json::array({in.host});
        tls["secretName"] = in.tls_secret.empty() ? s.name + "-tls" : in.tls_secret;
        spec["tls"] = Json::array({std::move(tls)});
    }
    Json backend = Json::object();
    backend["service"] = Json::object({{"name", s.name}, {"port", Json::object({{"name", c.port_name}})}});
    Json path = Json::object();
    path["path"] = in.path.empty() ? "/" : in.path;
    path["pathType"] = "Prefix";
    path["backend"] = std::move(backend);
    Json rule = Json::object();
    if (!in.host.empty()) rule["host"] = in.host;
    rule["http"] = Json::object({{"paths", Json::array({std::move(path)})}});
    spec["rules"] = Json::array({std::move(rule)});
    o["spec"] = std::move(spec);
    add(out, s.name, "networking.k8s.io/v1", "Ingress", s.name, std::move(o));
}

Json tcp_port(int port) { return Json::object({{"protocol", "TCP"}, {"port", port}}); }

Json namespace_peer(std::string_view ns) {
    return Json::object(
        {{"namespaceSelector", Json::object({{"matchLabels", Json::object({{"kubernetes.io/metadata.name", ns}})}})}});
}

void build_network_policy(const Context& c, std::vector<Object>& out) {
    const Service& s = c.svc;
    Json o = header("networking.k8s.io/v1", "NetworkPolicy", c.meta(s.name));
    Json spec = Json::object();
    spec["podSelector"] = Json::object({{"matchLabels", c.selector}});
    spec["policyTypes"] = Json::array({"Ingress", "Egress"});

    Json ingress = Json::array();
    if (s.port != 0 && !c.dependents.empty()) {
        Json from = Json::array();
        for (const Service* d : c.dependents)
            from.push_back(Json::object({{"podSelector", Json::object({{"matchLabels", selector_labels(c.spec, *d)}})}}));
        Json rule = Json::object();
        rule["from"] = std::move(from);
        rule["ports"] = Json::array({tcp_port(s.port)});
        ingress.push_back(std::move(rule));
    }
    if (s.port != 0 && s.ingress) {
        std::string ns = k_default_ingress_namespace;
        if (c.spec.targets.kubernetes && !c.spec.targets.kubernetes->ingress_namespace.empty())
            ns = c.spec.targets.kubernetes->ingress_namespace;
        Json rule = Json::object();
        rule["from"] = Json::array({namespace_peer(ns)});
        rule["ports"] = Json::array({tcp_port(s.port)});
        ingress.push_back(std::move(rule));
    }
    if (!ingress.empty()) spec["ingress"] = std::move(ingress);

    Json egress = Json::array();
    {
        Json dns_peer = namespace_peer("kube-system");
        dns_peer["podSelector"] = Json::object({{"matchLabels", Json::object({{"k8s-app", "kube-dns"}})}});
        Json rule = Json::object();
        rule["to"] = Json::array({std::move(dns_peer)});
        rule["ports"] = Json::array({Json::object({{"protocol", "UDP"}, {"port", 53}}), tcp_port(53)});
        egress.push_back(std::move(rule));
    }
    for (const auto& dep_name : s.depends_on) {
        const Service* dep = c.spec.find_service(dep_name);
        if (!dep || dep->port == 0) continue;
        Json rule = Json::object();
        rule["to"] = Json::array(
            {Json::object({{"podSelector", Json::object({{"matchLabels", selector_labels(c.spec, *dep)}})}})});
        rule["ports"] = Json::array({tcp_port(dep->port)});
        egress.push_back(std::move(rule));
    }
    spec["egress"] = std::move(egress);
    o["spec"] = std::move(spec);
    add(out, s.name, "networking.k8s.io/v1", "NetworkPolicy", s.name, std::move(o));
}

void build_namespace_objects(const Spec& spec, std::string_view ns, std::vector<Object>& out) {
    Json labels = app_labels(spec);
    const char* enforce = spec.policies.profile == spec::Profile::Restricted ? "restricted" : "baseline";
    labels["pod-security.kubernetes.io/enforce"] = enforce;
    // audit and warn always at restricted: a baseline namespace reports what would break.
    labels["pod-security.kubernetes.io/audit"] = "restricted";
    labels["pod-security.kubernetes.io/warn"] = "restricted";
    Json nso = header("v1", "Namespace", metadata(ns, "", std::move(labels)));
    add(out, "", "v1", "Namespace", std::string(ns), std::move(nso));

    Json np = header("networking.k8s.io/v1", "NetworkPolicy", metadata(k_default_deny_name, ns, app_labels(spec)));
    Json s = Json::object();
    s["podSelector"] = Json::object();
    s["policyTypes"] = Json::array({"Ingress", "Egress"});
    np["spec"] = std::move(s);
    add(out, "", "networking.k8s.io/v1", "NetworkPolicy", k_default_deny_name, std::move(np));
}

}  // namespace

Json secret_env_var(std::string_view secret_name, std::string_view var) {
    Json key = Json::object();
    key["name"] = secret_name;
    key["key"] = var;
    Json e = Json::object();
    e["name"] = var;
    e["valueFrom"] = Json::object({{"secretKeyRef", std::move(key)}});
    return e;
}

Json external_secret_data(std::string_view var, std::string_view key) {
    Json d = Json::object();
    d["secretKey"] = var;
    d["remoteRef"] = Json::object({{"key", key}});
    return d;
}

std::string sanitize_label_value(std::string_view value) {
    std::string out;
    out.reserve(std::min<std::size_t>(value.size(), 63));
    for (char c : value) out += is_label_char(c) ? c : '_';
    if (out.size() > 63) out.resize(63);
    std::size_t b = 0;
    while (b < out.size() && !is_alnum(out[b])) ++b;
    std::size_t e = out.size();
    while (e > b && !is_alnum(out[e - 1])) --e;
    return out.substr(b, e - b);
}

std::string instance_label(std::string_view app, std::string_view service) {
    std::string value = std::string(app) + "-" + std::string(service);
    if (value.size() <= 63) return value;
    // Too long for a label value: keep it unique (it is a selector) with a hash suffix.
    Fnv1a h;
    h.add(value);
    std::string head = value.substr(0, 54);
    while (!head.empty() && !is_alnum(head.back())) head.pop_back();
    return head + "-" + h.hex().substr(0, 8);
}

Json selector_labels(const Spec& spec, const Service& svc) {
    Json l = object(8);
    l[k_label_name] = svc.name;
    l[k_label_instance] = instance_label(spec.name, svc.name);
    return l;
}

util::Expected<void> check_names(const Spec& spec) {
    for (const auto& svc : spec.services) {
        bool has_service = svc.port != 0 || workload_kind(svc) == "StatefulSet";
        // Service names are DNS-1035 labels: a letter first, at most 63 characters.
        if (has_service && !svc.name.empty() && !(svc.name[0] >= 'a' && svc.name[0] <= 'z'))
            return util::fail(util::ErrorCode::Input,
                              "kubernetes: service '" + svc.name +
                                  "' needs a Kubernetes Service, whose name must start with a letter",
                              "services." + svc.name);
        if (workload_kind(svc) == "StatefulSet" && svc.name.size() + 9 > 63)
            return util::fail(util::ErrorCode::Input,
                              "kubernetes: persistent service '" + svc.name + "' is too long for its headless Service '" +
                                  svc.name + "-headless' (at most 54 characters)",
                              "services." + svc.name);
    }
    return {};
}

Json service_labels(const Spec& spec, const Service& svc) {
    Json l = selector_labels(spec, svc);
    l[k_label_component] = spec::to_string(svc.type);   // app.kubernetes.io/component: the service type
    l[k_label_part_of] = spec.name;
    std::string version = sanitize_label_value(spec.version);
    if (!version.empty()) l[k_label_version] = version;
    l[k_label_managed_by] = k_managed_by;
    return l;
}

Json app_labels(const Spec& spec) {
    Json l = object(8);
    l[k_label_part_of] = spec.name;
    std::string version = sanitize_label_value(spec.version);
    if (!version.empty()) l[k_label_version] = version;
    l[k_label_managed_by] = k_managed_by;
    return l;
}

std::string port_name(const Service& svc) {
    if (svc.type == ServiceType::Web) return "http";
    if (svc.health && !svc.health->path.empty()) return "http";
    return "tcp";
}

std::string workload_kind(const Service& svc) {
    if (svc.type == ServiceType::Job) return svc.schedule.empty() ? "Job" : "CronJob";
    return svc.is_persistent() ? "StatefulSet" : "Deployment";
}

ObjectBuilder::ObjectBuilder(const Spec& spec, std::string namespace_name)
    : m_spec(spec), m_namespace(std::move(namespace_name)) {
    m_dependents.reserve(spec.services.size());
    for (const auto& s : spec.services)
        for (const auto& d : s.depends_on) m_dependents[d].push_back(&s);
}

void ObjectBuilder::namespace_objects(std::vector<Object>& out) const {
    build_namespace_objects(m_spec, m_namespace, out);
}

void ObjectBuilder::service_objects(const Service& svc, std::vector<Object>& out) const {
    static const std::vector<const Service*> k_none;
    auto it = m_dependents.find(svc.name);
    Context c{m_spec,
              svc,
              m_namespace,
              it == m_dependents.end() ? k_none : it->second,
              service_labels(m_spec, svc),
              selector_labels(m_spec, svc),
              svc.port != 0 ? port_name(svc) : std::string(),
              workload_kind(svc)};
    ReplicaPlan plan = plan_replicas(svc.replicas);
    build_service_account(c, out);
    build_config_map(c, out);
    build_external_secret(c, out);
    build_claims(c, out);
    build_services(c, out);
    build_workload(c, plan, out);
    if (svc.type != ServiceType::Job) {
        build_hpa(c, plan, out);
        build_pdb(c, plan, out);
    }
    build_ingress(c, out);
    build_network_policy(c, out);
}

util::Expected<void> NameCheck::add(const Object& o) {
    std::string key;
    key.reserve(o.kind.size() + 1 + o.name.size());
    key += o.kind;
    key += '/';
    key += o.name;
    auto [it, inserted] = m_owner.emplace(std::move(key), o.service);
    if (inserted) return {};
    auto owner = [](const std::string& service) {
        return service.empty() ? std::string("the namespace") : "service '" + service + "'";
    };
    return util::fail(util::ErrorCode::Input,
                      "kubernetes: " + o.kind + " '" + o.name + "' is generated for both " + owner(it->second) + " and " +
                          owner(o.service) + "; rename one of the services",
                      o.service.empty() ? std::string() : "services." + o.service);
}

util::Expected<std::vector<Object>> build_objects(const Spec& spec, std::string_view namespace_name) {
    TRY_VOID(check_names(spec));
    ObjectBuilder builder(spec, std::string(namespace_name));
    std::vector<Object> out;
    out.reserve(2 + spec.services.size() * 8);
    builder.namespace_objects(out);
    for (const auto& svc : spec.services) builder.service_objects(svc, out);
    NameCheck names;
    names.reserve(out.size());
    for (const auto& o : out) TRY_VOID(names.add(o));
    return out;
}

}  // namespace coconut::generate::kubernetes
