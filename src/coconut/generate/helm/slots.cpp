#include "coconut/generate/helm/slots.hpp"

#include <initializer_list>
#include <map>
#include <utility>

namespace coconut::generate::helm {

namespace {

// ---- the table --------------------------------------------------------------------------------

using C = Condition;

// Slots of every pod template: what a chart user tunes per service and what environments change.
std::vector<Slot> pod_slots() {
    const std::string k = "{pod}/spec/containers/0";
    return {
        {"{pod}/metadata/annotations", "podAnnotations", Form::Yaml, true},
        {"{pod}/spec/securityContext", "podSecurityContext", Form::Yaml, false},
        {"{pod}/spec/topologySpreadConstraints", "topologySpreadConstraints", Form::Yaml, true},
        {"{pod}/spec/volumes", "volumes", Form::Yaml, true},
        {k + "/image", "image", Form::Image, false},
        {k + "/imagePullPolicy", "image.pullPolicy", Form::String, false},
        {k + "/command", "command", Form::Yaml, true},
        {k + "/args", "args", Form::Yaml, true},
        {k + "/ports/0/containerPort", "port", Form::Int, false},
        {k + "/env", "secrets", Form::SecretEnv, true},
        {k + "/resources", "resources", Form::Yaml, false},
        {k + "/readinessProbe", "readinessProbe", Form::Yaml, true},
        {k + "/livenessProbe", "livenessProbe", Form::Yaml, true},
        {k + "/lifecycle", "lifecycle", Form::Yaml, true},
        {k + "/securityContext", "securityContext", Form::Yaml, false},
        {k + "/volumeMounts", "volumeMounts", Form::Yaml, true},
    };
}

std::vector<Part> pod_parts() {
    return {
        {"{pod}/spec/containers/0/ports", C::truthy("port")},
        {"{pod}/spec/containers/0/envFrom", C::truthy("env")},
    };
}

ObjectRule workload(const char* kind, std::vector<Slot> own) {
    ObjectRule r{kind, "{svc}", C::equals("kind", kind), true, std::move(own), pod_parts()};
    r.slots.push_back({"/metadata/annotations", "annotations", Form::Yaml, true});
    for (auto& s : pod_slots()) r.slots.push_back(std::move(s));
    return r;
}

std::vector<ObjectRule> make_rules() {
    std::vector<ObjectRule> rules;
    // Namespace-wide. The Namespace renders only on request (Helm needs it before it installs).
    rules.push_back({"Namespace",
                     "{ns}",
                     C::truthy(".namespace.create"),
                     false,
                     {{"/metadata/name", "", Form::Namespace, false},
                      {"/metadata/labels/pod-security.kubernetes.io~1enforce", ".namespace.podSecurity.enforce", Form::String, true},
                      {"/metadata/labels/pod-security.kubernetes.io~1audit", ".namespace.podSecurity.audit", Form::String, true},
                      {"/metadata/labels/pod-security.kubernetes.io~1warn", ".namespace.podSecurity.warn", Form::String, true}},
                     {}});
    rules.push_back({"NetworkPolicy", "default-deny", C::truthy(".networkPolicy.defaultDeny"), true, {}, {}});

    // Per service, in the kubernetes target's kind order.
    rules.push_back({"ServiceAccount", "{svc}", C::always(), false, {}, {}});
    rules.push_back({"ConfigMap", "{svc}-env", C::truthy("env"), false, {{"/data", "env", Form::Yaml, false}}, {}});
    rules.push_back({"ExternalSecret",
                     "{svc}-secrets",
                     C::truthy("secrets"),
                     false,
                     {{"/apiVersion", ".externalSecrets.apiVersion", Form::String, false},
                      {"/spec/refreshInterval", ".externalSecrets.refreshInterval", Form::String, false},
                      {"/spec/secretStoreRef", ".externalSecrets.secretStoreRef", Form::Yaml, false},
                      {"/spec/target/creationPolicy", ".externalSecrets.creationPolicy", Form::String, false},
                      {"/spec/data", "secrets", Form::SecretData, false}},
                     {}});
    rules.push_back({"PersistentVolumeClaim",
                     "{svc}-{suffix}",
                     C::has("persistentVolumeClaims.{suffix}"),
                     false,
                     {{"/spec", "persistentVolumeClaims.{suffix}", Form::Yaml, false}},
                     {}});
    rules.push_back({"Service",
                     "{svc}",
                     C::truthy("port"),
                     false,
                     {{"/spec/type", "service.type", Form::String, false}, {"/spec/ports/0/port", "port", Form::Int, false}},
                     {}});
    rules.push_back({"Service",
                     "{svc}-headless",
                     C::equals("kind", "StatefulSet"),
                     false,
                     {{"/spec/ports/0/port", "port", Form::Int, false}},
                     {{"/spec/ports", C::truthy("port")}}});
    rules.push_back(workload("Deployment", {{"/spec/replicas", "replicas", Form::Int, true},
                                            {"/spec/progressDeadlineSeconds", "progressDeadlineSeconds", Form::Int, false}}));
    rules.push_back(workload("StatefulSet", {{"/spec/replicas", "replicas", Form::Int, true},
                                             {"/spec/volumeClaimTemplates", "volumeClaimTemplates", Form::Yaml, false}}));
    rules.push_back(workload("CronJob",
                             {{"/spec/schedule", "schedule", Form::String, false}, {"/spec/suspend", "suspend", Form::Bool, true}}));
    rules.push_back(workload("Job", {}));
    rules.push_back({"HorizontalPodAutoscaler",
                     "{svc}",
                     C::truthy("autoscaling.enabled"),
                     true,
                     {{"/spec/scaleTargetRef/kind", "kind", Form::String, false},
                      {"/spec/minReplicas", "autoscaling.minReplicas", Form::Int, false},
                      {"/spec/maxReplicas", "autoscaling.maxReplicas", Form::Int, false},
                      {"/spec/metrics/0/resource/target/averageUtilization", "autoscaling.targetCPUUtilizationPercentage",
                       Form::Int, false},
                      {"/spec/metrics/1/resource/target/averageUtilization", "autoscaling.targetMemoryUtilizationPercentage",
                       Form::Int, true}},
                     {{"/spec/metrics/1", C::has("autoscaling.targetMemoryUtilizationPercentage")}}});
    rules.push_back({"PodDisruptionBudget",
                     "{svc}",
                     C::truthy("podDisruptionBudget.enabled"),
                     true,
                     {{"/spec/maxUnavailable", "podDisruptionBudget.maxUnavailable", Form::Scalar, false}},
                     {}});
    rules.push_back({"Ingress",
                     "{svc}",
                     C::truthy("ingress.enabled"),
                     true,
                     {{"/metadata/annotations", "ingress.annotations", Form::Yaml, true},
                      {"/spec/ingressClassName", "ingress.className", Form::String, true},
                      {"/spec/tls", "ingress.tls", Form::Yaml, true},
                      {"/spec/rules/0/host", "ingress.host", Form::String, true},
                      {"/spec/rules/0/http/paths/0/path", "ingress.path", Form::String, false},
                      {"/spec/rules/0/http/paths/0/pathType", "ingress.pathType", Form::String, false}},
                     {}});
    rules.push_back({"NetworkPolicy",
                     "{svc}",
                     C::truthy("networkPolicy.enabled"),
                     true,
                     {{"/spec/ingress", "networkPolicy.ingress", Form::Yaml, true},
                      {"/spec/egress", "networkPolicy.egress", Form::Yaml, true}},
                     {}});
    return rules;
}

// ---- schemas of the values ----------------------------------------------------------------------

Json described(Json s, const char* description) {
    if (description && *description) s["description"] = description;
    return s;
}
Json string_t(const char* description = nullptr) { return described(Json::object({{"type", "string"}}), description); }
Json boolean_t(const char* description = nullptr) { return described(Json::object({{"type", "boolean"}}), description); }
Json integer_t(std::int64_t minimum, const char* description = nullptr, std::int64_t maximum = -1) {
    Json s = Json::object({{"type", "integer"}, {"minimum", minimum}});
    if (maximum >= 0) s["maximum"] = maximum;
    return described(std::move(s), description);
}
Json enum_t(std::initializer_list<const char*> values, const char* description = nullptr) {
    Json e = Json::array();
    for (const char* v : values) e.push_back(v);
    return described(Json::object({{"type", "string"}, {"enum", std::move(e)}}), description);
}
Json array_of(Json items, const char* description = nullptr) {
    return described(Json::object({{"type", "array"}, {"items", std::move(items)}}), description);
}
Json open_object(const char* description = nullptr) { return described(Json::object({{"type", "object"}}), description); }
Json map_of(Json values, const char* description = nullptr) {
    return described(Json::object({{"type", "object"}, {"additionalProperties", std::move(values)}}), description);
}
Json strict(std::initializer_list<std::pair<const char*, Json>> properties, std::initializer_list<const char*> required = {},
            const char* description = nullptr) {
    Json s = Json::object();
    s["type"] = "object";
    if (description && *description) s["description"] = description;
    Json props = Json::object();
    for (const auto& [k, v] : properties) props[k] = v;
    s["properties"] = std::move(props);
    if (required.size()) {
        Json r = Json::array();
        for (const char* k : required) r.push_back(k);
        s["required"] = std::move(r);
    }
    s["additionalProperties"] = false;
    return s;
}

// The structures below are spelled out (not open objects) because a typo there silently weakens
// a pod: `readOnlyRootFileSystem: true` would otherwise be accepted and ignored.
Json quantity() {
    return Json::object({{"type", Json::array({"string", "number"})}, {"description", "A Kubernetes quantity, e.g. 250m, 0.5, 256Mi."}});
}
Json resource_list() {
    Json s = strict({{"cpu", quantity()}, {"memory", quantity()}, {"ephemeral-storage", quantity()}});
    s["patternProperties"] = Json::object({{"^hugepages-", quantity()}, {"/", quantity()}});   // nvidia.com/gpu, ...
    return s;
}
Json resources() {
    return strict({{"requests", resource_list()}, {"limits", resource_list()}, {"claims", array_of(open_object())}}, {},
                  "Container resources (requests and limits).");
}
Json profile() {
    return strict({{"type", enum_t({"RuntimeDefault", "Localhost", "Unconfined"})}, {"localhostProfile", string_t()}}, {"type"});
}
Json container_security_context() {
    return strict({{"allowPrivilegeEscalation", boolean_t()},
                   {"appArmorProfile", profile()},
                   {"capabilities", strict({{"add", array_of(string_t())}, {"drop", array_of(string_t())}})},
                   {"privileged", boolean_t()},
                   {"procMount", enum_t({"Default", "Unmasked"})},
                   {"readOnlyRootFilesystem", boolean_t()},
                   {"runAsGroup", integer_t(0)},
                   {"runAsNonRoot", boolean_t()},
                   {"runAsUser", integer_t(0)},
                   {"seLinuxOptions", open_object()},
                   {"seccompProfile", profile()},
                   {"windowsOptions", open_object()}},
                  {}, "The container's securityContext (hardened for the restricted Pod Security Standard).");
}
Json pod_security_context() {
    return strict({{"appArmorProfile", profile()},
                   {"fsGroup", integer_t(0)},
                   {"fsGroupChangePolicy", enum_t({"OnRootMismatch", "Always"})},
                   {"runAsGroup", integer_t(0)},
                   {"runAsNonRoot", boolean_t()},
                   {"runAsUser", integer_t(0)},
                   {"seLinuxChangePolicy", string_t()},
                   {"seLinuxOptions", open_object()},
                   {"seccompProfile", profile()},
                   {"supplementalGroups", array_of(integer_t(0))},
                   {"supplementalGroupsPolicy", enum_t({"Merge", "Strict"})},
                   {"sysctls", array_of(open_object())},
                   {"windowsOptions", open_object()}},
                  {}, "The pod's securityContext.");
}
Json secrets_t() {
    return array_of(strict({{"name", described(Json::object({{"type", "string"}, {"pattern", "^[-._a-zA-Z][-._a-zA-Z0-9]*$"}}),
                                               "Environment variable.")},
                            {"key", string_t("Key in the secret store (external-secrets remoteRef.key).")}},
                           {"name", "key"}),
                    "Secret references (an ExternalSecret); values never appear in the chart.");
}
Json env_t() {
    Json env = map_of(string_t(), "Environment variables (a ConfigMap, loaded with envFrom).");
    env["propertyNames"] = Json::object({{"pattern", "^[-._a-zA-Z0-9]+$"}});
    return env;
}
Json pss_level() { return enum_t({"privileged", "baseline", "restricted"}); }

const std::map<std::string, Json, std::less<>>& schemas() {
    static const std::map<std::string, Json, std::less<>> table = {
        {"enabled", boolean_t("Render the service's objects.")},
        {"kind", enum_t({"Deployment", "StatefulSet", "CronJob", "Job"}, "The workload kind.")},
        {"image.repository", described(Json::object({{"type", "string"}, {"minLength", 1}}),
                                       "Image repository, e.g. registry.example.com/shop/web.")},
        {"image.tag", string_t("Image tag; empty for none.")},
        {"image.digest", described(Json::object({{"type", "string"},
                                                 {"pattern", "^([a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)?$"}}),
                                   "Image digest (sha256:...); when set the runtime pulls by digest.")},
        {"image.pullPolicy", enum_t({"Always", "IfNotPresent", "Never"})},
        {"command", array_of(string_t(), "Container command (replaces the image's ENTRYPOINT).")},
        {"args", array_of(string_t(), "Container args (replace the image's CMD).")},
        {"port", integer_t(1, "The container port, served by the Service.", 65535)},
        {"replicas", integer_t(0, "Replica count when autoscaling is off.")},
        {"progressDeadlineSeconds", integer_t(1)},
        {"volumeClaimTemplates", array_of(open_object())},
        {"schedule", string_t("Cron schedule.")},
        {"suspend", boolean_t("Keep the CronJob but run nothing.")},
        {"resources", resources()},
        {"env", env_t()},
        {"secrets", secrets_t()},
        {"annotations", map_of(string_t(), "Annotations of the workload object (e.g. a documented coconut.dev/ignore).")},
        {"podAnnotations", map_of(string_t(), "Pod annotations (coconut.dev/config-hash rolls the pods when env or secrets change).")},
        {"podSecurityContext", pod_security_context()},
        {"securityContext", container_security_context()},
        {"topologySpreadConstraints", array_of(open_object())},
        {"volumes", array_of(open_object())},
        {"volumeMounts", array_of(open_object())},
        {"readinessProbe", open_object()},
        {"livenessProbe", open_object()},
        {"lifecycle", open_object()},
        {"service.type", enum_t({"ClusterIP", "NodePort", "LoadBalancer"})},
        {"autoscaling.enabled", boolean_t("Render a HorizontalPodAutoscaler (autoscaling/v2).")},
        {"autoscaling.minReplicas", integer_t(1)},
        {"autoscaling.maxReplicas", integer_t(1)},
        {"autoscaling.targetCPUUtilizationPercentage", integer_t(1)},
        {"autoscaling.targetMemoryUtilizationPercentage", integer_t(1)},
        {"podDisruptionBudget.enabled", boolean_t("Render a PodDisruptionBudget.")},
        {"podDisruptionBudget.maxUnavailable", Json::object({{"type", Json::array({"integer", "string"})}})},
        {"ingress.enabled", boolean_t("Render an Ingress for the service's port.")},
        {"ingress.annotations", map_of(string_t())},
        {"ingress.className", string_t("ingressClassName; unset for the cluster's default class.")},
        {"ingress.tls", array_of(strict({{"hosts", array_of(string_t())}, {"secretName", string_t()}}))},
        {"ingress.host", string_t()},
        {"ingress.path", string_t()},
        {"ingress.pathType", enum_t({"Prefix", "Exact", "ImplementationSpecific"})},
        {"networkPolicy.enabled", boolean_t("Render the service's NetworkPolicy.")},
        {"networkPolicy.ingress", array_of(open_object(), "NetworkPolicy ingress rules.")},
        {"networkPolicy.egress", array_of(open_object(), "NetworkPolicy egress rules.")},
        {"persistentVolumeClaims.*", open_object("The spec of the PersistentVolumeClaim <service>-<name>.")},
        {".app.version", string_t("The app.kubernetes.io/version label of every object (the spec's version, as a label value).")},
        {".namespace.create",
         boolean_t("Render the Namespace (with Pod Security labels). Off: Helm needs it before installing.")},
        {".namespace.podSecurity.enforce", pss_level()},
        {".namespace.podSecurity.audit", pss_level()},
        {".namespace.podSecurity.warn", pss_level()},
        {".networkPolicy.defaultDeny", boolean_t("Render the namespace-wide default-deny NetworkPolicy.")},
        {".externalSecrets.apiVersion", string_t("external-secrets.io API version of the ExternalSecret objects.")},
        {".externalSecrets.refreshInterval", string_t()},
        {".externalSecrets.secretStoreRef",
         strict({{"kind", enum_t({"SecretStore", "ClusterSecretStore"})}, {"name", string_t()}}, {"kind", "name"})},
        {".externalSecrets.creationPolicy", enum_t({"Owner", "Orphan", "Merge", "None"})},
        {".tests.enabled", boolean_t("Render the `helm test` hooks (a connection check per web service).")},
        {".tests.image.repository", described(Json::object({{"type", "string"}, {"minLength", 1}}), "Image repository.")},
        {".tests.image.tag", string_t()},
        {".tests.image.digest", string_t()},
        {".tests.image.pullPolicy", enum_t({"Always", "IfNotPresent", "Never"})},
        {".tests.timeoutSeconds", integer_t(1)},
        {".tests.resources", resources()},
    };
    return table;
}

}  // namespace

const std::vector<LabelSlot>& label_slots() {
    // The version changes per environment (an environment may set its own `version`).
    static const std::vector<LabelSlot> slots = {{"app.kubernetes.io/version", ".app.version"}};
    return slots;
}

const std::vector<ObjectRule>& object_rules() {
    static const std::vector<ObjectRule> rules = make_rules();
    return rules;
}

std::string_view pod_template_pointer(std::string_view kind) {
    if (kind == "CronJob") return "/spec/jobTemplate/spec/template";
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "Job") return "/spec/template";
    return {};
}

Json value_schema(std::string_view key) {
    const auto& table = schemas();
    if (auto it = table.find(key); it != table.end()) return it->second;
    // A key with a name in it (persistentVolumeClaims.<volume>).
    if (auto dot = key.rfind('.'); dot != std::string_view::npos) {
        std::string pattern = std::string(key.substr(0, dot)) + ".*";
        if (auto it = table.find(pattern); it != table.end()) return it->second;
    }
    return nullptr;
}

}  // namespace coconut::generate::helm
