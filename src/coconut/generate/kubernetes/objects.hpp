#pragma once
// The Kubernetes objects of one (base or environment-resolved) spec, as ordered JSON trees in
// canonical key order. Pure data: emission and file layout live in kubernetes_generator.cpp,
// overlay diffs in overlay.hpp. docs/generators/kubernetes.md describes every object.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::generate::kubernetes {

using Json = nlohmann::ordered_json;

// Label keys (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
inline constexpr const char* k_label_name = "app.kubernetes.io/name";
inline constexpr const char* k_label_instance = "app.kubernetes.io/instance";
inline constexpr const char* k_label_component = "app.kubernetes.io/component";
inline constexpr const char* k_label_part_of = "app.kubernetes.io/part-of";
inline constexpr const char* k_label_version = "app.kubernetes.io/version";
inline constexpr const char* k_label_managed_by = "app.kubernetes.io/managed-by";
inline constexpr const char* k_managed_by = "coconut";

// Pod template annotation holding a hash of the env ConfigMap data and the secret references,
// so that a configuration change rolls the pods (a ConfigMap change alone does not).
inline constexpr const char* k_config_hash_annotation = "coconut.dev/config-hash";

// Namespace of the ingress controller used when targets.kubernetes.ingress_namespace is empty.
inline constexpr const char* k_default_ingress_namespace = "ingress-nginx";
// Name of the namespace-wide default-deny NetworkPolicy.
inline constexpr const char* k_default_deny_name = "default-deny";

// Policy exceptions (spec `policies.exceptions`) the generator honours: the one hardening a
// service may need waived. Every other hardening is unconditional.
inline constexpr const char* k_rule_read_only_root_fs = "K8S-READ-ONLY-ROOT-FS";

// Fixed tunables (no spec field yet; see docs/generators/kubernetes.md).
inline constexpr int k_revision_history_limit = 5;
inline constexpr int k_termination_grace_seconds = 30;
inline constexpr int k_prestop_sleep_seconds = 5;
inline constexpr int k_job_backoff_limit = 3;
inline constexpr int k_cron_starting_deadline_seconds = 300;
inline constexpr int k_cron_successful_history = 3;
inline constexpr int k_cron_failed_history = 3;

// One object and the file it belongs to: `service` is the service's name, or empty for the
// namespace-wide objects (Namespace, default-deny NetworkPolicy) kept in namespace.yaml.
struct Object {
    std::string service;
    std::string api_version;   // e.g. "apps/v1" (same as body["apiVersion"])
    std::string kind;          // e.g. "Deployment"
    std::string name;          // metadata.name
    Json body;
};

// Builds the objects of one spec, a group at a time (the namespace-wide objects, then one
// service), so that callers can stream: emit or diff a group and drop it.
// `namespace_name` is written into metadata.namespace (overlays build an environment with the
// base namespace so that only real differences show; kustomize's `namespace:` moves it).
class ObjectBuilder {
public:
    ObjectBuilder(const spec::Spec& spec, std::string namespace_name);
    // Namespace, then the default-deny NetworkPolicy.
    void namespace_objects(std::vector<Object>& out) const;
    // One service's objects in a fixed kind order: ServiceAccount, ConfigMap, ExternalSecret,
    // PersistentVolumeClaim, Service (regular, then headless), Deployment | StatefulSet |
    // CronJob | Job, HorizontalPodAutoscaler, PodDisruptionBudget, Ingress, NetworkPolicy.
    void service_objects(const spec::Service& svc, std::vector<Object>& out) const;

private:
    const spec::Spec& m_spec;
    std::string m_namespace;
    // Reverse edges of depends_on (who depends on a service), in declaration order.
    std::unordered_map<std::string_view, std::vector<const spec::Service*>> m_dependents;
};

// Detects two objects of one kind sharing a name (e.g. services `db` (persistent: Service
// `db-headless`) and `db-headless`): applied, one would silently overwrite the other.
class NameCheck {
public:
    void reserve(std::size_t objects) { m_owner.reserve(objects); }
    util::Expected<void> add(const Object& o);

private:
    std::unordered_map<std::string, std::string> m_owner;   // "Kind/name" -> service
};

// Every object of `spec` (namespace-wide objects first, then per service in declaration
// order), checked with check_names() and for name collisions.
util::Expected<std::vector<Object>> build_objects(const spec::Spec& spec, std::string_view namespace_name);

// Labels of every object of a service / of the namespace-wide objects.
Json service_labels(const spec::Spec& spec, const spec::Service& svc);
Json app_labels(const spec::Spec& spec);
// The stable subset used by selectors (never the version): name + instance.
Json selector_labels(const spec::Spec& spec, const spec::Service& svc);

// A container env entry reading `var` from the Secret `secret_name` (key `var`), and the
// ExternalSecret data entry that fills that key from the store's `key`. The helm target renders
// secret references with the same shapes.
Json secret_env_var(std::string_view secret_name, std::string_view var);
Json external_secret_data(std::string_view var, std::string_view key);

// `<app>-<service>`; longer than 63 characters, its first 54 and an 8-digit hash.
std::string instance_label(std::string_view app, std::string_view service);

// Names the spec accepts but Kubernetes does not: a Service name must start with a letter, and a
// persistent service's `<name>-headless` must fit in 63 characters.
util::Expected<void> check_names(const spec::Spec& spec);

// A label value that Kubernetes accepts: at most 63 characters of [A-Za-z0-9._-], starting and
// ending alphanumeric; other characters become '_' (e.g. "1.0.0+build.5" -> "1.0.0_build.5").
std::string sanitize_label_value(std::string_view value);

// The name of a service's port: "http" for web services and services with an HTTP health check,
// "tcp" otherwise.
std::string port_name(const spec::Service& svc);

// The workload kind of a service: Deployment, StatefulSet (persistent volumes), CronJob (job with
// schedule) or Job (job without schedule).
std::string workload_kind(const spec::Service& svc);

}  // namespace coconut::generate::kubernetes
