#include "coconut/generate/helm/values.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/generate/kubernetes/overlay.hpp"

namespace coconut::generate::helm {

namespace k8s = coconut::generate::kubernetes;

namespace {

using Pointer = Json::json_pointer;

// Pod Security Standards label keys of the Namespace.
constexpr const char* k_pss_keys[][2] = {
    {"enforce", "pod-security.kubernetes.io/enforce"},
    {"audit", "pod-security.kubernetes.io/audit"},
    {"warn", "pod-security.kubernetes.io/warn"},
};

// ---- the chart's helpers, in C++ (must match templates/_helpers.tpl) ------------------------

// printf "%s-%s" app name | trunc 63 | trimAll "-"
std::string instance_label(const std::string& app, const std::string& name) {
    std::string s = app + "-" + name;
    if (s.size() > 63) s.resize(63);
    std::size_t b = s.find_first_not_of('-');
    if (b == std::string::npos) return {};
    std::size_t e = s.find_last_not_of('-');
    return s.substr(b, e - b + 1);
}

// `instance`: services.<name>.instanceLabel when set, else the helper's default.
Json selector_labels(const Json& app, const std::string& name, const std::string& instance = {}) {
    Json l = Json::object();
    l[k8s::k_label_name] = name;
    l[k8s::k_label_instance] = instance.empty() ? instance_label(app["name"].get<std::string>(), name) : instance;
    return l;
}

Json app_labels(const Json& app) {
    Json l = Json::object();
    l[k8s::k_label_part_of] = app["name"];
    std::string v = version_label(app["version"].get<std::string>());
    if (!v.empty()) l[k8s::k_label_version] = v;
    l[k8s::k_label_managed_by] = k8s::k_managed_by;
    return l;
}

Json service_labels(const Json& app, const std::string& name, const std::string& type, const std::string& instance) {
    Json l = selector_labels(app, name, instance);
    l[k8s::k_label_component] = type;
    const Json common = app_labels(app);
    for (const auto& [k, v] : common.items()) l[k] = v;
    return l;
}

// ---- taking an object apart -------------------------------------------------------------------

void prune(Json& j) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end();) {
            prune(*it);
            if ((it->is_object() || it->is_array()) && it->empty())
                it = j.erase(it);
            else
                ++it;
        }
    } else if (j.is_array()) {
        // Emptied elements become null rather than being erased, so that leftover paths keep
        // their indexes; an array of nothing but those is empty.
        bool any = false;
        for (auto& x : j) {
            prune(x);
            if ((x.is_object() || x.is_array()) && x.empty()) x = nullptr;
            any = any || !x.is_null();
        }
        if (!any) j = Json::array();
    }
}

// The JSON pointer of the first value in `j` (for messages).
std::string first_leaf(const Json& j, const std::string& prefix) {
    if (j.is_object() && !j.empty()) {
        auto it = j.begin();
        return first_leaf(it.value(), prefix + "/" + k8s::escape_pointer_token(it.key()));
    }
    if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i)
            if (!j[i].is_null()) return first_leaf(j[i], prefix + "/" + std::to_string(i));
    return prefix.empty() ? "/" : prefix;
}

// One object being taken apart: every value the chart holds or renders is removed from a copy
// of the body; finish() fails when anything is left, or when a value differs from what the
// templates would render.
class Claim {
public:
    explicit Claim(const k8s::Object& o) : m_what(o.kind + "/" + o.name), m_rest(o.body) {}

    // Removes and returns the value at `pointer`; nullopt when absent.
    std::optional<Json> take(std::string_view pointer) {
        Pointer p{std::string(pointer)};
        if (!m_rest.contains(p)) return std::nullopt;
        Json v = m_rest.at(p);
        erase(p);
        return v;
    }
    // The value at `pointer`, left in place; nullopt when absent.
    [[nodiscard]] std::optional<Json> peek(std::string_view pointer) const {
        Pointer p{std::string(pointer)};
        if (!m_rest.contains(p)) return std::nullopt;
        return m_rest.at(p);
    }
    // Like take(), but the value must be there.
    Json need(std::string_view pointer) {
        auto v = take(pointer);
        if (!v) {
            note(std::string(pointer) + " is missing (the chart always renders it)");
            return Json();
        }
        return std::move(*v);
    }
    // The value must be there and equal `want` (what the templates render).
    void expect(std::string_view pointer, const Json& want) {
        auto v = take(pointer);
        if (!v)
            note(std::string(pointer) + " is missing; the chart renders " + want.dump());
        else if (!json_equal(*v, want))
            note(std::string(pointer) + " is " + v->dump() + "; the chart renders " + want.dump());
    }
    // The value must equal `want` when `want` is not null, and be absent when it is.
    void expect_opt(std::string_view pointer, const Json& want) {
        if (!want.is_null()) {
            expect(pointer, want);
        } else if (auto v = take(pointer)) {
            note(std::string(pointer) + " is " + v->dump() + "; the chart does not render it");
        }
    }
    void note(std::string problem) {
        if (m_problem.empty()) m_problem = std::move(problem);
    }
    [[nodiscard]] util::Expected<void> finish() {
        prune(m_rest);
        if (m_problem.empty() && !m_rest.empty())
            m_problem = first_leaf(m_rest, "") + " is not rendered by the chart's templates";
        if (m_problem.empty()) return {};
        return util::fail(util::ErrorCode::Failure,
                          "helm: the chart cannot reproduce " + m_what + " of the kubernetes target: " + m_problem +
                              " (src/coconut/generate/helm must learn the change)");
    }

private:
    void erase(const Pointer& p) {
        Json& parent = m_rest.at(p.parent_pointer());
        const std::string& key = p.back();
        if (parent.is_object())
            parent.erase(key);
        else if (parent.is_array())
            parent.at(static_cast<std::size_t>(std::stoul(key))) = Json::object();   // pruned in finish()
    }

    std::string m_what;
    Json m_rest;
    std::string m_problem;
};

// The objects of one service (or of the namespace, service ""), found by kind and name.
class Group {
public:
    void add(const k8s::Object* o) { m_objects.push_back(o); }
    [[nodiscard]] const k8s::Object* find(std::string_view kind, std::string_view name) const {
        for (const auto* o : m_objects)
            if (o->kind == kind && o->name == name) return o;
        return nullptr;
    }
    // Objects nobody looked at (an object kind the chart does not know).
    [[nodiscard]] const k8s::Object* unclaimed() const {
        for (const auto* o : m_objects)
            if (std::find(m_seen.begin(), m_seen.end(), o) == m_seen.end()) return o;
        return nullptr;
    }
    void seen(const k8s::Object* o) { m_seen.push_back(o); }

private:
    std::vector<const k8s::Object*> m_objects;
    std::vector<const k8s::Object*> m_seen;
};

// Everything one service's extraction needs.
struct ServiceContext {
    const Json& app;
    std::string name;
    std::string ns;
    Json labels;             // what coconut.labels renders
    Json selector;           // what coconut.selectorLabels renders
    Group& group;
    Json& values;            // services.<name>
    Json& external_secrets;  // global externalSecrets (null until a service sets it)
};

void expect_meta(Claim& c, const ServiceContext& s, const char* api_version, const char* kind, const std::string& name,
                 const Json& labels) {
    c.expect("/apiVersion", api_version);
    c.expect("/kind", kind);
    c.expect("/metadata/name", name);
    c.expect("/metadata/namespace", s.ns);
    c.expect("/metadata/labels", labels);
}

const k8s::Object* use(ServiceContext& s, std::string_view kind, const std::string& name) {
    const k8s::Object* o = s.group.find(kind, name);
    if (o) s.group.seen(o);
    return o;
}

// ---- mirrors of the templates' fixed parts -----------------------------------------------------

Json service_port_mirror(const Json& v) {
    Json p = Json::object();
    p["name"] = v["portName"];
    p["port"] = v["port"];
    p["targetPort"] = v["portName"];
    p["protocol"] = "TCP";
    if (v["service"].contains("appProtocol")) p["appProtocol"] = v["service"]["appProtocol"];
    return Json::array({p});
}

Json secret_env_mirror(const std::string& name, const Json& secrets) {
    Json env = Json::array();
    for (const auto& s : secrets) {
        Json ref = Json::object({{"name", name + "-secrets"}, {"key", s["name"]}});
        env.push_back(Json::object({{"name", s["name"]}, {"valueFrom", Json::object({{"secretKeyRef", ref}})}}));
    }
    return env;
}

Json metric_mirror(const char* resource, const Json& percent) {
    Json target = Json::object({{"type", "Utilization"}, {"averageUtilization", percent}});
    return Json::object(
        {{"type", "Resource"}, {"resource", Json::object({{"name", resource}, {"target", std::move(target)}})}});
}

// ---- per object kind ---------------------------------------------------------------------------

void read_image(Claim& c, const std::string& base, Json& v) {
    Json image = c.need(base + "/image");
    auto parts = split_image(image.is_string() ? image.get<std::string>() : std::string());
    Json img = Json::object();
    img["repository"] = parts.repository;
    img["tag"] = parts.tag;
    img["digest"] = parts.digest;
    img["pullPolicy"] = c.need(base + "/imagePullPolicy");
    v["image"] = std::move(img);
}

// The pod template at `p` ("/spec/template" or "/spec/jobTemplate/spec/template").
void read_pod(Claim& c, const ServiceContext& s, const std::string& p, Json& v) {
    c.expect(p + "/metadata/labels", s.labels);
    if (auto ann = c.take(p + "/metadata/annotations")) {
        if (ann->is_object() && ann->size() == 1 && ann->contains(k8s::k_config_hash_annotation))
            v["configHash"] = (*ann)[k8s::k_config_hash_annotation];
        else
            c.note(p + "/metadata/annotations is " + ann->dump() + "; the chart renders only " +
                   k8s::k_config_hash_annotation);
    }
    const std::string ps = p + "/spec";
    c.expect(ps + "/serviceAccountName", s.name);
    c.expect(ps + "/automountServiceAccountToken", v["automountServiceAccountToken"]);
    v["enableServiceLinks"] = c.need(ps + "/enableServiceLinks");
    if (auto r = c.take(ps + "/restartPolicy")) v["restartPolicy"] = *r;
    v["podSecurityContext"] = c.need(ps + "/securityContext");
    v["terminationGracePeriodSeconds"] = c.need(ps + "/terminationGracePeriodSeconds");
    if (auto t = c.take(ps + "/topologySpreadConstraints")) v["topologySpreadConstraints"] = *t;
    if (auto vols = c.take(ps + "/volumes")) v["volumes"] = *vols;

    const std::string k = ps + "/containers/0";
    c.expect(k + "/name", s.name);
    read_image(c, k, v);
    if (auto cmd = c.take(k + "/command")) v["command"] = *cmd;
    if (auto args = c.take(k + "/args")) v["args"] = *args;
    if (auto ports = c.take(k + "/ports")) {
        if (ports->is_array() && ports->size() == 1 && (*ports)[0].is_object()) {
            const Json& port = (*ports)[0];
            v["port"] = port.value("containerPort", Json());
            v["portName"] = port.value("name", Json());
            Json mirror = Json::object(
                {{"name", v["portName"]}, {"containerPort", v["port"]}, {"protocol", "TCP"}});
            if (!json_equal(port, mirror))
                c.note(k + "/ports is " + ports->dump() + "; the chart renders " + Json::array({mirror}).dump());
        } else {
            c.note(k + "/ports is " + ports->dump() + "; the chart renders one port");
        }
    }
    Json env_from;
    if (v.contains("env"))
        env_from = Json::array(
            {Json::object({{"configMapRef", Json::object({{"name", s.name + "-env"}})}})});
    c.expect_opt(k + "/envFrom", env_from);
    c.expect_opt(k + "/env", v.contains("secrets") ? secret_env_mirror(s.name, v["secrets"]) : Json());
    v["resources"] = c.need(k + "/resources");
    if (auto r = c.take(k + "/readinessProbe")) v["readinessProbe"] = *r;
    if (auto l = c.take(k + "/livenessProbe")) v["livenessProbe"] = *l;
    if (auto l = c.take(k + "/lifecycle")) v["lifecycle"] = *l;
    v["securityContext"] = c.need(k + "/securityContext");
    if (auto m = c.take(k + "/volumeMounts")) v["volumeMounts"] = *m;
}

util::Expected<void> read_service_account(ServiceContext& s) {
    const auto* o = use(s, "ServiceAccount", s.name);
    if (!o) return util::fail(util::ErrorCode::Failure, "helm: service '" + s.name + "' has no ServiceAccount");
    Claim c(*o);
    expect_meta(c, s, "v1", "ServiceAccount", s.name, s.labels);
    s.values["automountServiceAccountToken"] = c.need("/automountServiceAccountToken");
    return c.finish();
}

util::Expected<void> read_config_map(ServiceContext& s) {
    const auto* o = use(s, "ConfigMap", s.name + "-env");
    if (!o) return {};
    Claim c(*o);
    expect_meta(c, s, "v1", "ConfigMap", s.name + "-env", s.labels);
    s.values["env"] = c.need("/data");
    return c.finish();
}

util::Expected<void> read_external_secret(ServiceContext& s) {
    const std::string name = s.name + "-secrets";
    const auto* o = use(s, "ExternalSecret", name);
    if (!o) return {};
    Claim c(*o);
    Json global = Json::object();
    global["apiVersion"] = c.need("/apiVersion");
    c.expect("/kind", "ExternalSecret");
    c.expect("/metadata/name", name);
    c.expect("/metadata/namespace", s.ns);
    c.expect("/metadata/labels", s.labels);
    global["refreshInterval"] = c.need("/spec/refreshInterval");
    global["secretStoreRef"] = c.need("/spec/secretStoreRef");
    c.expect("/spec/target/name", name);
    global["creationPolicy"] = c.need("/spec/target/creationPolicy");
    Json data = c.need("/spec/data");
    Json secrets = Json::array();
    Json mirror = Json::array();
    if (data.is_array()) {
        for (const auto& d : data) {
            Json key = d.is_object() && d.contains("remoteRef") && d["remoteRef"].is_object()
                           ? d["remoteRef"].value("key", Json())
                           : Json();
            Json var = d.is_object() ? d.value("secretKey", Json()) : Json();
            secrets.push_back(Json::object({{"name", var}, {"key", key}}));
            mirror.push_back(Json::object({{"secretKey", var}, {"remoteRef", Json::object({{"key", key}})}}));
        }
    }
    if (!json_equal(data, mirror)) c.note("/spec/data is " + data.dump() + "; the chart renders " + mirror.dump());
    s.values["secrets"] = std::move(secrets);
    if (s.external_secrets.is_null())
        s.external_secrets = std::move(global);
    else if (!json_equal(s.external_secrets, global))
        c.note("its store settings " + global.dump() + " differ from another service's " + s.external_secrets.dump() +
               "; the chart has one externalSecrets block");
    return c.finish();
}

util::Expected<void> read_claims(ServiceContext& s, const spec::Service& svc) {
    Json claims = Json::array();
    for (const auto& vol : svc.volumes) {
        const auto* o = use(s, "PersistentVolumeClaim", s.name + "-" + vol.name);
        if (!o) continue;
        Claim c(*o);
        expect_meta(c, s, "v1", "PersistentVolumeClaim", s.name + "-" + vol.name, s.labels);
        claims.push_back(Json::object({{"name", vol.name}, {"spec", c.need("/spec")}}));
        TRY_VOID(c.finish());
    }
    if (!claims.empty()) s.values["persistentVolumeClaims"] = std::move(claims);
    return {};
}

util::Expected<void> read_workload(ServiceContext& s) {
    const k8s::Object* o = nullptr;
    for (const char* kind : {"Deployment", "StatefulSet", "CronJob", "Job"})
        if ((o = use(s, kind, s.name))) break;
    if (!o) return util::fail(util::ErrorCode::Failure, "helm: service '" + s.name + "' has no workload object");
    Json& v = s.values;
    v["kind"] = o->kind;
    Claim c(*o);
    // The apiVersion each workload template renders.
    const char* api_version = o->kind == "CronJob" || o->kind == "Job" ? "batch/v1" : "apps/v1";
    expect_meta(c, s, api_version, o->kind.c_str(), s.name, s.labels);
    if (o->kind == "Deployment" || o->kind == "StatefulSet") {
        if (auto r = c.take("/spec/replicas")) v["replicas"] = *r;
        v["revisionHistoryLimit"] = c.need("/spec/revisionHistoryLimit");
        c.expect("/spec/selector", Json::object({{"matchLabels", s.selector}}));
        if (o->kind == "Deployment") {
            v["progressDeadlineSeconds"] = c.need("/spec/progressDeadlineSeconds");
            v["updateStrategy"] = c.need("/spec/strategy");
        } else {
            c.expect("/spec/serviceName", s.name + "-headless");
            v["updateStrategy"] = c.need("/spec/updateStrategy");
            if (auto t = c.take("/spec/volumeClaimTemplates")) v["volumeClaimTemplates"] = *t;
        }
        read_pod(c, s, "/spec/template", v);
    } else if (o->kind == "CronJob") {
        v["schedule"] = c.need("/spec/schedule");
        Json cron = Json::object();
        for (const char* key : {"timeZone", "concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
                                "failedJobsHistoryLimit"})
            if (auto x = c.take(std::string("/spec/") + key)) cron[key] = *x;
        cron["suspend"] = false;
        if (auto x = c.take("/spec/suspend")) {
            if (*x == true)
                cron["suspend"] = true;
            else
                c.note("/spec/suspend is " + x->dump() + "; the chart renders only suspend: true");
        }
        v["cronJob"] = std::move(cron);
        c.expect("/spec/jobTemplate/metadata", Json::object({{"labels", s.labels}}));
        v["backoffLimit"] = c.need("/spec/jobTemplate/spec/backoffLimit");
        read_pod(c, s, "/spec/jobTemplate/spec/template", v);
    } else {
        v["backoffLimit"] = c.need("/spec/backoffLimit");
        read_pod(c, s, "/spec/template", v);
    }
    return c.finish();
}

util::Expected<void> read_services(ServiceContext& s) {
    Json& v = s.values;
    if (const auto* o = use(s, "Service", s.name)) {
        Claim c(*o);
        expect_meta(c, s, "v1", "Service", s.name, s.labels);
        if (!v.contains("port")) c.note("the workload has no port, the chart renders a Service only with one");
        Json svc = Json::object();
        svc["type"] = c.need("/spec/type");
        if (auto ap = c.peek("/spec/ports/0/appProtocol")) svc["appProtocol"] = *ap;
        v["service"] = std::move(svc);
        c.expect("/spec/selector", s.selector);
        if (v.contains("port")) c.expect("/spec/ports", service_port_mirror(v));
        TRY_VOID(c.finish());
    } else if (v.contains("port")) {
        return util::fail(util::ErrorCode::Failure,
                          "helm: service '" + s.name + "' has a port but no Service; the chart renders one");
    }
    const std::string headless = s.name + "-headless";
    const auto* o = use(s, "Service", headless);
    if ((o != nullptr) != (v["kind"] == "StatefulSet"))
        return util::fail(util::ErrorCode::Failure, "helm: service '" + s.name +
                                                        "': the chart renders a headless Service for StatefulSets only");
    if (o) {
        Claim c(*o);
        expect_meta(c, s, "v1", "Service", headless, s.labels);
        Json spec = Json::object();
        spec["type"] = "ClusterIP";
        spec["clusterIP"] = "None";
        spec["publishNotReadyAddresses"] = true;
        spec["selector"] = s.selector;
        if (v.contains("port")) spec["ports"] = service_port_mirror(v);
        c.expect("/spec", spec);
        TRY_VOID(c.finish());
    }
    return {};
}

util::Expected<void> read_hpa(ServiceContext& s) {
    Json& v = s.values;
    const bool scalable = v["kind"] == "Deployment" || v["kind"] == "StatefulSet";
    const auto* o = use(s, "HorizontalPodAutoscaler", s.name);
    if (!scalable) {
        if (o) return util::fail(util::ErrorCode::Failure, "helm: the chart renders HPAs for Deployments and StatefulSets only");
        return {};
    }
    Json a = Json::object();
    a["enabled"] = o != nullptr;
    if (!o) {
        if (!v.contains("replicas"))
            return util::fail(util::ErrorCode::Failure,
                              "helm: " + v["kind"].get<std::string>() + "/" + s.name + " has neither replicas nor an HPA");
        v["autoscaling"] = std::move(a);
        return {};
    }
    if (v.contains("replicas"))
        return util::fail(util::ErrorCode::Failure, "helm: " + v["kind"].get<std::string>() + "/" + s.name +
                                                        " sets replicas although an HPA owns them; the chart renders one or the other");
    Claim c(*o);
    expect_meta(c, s, "autoscaling/v2", "HorizontalPodAutoscaler", s.name, s.labels);
    c.expect("/spec/scaleTargetRef",
             Json::object({{"apiVersion", "apps/v1"}, {"kind", v["kind"]}, {"name", s.name}}));
    a["minReplicas"] = c.need("/spec/minReplicas");
    a["maxReplicas"] = c.need("/spec/maxReplicas");
    Json metrics = c.need("/spec/metrics");
    Json cpu, memory;
    if (metrics.is_array()) {
        for (const auto& m : metrics) {
            if (!m.is_object() || !m.contains("resource") || !m["resource"].is_object()) continue;
            const Json& r = m["resource"];
            Json pct = r.contains("target") && r["target"].is_object() ? r["target"].value("averageUtilization", Json())
                                                                      : Json();
            if (r.value("name", "") == "cpu") cpu = pct;
            if (r.value("name", "") == "memory") memory = pct;
        }
    }
    a["targetCPUUtilizationPercentage"] = cpu;
    if (!memory.is_null()) a["targetMemoryUtilizationPercentage"] = memory;
    Json mirror = Json::array({metric_mirror("cpu", cpu)});
    if (!memory.is_null()) mirror.push_back(metric_mirror("memory", memory));
    if (!json_equal(metrics, mirror))
        c.note("/spec/metrics is " + metrics.dump() + "; the chart renders " + mirror.dump());
    // With an HPA the replicas value is the floor, used when autoscaling is turned off.
    v["replicas"] = a["minReplicas"];
    v["autoscaling"] = std::move(a);
    return c.finish();
}

util::Expected<void> read_pdb(ServiceContext& s) {
    Json& v = s.values;
    const bool scalable = v["kind"] == "Deployment" || v["kind"] == "StatefulSet";
    const auto* o = use(s, "PodDisruptionBudget", s.name);
    if (!scalable) {
        if (o) return util::fail(util::ErrorCode::Failure, "helm: the chart renders PDBs for Deployments and StatefulSets only");
        return {};
    }
    Json p = Json::object();
    p["enabled"] = o != nullptr;
    if (o) {
        Claim c(*o);
        expect_meta(c, s, "policy/v1", "PodDisruptionBudget", s.name, s.labels);
        p["maxUnavailable"] = c.need("/spec/maxUnavailable");
        c.expect("/spec/selector", Json::object({{"matchLabels", s.selector}}));
        if (auto u = c.take("/spec/unhealthyPodEvictionPolicy")) p["unhealthyPodEvictionPolicy"] = *u;
        TRY_VOID(c.finish());
    }
    v["podDisruptionBudget"] = std::move(p);
    return {};
}

util::Expected<void> read_ingress(ServiceContext& s) {
    Json& v = s.values;
    const auto* o = use(s, "Ingress", s.name);
    if (!v.contains("port")) {
        if (o) return util::fail(util::ErrorCode::Failure, "helm: the chart renders an Ingress only for services with a port");
        return {};
    }
    Json in = Json::object();
    in["enabled"] = o != nullptr;
    if (o) {
        Claim c(*o);
        expect_meta(c, s, "networking.k8s.io/v1", "Ingress", s.name, s.labels);
        if (auto cls = c.take("/spec/ingressClassName")) in["className"] = *cls;
        if (auto ann = c.take("/metadata/annotations")) in["annotations"] = *ann;
        if (auto host = c.take("/spec/rules/0/host")) in["host"] = *host;
        in["path"] = c.need("/spec/rules/0/http/paths/0/path");
        in["pathType"] = c.need("/spec/rules/0/http/paths/0/pathType");
        c.expect("/spec/rules/0/http/paths/0/backend",
                 Json::object({{"service", Json::object({{"name", s.name},
                                                         {"port", Json::object({{"name", v["portName"]}})}})}}));
        if (auto tls = c.take("/spec/tls")) {
            Json t = Json::object();
            t["enabled"] = true;
            Json secret = tls->is_array() && !tls->empty() && (*tls)[0].is_object() ? (*tls)[0].value("secretName", Json())
                                                                                    : Json();
            t["secretName"] = secret;
            Json entry = Json::object();
            if (in.contains("host")) entry["hosts"] = Json::array({in["host"]});
            entry["secretName"] = secret;
            if (!json_equal(*tls, Json::array({entry})))
                c.note("/spec/tls is " + tls->dump() + "; the chart renders " + Json::array({entry}).dump());
            in["tls"] = std::move(t);
        } else {
            in["tls"] = Json::object({{"enabled", false}});
        }
        TRY_VOID(c.finish());
    }
    v["ingress"] = std::move(in);
    return {};
}

util::Expected<void> read_network_policy(ServiceContext& s) {
    Json np = Json::object();
    const auto* o = use(s, "NetworkPolicy", s.name);
    np["enabled"] = o != nullptr;
    if (o) {
        Claim c(*o);
        expect_meta(c, s, "networking.k8s.io/v1", "NetworkPolicy", s.name, s.labels);
        c.expect("/spec/podSelector", Json::object({{"matchLabels", s.selector}}));
        c.expect("/spec/policyTypes", Json::array({"Ingress", "Egress"}));
        if (auto in = c.take("/spec/ingress")) np["ingress"] = *in;
        if (auto eg = c.take("/spec/egress")) np["egress"] = *eg;
        TRY_VOID(c.finish());
    }
    s.values["networkPolicy"] = std::move(np);
    return {};
}

// The canonical order of a service's values (docs/generators/helm.md follows it).
constexpr const char* k_service_key_order[] = {
    "enabled", "type", "instanceLabel", "kind", "image", "command", "args", "port", "portName", "replicas", "autoscaling",
    "resources", "env", "secrets", "configHash", "readinessProbe", "livenessProbe", "lifecycle", "securityContext",
    "podSecurityContext", "automountServiceAccountToken", "enableServiceLinks", "terminationGracePeriodSeconds",
    "topologySpreadConstraints", "volumeMounts", "volumes", "persistentVolumeClaims", "volumeClaimTemplates",
    "revisionHistoryLimit", "progressDeadlineSeconds", "updateStrategy", "schedule", "cronJob", "backoffLimit",
    "restartPolicy", "service", "ingress", "podDisruptionBudget", "networkPolicy",
};

Json ordered(const Json& v) {
    Json out = Json::object();
    for (const char* k : k_service_key_order)
        if (v.contains(k)) out[k] = v[k];
    for (const auto& [k, x] : v.items())
        if (!out.contains(k)) out[k] = x;   // a key missing from the order list: keep it, last
    return out;
}

util::Expected<Json> read_service(const spec::Service& svc, const Json& app, const std::string& ns, Group& group,
                                  Json& external_secrets) {
    // The component label (the service type) is read back from the ServiceAccount's labels, then
    // every object's labels are checked against the chart's helpers.
    // So is the instance label when the helper's default (`<app>-<service>` cut to 63
    // characters) is not what the kubernetes target uses (it hashes long names).
    const k8s::Object* sa = group.find("ServiceAccount", svc.name);
    std::string type = spec::to_string(svc.type);
    std::string instance;
    if (sa && sa->body["metadata"].contains("labels")) {
        const Json& l = sa->body["metadata"]["labels"];
        if (l.contains(k8s::k_label_component) && l[k8s::k_label_component].is_string())
            type = l[k8s::k_label_component].get<std::string>();
        if (l.contains(k8s::k_label_instance) && l[k8s::k_label_instance].is_string() &&
            l[k8s::k_label_instance] != instance_label(app["name"].get<std::string>(), svc.name))
            instance = l[k8s::k_label_instance].get<std::string>();
    }
    Json values = Json::object();
    values["enabled"] = true;
    values["type"] = type;
    if (!instance.empty()) values["instanceLabel"] = instance;
    ServiceContext s{app,
                     svc.name,
                     ns,
                     service_labels(app, svc.name, type, instance),
                     selector_labels(app, svc.name, instance),
                     group,
                     values,
                     external_secrets};
    TRY_VOID(read_service_account(s));
    TRY_VOID(read_config_map(s));
    TRY_VOID(read_external_secret(s));
    TRY_VOID(read_workload(s));
    TRY_VOID(read_claims(s, svc));
    TRY_VOID(read_services(s));
    TRY_VOID(read_hpa(s));
    TRY_VOID(read_pdb(s));
    TRY_VOID(read_ingress(s));
    TRY_VOID(read_network_policy(s));
    if (const auto* o = group.unclaimed())
        return util::fail(util::ErrorCode::Failure, "helm: the chart has no template for " + o->kind + "/" + o->name +
                                                        " of service '" + svc.name + "'");
    return ordered(values);
}

util::Expected<void> read_namespace_objects(const Group& group, const Json& app, const std::string& ns, Json& out) {
    Json nsv = Json::object();
    nsv["create"] = false;
    Json pss = Json::object();
    if (const auto* o = group.find("Namespace", ns)) {
        Claim c(*o);
        c.expect("/apiVersion", "v1");
        c.expect("/kind", "Namespace");
        c.expect("/metadata/name", ns);
        for (const auto& [key, label] : k_pss_keys)
            if (auto l = c.take(std::string("/metadata/labels/") + k8s::escape_pointer_token(label))) pss[key] = *l;
        c.expect("/metadata/labels", app_labels(app));
        TRY_VOID(c.finish());
    }
    nsv["podSecurity"] = std::move(pss);
    out["namespace"] = std::move(nsv);

    Json np = Json::object();
    const auto* o = group.find("NetworkPolicy", k8s::k_default_deny_name);
    np["defaultDeny"] = o != nullptr;
    if (o) {
        Claim c(*o);
        c.expect("/apiVersion", "networking.k8s.io/v1");
        c.expect("/kind", "NetworkPolicy");
        c.expect("/metadata/name", k8s::k_default_deny_name);
        c.expect("/metadata/namespace", ns);
        c.expect("/metadata/labels", app_labels(app));
        c.expect("/spec/podSelector", Json::object());
        c.expect("/spec/policyTypes", Json::array({"Ingress", "Egress"}));
        TRY_VOID(c.finish());
    }
    out["networkPolicy"] = std::move(np);
    return {};
}

}  // namespace

bool json_equal(const Json& a, const Json& b) {
    if (a.is_object() && b.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [k, v] : a.items()) {
            auto it = b.find(k);
            if (it == b.end() || !json_equal(v, *it)) return false;
        }
        return true;
    }
    if (a.is_array() && b.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!json_equal(a[i], b[i])) return false;
        return true;
    }
    return a == b;
}

std::string version_label(std::string_view version) {
    std::string out;
    out.reserve(version.size());
    for (std::size_t i = 0; i < version.size();) {
        unsigned char c = static_cast<unsigned char>(version[i]);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
            c == '-') {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        // One '_' per UTF-8 character (Go's regexp replaces runes, not bytes).
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        out += '_';
        i += std::min(len, version.size() - i);
    }
    if (out.size() > 63) out.resize(63);
    std::size_t b = out.find_first_not_of("._-");
    if (b == std::string::npos) return {};
    std::size_t e = out.find_last_not_of("._-");
    return out.substr(b, e - b + 1);
}

ImageParts split_image(std::string_view ref) {
    ImageParts p;
    std::string_view rest = ref;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        p.digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    auto slash = rest.rfind('/');
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash) && colon + 1 < rest.size()) {
        p.tag = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
    }
    p.repository = std::string(rest);
    return p;
}

Json values_diff(const Json& base, const Json& target) {
    if (!base.is_object() || !target.is_object()) return target;
    // Keys in a merged order (target's, with removed keys where base had them), so that an
    // environment file reads in the same order as values.yaml.
    std::vector<std::string> order;
    auto t = target.begin();
    for (auto b = base.begin(); b != base.end(); ++b) {
        if (!target.contains(b.key())) {
            order.push_back(b.key());
            continue;
        }
        while (t != target.end()) {
            std::string k = t.key();
            ++t;
            order.push_back(k);
            if (k == b.key()) break;
        }
    }
    for (; t != target.end(); ++t) order.push_back(t.key());

    Json out = Json::object();
    for (const auto& k : order) {
        if (out.contains(k)) continue;
        auto it = base.find(k);
        auto jt = target.find(k);
        if (jt == target.end()) {
            out[k] = nullptr;
        } else if (it == base.end()) {
            out[k] = *jt;
        } else if (it->is_object() && jt->is_object()) {
            Json d = values_diff(*it, *jt);
            if (!d.empty()) out[k] = std::move(d);
        } else if (!json_equal(*it, *jt)) {
            out[k] = *jt;
        }
    }
    return out;
}

Json apply_values(const Json& base, const Json& overlay) {
    if (!base.is_object() || !overlay.is_object()) return overlay;
    Json out = base;
    for (const auto& [k, v] : overlay.items()) {
        if (v.is_null()) {
            out.erase(k);
        } else if (out.contains(k) && out[k].is_object() && v.is_object()) {
            out[k] = apply_values(out[k], v);
        } else {
            // A null inside a new subtree means nothing: drop it as Helm does.
            out[k] = v.is_object() ? apply_values(Json::object(), v) : v;
        }
    }
    return out;
}

util::Expected<Json> chart_values(const spec::Spec& spec) {
    TRY(objects, k8s::build_objects(spec, spec.kubernetes_namespace()));
    return values_from_objects(spec, objects);
}

util::Expected<Json> values_from_objects(const spec::Spec& spec, const std::vector<k8s::Object>& objects) {
    const std::string ns = spec.kubernetes_namespace();

    Json app = Json::object();
    app["name"] = spec.name;
    app["version"] = spec.version;

    std::map<std::string, Group, std::less<>> groups;
    for (const auto& o : objects) groups[o.service].add(&o);

    Json out = Json::object();
    out["app"] = app;
    TRY_VOID(read_namespace_objects(groups[""], app, ns, out));

    Json external_secrets;
    Json services = Json::object();
    for (const auto& svc : spec.services) {
        TRY(v, read_service(svc, app, ns, groups[svc.name], external_secrets));
        services[svc.name] = std::move(v);
    }
    if (external_secrets.is_null()) {
        // No service has secrets: the settings a service adding one through values would use.
        external_secrets = Json::object();
        external_secrets["apiVersion"] = "external-secrets.io/v1beta1";
        external_secrets["refreshInterval"] = "1h";
        std::string store = "coconut";
        if (spec.targets.kubernetes && !spec.targets.kubernetes->secret_store.empty())
            store = spec.targets.kubernetes->secret_store;
        external_secrets["secretStoreRef"] = Json::object({{"kind", "SecretStore"}, {"name", store}});
        external_secrets["creationPolicy"] = "Owner";
    }
    out["externalSecrets"] = std::move(external_secrets);
    out["services"] = std::move(services);

    Json tests = Json::object();
    tests["enabled"] = true;
    tests["image"] = Json::object({{"repository", "busybox"}, {"tag", "1.36.1"}, {"digest", ""}, {"pullPolicy", "IfNotPresent"}});
    tests["timeoutSeconds"] = 5;
    Json limits = Json::object({{"cpu", "100m"}, {"memory", "32Mi"}});
    Json requests = Json::object({{"cpu", "10m"}, {"memory", "16Mi"}});
    tests["resources"] = Json::object({{"requests", requests}, {"limits", limits}});
    out["tests"] = std::move(tests);

    // Objects of the namespace group the chart does not know.
    for (const auto& o : objects) {
        if (!o.service.empty()) continue;
        if ((o.kind == "Namespace" && o.name == ns) || (o.kind == "NetworkPolicy" && o.name == k8s::k_default_deny_name))
            continue;
        return util::fail(util::ErrorCode::Failure, "helm: the chart has no template for " + o.kind + "/" + o.name);
    }
    return out;
}

}  // namespace coconut::generate::helm
