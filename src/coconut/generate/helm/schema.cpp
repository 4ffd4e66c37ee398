#include "coconut/generate/helm/schema.hpp"

#include <initializer_list>
#include <string>
#include <utility>

namespace coconut::generate::helm {

namespace {

using Json = nlohmann::ordered_json;

// ---- small builders ----------------------------------------------------------------------------

Json described(Json s, const char* description) {
    if (description && *description) s["description"] = description;
    return s;
}

Json string_t(const char* description = nullptr) { return described(Json::object({{"type", "string"}}), description); }

Json pattern_t(const char* pattern, const char* description = nullptr) {
    Json s = string_t(description);
    s["pattern"] = pattern;
    return s;
}

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

// An open object: a Kubernetes structure passed through whole.
Json open_object(const char* description = nullptr) {
    return described(Json::object({{"type", "object"}}), description);
}

Json map_of(Json values, const char* description = nullptr) {
    return described(Json::object({{"type", "object"}, {"additionalProperties", std::move(values)}}), description);
}

// A strict object: these properties and no others.
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

constexpr const char* k_dns_label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

// ---- Kubernetes structures spelled out ----------------------------------------------------------

Json quantity() {
    return Json::object({{"type", Json::array({"string", "number"})},
                         {"description", "A Kubernetes quantity, e.g. 250m, 0.5, 256Mi."}});
}

Json resource_list() {
    Json s = strict({{"cpu", quantity()}, {"memory", quantity()}, {"ephemeral-storage", quantity()}});
    // Extended resources (nvidia.com/gpu) and huge pages.
    s["patternProperties"] = Json::object({{"^hugepages-", quantity()}, {"/", quantity()}});
    return s;
}

Json resources() {
    return strict({{"requests", resource_list()}, {"limits", resource_list()}, {"claims", array_of(open_object())}}, {},
                  "Container resources (requests and limits).");
}

Json seccomp_profile() {
    return strict({{"type", enum_t({"RuntimeDefault", "Localhost", "Unconfined"})}, {"localhostProfile", string_t()}},
                  {"type"});
}

Json app_armor_profile() {
    return strict({{"type", enum_t({"RuntimeDefault", "Localhost", "Unconfined"})}, {"localhostProfile", string_t()}},
                  {"type"});
}

Json container_security_context() {
    return strict(
        {
            {"allowPrivilegeEscalation", boolean_t()},
            {"appArmorProfile", app_armor_profile()},
            {"capabilities", strict({{"add", array_of(string_t())}, {"drop", array_of(string_t())}})},
            {"privileged", boolean_t()},
            {"procMount", enum_t({"Default", "Unmasked"})},
            {"readOnlyRootFilesystem", boolean_t()},
            {"runAsGroup", integer_t(0)},
            {"runAsNonRoot", boolean_t()},
            {"runAsUser", integer_t(0)},
            {"seLinuxOptions", open_object()},
            {"seccompProfile", seccomp_profile()},
            {"windowsOptions", open_object()},
        },
        {}, "The container's securityContext (hardened for the restricted Pod Security Standard).");
}

Json pod_security_context() {
    return strict(
        {
            {"appArmorProfile", app_armor_profile()},
            {"fsGroup", integer_t(0)},
            {"fsGroupChangePolicy", enum_t({"OnRootMismatch", "Always"})},
            {"runAsGroup", integer_t(0)},
            {"runAsNonRoot", boolean_t()},
            {"runAsUser", integer_t(0)},
            {"seLinuxChangePolicy", string_t()},
            {"seLinuxOptions", open_object()},
            {"seccompProfile", seccomp_profile()},
            {"supplementalGroups", array_of(integer_t(0))},
            {"supplementalGroupsPolicy", enum_t({"Merge", "Strict"})},
            {"sysctls", array_of(open_object())},
            {"windowsOptions", open_object()},
        },
        {}, "The pod's securityContext.");
}

Json image() {
    return strict(
        {
            {"repository", described(Json::object({{"type", "string"}, {"minLength", 1}}),
                                     "Image repository, e.g. registry.example.com/shop/web.")},
            {"tag", string_t("Image tag; empty for none.")},
            {"digest", pattern_t("^([a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)?$",
                                 "Image digest (sha256:...); when set the runtime pulls by digest.")},
            {"pullPolicy", enum_t({"Always", "IfNotPresent", "Never"})},
        },
        {"repository", "pullPolicy"}, "The container image: repository[:tag][@digest].");
}

// ---- the chart's own values ---------------------------------------------------------------------

Json service() {
    Json autoscaling = strict(
        {
            {"enabled", boolean_t("Render a HorizontalPodAutoscaler (autoscaling/v2); replicas is then left to it.")},
            {"minReplicas", integer_t(1)},
            {"maxReplicas", integer_t(1)},
            {"targetCPUUtilizationPercentage", integer_t(1)},
            {"targetMemoryUtilizationPercentage", integer_t(1)},
        },
        {"enabled"});
    autoscaling["if"] = Json::object({{"properties", Json::object({{"enabled", Json::object({{"const", true}})}})}});
    autoscaling["then"] =
        Json::object({{"required", Json::array({"minReplicas", "maxReplicas", "targetCPUUtilizationPercentage"})}});

    Json pdb = strict(
        {
            {"enabled", boolean_t("Render a PodDisruptionBudget.")},
            {"maxUnavailable", Json::object({{"type", Json::array({"integer", "string"})}})},
            {"unhealthyPodEvictionPolicy", enum_t({"IfHealthyBudget", "AlwaysAllow"})},
        },
        {"enabled"});
    pdb["if"] = Json::object({{"properties", Json::object({{"enabled", Json::object({{"const", true}})}})}});
    pdb["then"] = Json::object({{"required", Json::array({"maxUnavailable"})}});

    Json ingress = strict(
        {
            {"enabled", boolean_t("Render an Ingress for the service's port.")},
            {"className", string_t("ingressClassName; empty for the cluster's default class.")},
            {"annotations", map_of(string_t())},
            {"host", string_t()},
            {"path", string_t()},
            {"pathType", enum_t({"Prefix", "Exact", "ImplementationSpecific"})},
            {"tls", strict({{"enabled", boolean_t()}, {"secretName", string_t("Default: <service>-tls.")}}, {"enabled"})},
        },
        {"enabled"});

    Json cron = strict({
        {"timeZone", string_t()},
        {"concurrencyPolicy", enum_t({"Allow", "Forbid", "Replace"})},
        {"startingDeadlineSeconds", integer_t(0)},
        {"suspend", boolean_t("Keep the CronJob but run nothing.")},
        {"successfulJobsHistoryLimit", integer_t(0)},
        {"failedJobsHistoryLimit", integer_t(0)},
    });

    Json env = map_of(string_t(), "Environment variables (a ConfigMap, loaded with envFrom).");
    env["propertyNames"] = Json::object({{"pattern", "^[-._a-zA-Z0-9]+$"}});

    Json s = strict(
        {
            {"enabled", boolean_t("Render the service's objects.")},
            {"type", enum_t({"web", "backend", "worker", "job"}, "The coconut service type (component label).")},
            {"instanceLabel",
             described(Json::object({{"type", "string"}, {"pattern", "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"},
                                     {"maxLength", 63}}),
                       "app.kubernetes.io/instance when <app>-<service> is longer than a label value allows.")},
            {"kind", enum_t({"Deployment", "StatefulSet", "CronJob", "Job"}, "The workload kind.")},
            {"image", image()},
            {"command", array_of(string_t(), "Container command (replaces the image's ENTRYPOINT).")},
            {"args", array_of(string_t(), "Container args (replace the image's CMD).")},
            {"port", integer_t(1, "The container port, served by the Service.", 65535)},
            {"portName",
             described(Json::object({{"type", "string"}, {"pattern", "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"}, {"maxLength", 15}}),
                       "Name of the port (http or tcp).")},
            {"replicas", integer_t(0, "Replica count when autoscaling is off.")},
            {"autoscaling", autoscaling},
            {"resources", resources()},
            {"env", env},
            {"secrets", array_of(strict({{"name", pattern_t("^[-._a-zA-Z][-._a-zA-Z0-9]*$", "Environment variable.")},
                                         {"key", string_t("Key in the secret store (external-secrets remoteRef.key).")}},
                                        {"name", "key"}),
                                 "Secret references (an ExternalSecret); values never appear in the chart.")},
            {"configHash", string_t("Pod annotation that rolls the pods when env or secrets change.")},
            {"readinessProbe", open_object()},
            {"livenessProbe", open_object()},
            {"lifecycle", open_object()},
            {"securityContext", container_security_context()},
            {"podSecurityContext", pod_security_context()},
            {"automountServiceAccountToken", boolean_t()},
            {"enableServiceLinks", boolean_t()},
            {"terminationGracePeriodSeconds", integer_t(0)},
            {"topologySpreadConstraints", array_of(open_object())},
            {"volumeMounts", array_of(open_object())},
            {"volumes", array_of(open_object())},
            {"persistentVolumeClaims",
             array_of(strict({{"name", pattern_t(k_dns_label)}, {"spec", open_object()}}, {"name", "spec"}),
                      "Standalone PersistentVolumeClaims named <service>-<name>.")},
            {"volumeClaimTemplates", array_of(open_object())},
            {"revisionHistoryLimit", integer_t(0)},
            {"progressDeadlineSeconds", integer_t(1)},
            {"updateStrategy", strict({{"type", enum_t({"RollingUpdate", "Recreate", "OnDelete"})},
                                       {"rollingUpdate", open_object()}},
                                      {"type"}, "Deployment strategy / StatefulSet updateStrategy.")},
            {"schedule", string_t("Cron schedule.")},
            {"cronJob", cron},
            {"backoffLimit", integer_t(0)},
            {"restartPolicy", enum_t({"Never", "OnFailure", "Always"})},
            {"service", strict({{"type", enum_t({"ClusterIP", "NodePort", "LoadBalancer"})}, {"appProtocol", string_t()}},
                               {"type"})},
            {"ingress", ingress},
            {"podDisruptionBudget", pdb},
            {"networkPolicy", strict({{"enabled", boolean_t()},
                                      {"ingress", array_of(open_object(), "NetworkPolicy ingress rules.")},
                                      {"egress", array_of(open_object(), "NetworkPolicy egress rules.")}},
                                     {"enabled"})},
        },
        {"enabled", "type", "kind", "image", "resources", "securityContext", "podSecurityContext",
         "automountServiceAccountToken", "enableServiceLinks", "terminationGracePeriodSeconds", "networkPolicy"});
    s["dependencies"] = Json::object({{"port", Json::array({"portName", "service", "ingress"})}});
    auto when_kind = [](std::initializer_list<const char*> kinds, std::initializer_list<const char*> required) {
        Json k = Json::array();
        for (const char* x : kinds) k.push_back(x);
        Json r = Json::array();
        for (const char* x : required) r.push_back(x);
        Json rule = Json::object();
        rule["if"] = Json::object({{"properties", Json::object({{"kind", Json::object({{"enum", std::move(k)}})}})},
                                   {"required", Json::array({"kind"})}});
        rule["then"] = Json::object({{"required", std::move(r)}});
        return rule;
    };
    s["allOf"] = Json::array({
        when_kind({"Deployment", "StatefulSet"},
                  {"replicas", "autoscaling", "podDisruptionBudget", "revisionHistoryLimit", "updateStrategy"}),
        when_kind({"Deployment"}, {"progressDeadlineSeconds"}),
        when_kind({"CronJob"}, {"schedule", "cronJob", "backoffLimit"}),
        when_kind({"Job"}, {"backoffLimit"}),
    });
    return s;
}

}  // namespace

Json values_schema() {
    Json root = Json::object();
    root["$schema"] = "http://json-schema.org/draft-07/schema#";
    root["$comment"] = "generated by coconut from the chart's values model; strict: unknown keys are errors";
    root["title"] = "coconut chart values";
    root["type"] = "object";
    root["definitions"] = Json::object({{"service", service()}});

    Json services = map_of(Json::object({{"$ref", "#/definitions/service"}}), "The app's services, by name.");
    services["propertyNames"] = Json::object({{"pattern", k_dns_label}, {"maxLength", 63}});

    Json tests = strict(
        {
            {"enabled", boolean_t("Render the `helm test` hooks (a connection check per web service).")},
            {"image", image()},
            {"timeoutSeconds", integer_t(1)},
            {"resources", resources()},
        },
        {"enabled", "image", "timeoutSeconds", "resources"});

    Json props = Json::object();
    props["global"] = open_object("Reserved by Helm for values shared with subcharts.");
    props["app"] = strict({{"name", described(Json::object({{"type", "string"}, {"pattern", k_dns_label}, {"maxLength", 63}}),
                                              "The app's name (part-of label, instance label prefix).")},
                           {"version", string_t("The app's version (version label).")}},
                          {"name", "version"});
    props["namespace"] = strict(
        {{"create", boolean_t("Render the Namespace (with Pod Security labels). Off: Helm needs it before installing.")},
         {"podSecurity", strict({{"enforce", enum_t({"privileged", "baseline", "restricted"})},
                                 {"audit", enum_t({"privileged", "baseline", "restricted"})},
                                 {"warn", enum_t({"privileged", "baseline", "restricted"})}})}},
        {"create"});
    props["networkPolicy"] =
        strict({{"defaultDeny", boolean_t("Render the namespace-wide default-deny NetworkPolicy.")}}, {"defaultDeny"});
    props["externalSecrets"] = strict(
        {
            {"apiVersion", string_t("external-secrets.io API version of the ExternalSecret objects.")},
            {"refreshInterval", string_t()},
            {"secretStoreRef",
             strict({{"kind", enum_t({"SecretStore", "ClusterSecretStore"})}, {"name", string_t()}}, {"kind", "name"})},
            {"creationPolicy", enum_t({"Owner", "Orphan", "Merge", "None"})},
        },
        {"apiVersion", "refreshInterval", "secretStoreRef", "creationPolicy"});
    props["services"] = std::move(services);
    props["tests"] = std::move(tests);
    root["properties"] = std::move(props);
    root["required"] = Json::array({"app", "namespace", "networkPolicy", "externalSecrets", "services", "tests"});
    root["additionalProperties"] = false;
    return root;
}

}  // namespace coconut::generate::helm
