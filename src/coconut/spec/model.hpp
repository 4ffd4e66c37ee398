#pragma once
// The typed application spec (coconut.yaml), DESIGN §2. Produced by spec::load() after
// validation and, per environment, by spec::resolve(); consumed by generators (which never see
// YAML). Optional blocks are std::optional; defaults are applied by the loader, so consumers
// read concrete values. The field list, docs and defaults live in schema.cpp (the descriptor
// table that drives validation, `coconut schema` and docs/spec.md); keep the two in step.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coconut/yaml/node.hpp"

namespace coconut::spec {

// Ordered string map: keeps the user's order (env vars, labels) for deterministic output.
using StringMap = std::vector<std::pair<std::string, std::string>>;

enum class ServiceType { Web, Backend, Worker, Job };
enum class Runtime { Node, Python, Go, Java, Static, Dockerfile };
enum class Strategy { Rolling, BlueGreen, Canary, Immutable };
enum class Profile { Baseline, Restricted };
enum class ServiceManager { Systemd, StartStopDaemon };
enum class CpuArchitecture { X86_64, Arm64 };

const char* to_string(ServiceType t);
const char* to_string(Runtime r);
const char* to_string(Strategy s);
const char* to_string(Profile p);
const char* to_string(ServiceManager m);
const char* to_string(CpuArchitecture a);

// Durations are kept as written ("10s", "1m30s") plus their value in seconds.
struct Duration {
    std::string text;
    std::int64_t seconds = 0;
};

struct Build {
    std::string context = ".";
    Runtime runtime = Runtime::Static;
    std::string version;             // runtime version, e.g. "20" for node
    std::string dockerfile;          // runtime: dockerfile -> path to the user's Dockerfile
    std::string binary;              // runtime: static -> path of the prebuilt binary in context
    StringMap args;                  // build args
    std::string base_image;          // override of the preset's runtime base image ("name:tag[@sha256:…]")
    std::string builder_image;       // override of the preset's build-stage image ("name:tag[@sha256:…]")
    std::vector<std::string> healthcheck;     // exec-form HEALTHCHECK argv; empty -> the preset's (from `health`)
    std::vector<std::string> packages;        // Debian packages for the runtime image (apt-get, "name[=version]")
    std::vector<std::string> build_packages;  // Debian packages for the build stage (apt-get, "name[=version]")
};

struct Resources {
    std::string cpu = "100m";        // request (Kubernetes quantity)
    std::string memory = "128Mi";    // request
    std::string cpu_limit;           // limit; empty -> same as cpu
    std::string memory_limit;        // limit; empty -> same as memory
};

struct Replicas {
    int min = 1;
    int max = 1;                     // max == 0: scaled to zero, no autoscaler; max == min: fixed
    int cpu_percent = 80;            // HPA CPU utilisation target
    std::optional<int> memory_percent;
};

struct Health {
    std::vector<std::string> command;   // set: an exec check (runs in the container; needs no port)
    std::string path;                // empty -> TCP check on the port
    int port = 0;                    // 0 -> the service's port
    Duration interval{"10s", 10};
    Duration timeout{"2s", 2};
    Duration initial_delay{"0s", 0};
    int failure_threshold = 3;
};

struct Ingress {
    std::string host;
    std::string path = "/";
    bool tls = false;
    std::string tls_secret;          // empty -> "<service>-tls"
    std::string class_name;          // ingressClassName; empty -> cluster default
    StringMap annotations;
};

struct Volume {
    std::string name;
    std::string path;                // mount path
    std::string size;                // empty -> ephemeral emptyDir; set -> persistent (StatefulSet)
    std::string storage_class;
    bool read_only = false;
};

struct Service {
    std::string name;
    ServiceType type = ServiceType::Backend;
    std::optional<Build> build;      // exactly one of build / image
    std::string image;               // full reference when not built
    int port = 0;                    // 0 -> none (workers, jobs)
    std::vector<std::string> command;
    std::vector<std::string> args;
    StringMap env;
    StringMap secrets;               // ENV_NAME -> secret store reference (never a value)
    Resources resources;
    Replicas replicas;
    std::optional<Health> health;
    std::optional<Ingress> ingress;
    std::vector<Volume> volumes;
    std::string schedule;            // cron, jobs only
    std::vector<std::string> depends_on;
    int run_as_user = 10001;         // numeric non-root UID used in pod and image
    std::string image_digest;        // "sha256:…" of the built image, from coconut.lock (spec::apply_lock); not in YAML
    yaml::Mark position;             // where the service is defined

    // Name of the writable scratch volume generators mount at /tmp under a read-only root file
    // system ("tmp", or "coconut-tmp" when a volume is named tmp), or "" when the service mounts
    // something at /tmp itself.
    [[nodiscard]] std::string tmp_volume_name() const;

    [[nodiscard]] bool is_persistent() const {
        for (const auto& v : volumes)
            if (!v.size.empty()) return true;
        return false;
    }
};

struct KubernetesTarget {
    std::string namespace_name;      // empty -> the app name
    bool chart = true;
    std::string context;             // kubeconfig context used by deploy
    std::string ingress_class;       // default ingressClassName
    std::string secret_store = "coconut";  // external-secrets.io SecretStore for secret refs
    std::string ingress_namespace = "ingress-nginx";  // namespace of the ingress controller (NetworkPolicy peer)
};

struct EcsTarget {
    std::string app;
    std::string cluster;             // empty -> "<app>-<env>" (the ecs generator), Copilot's own cluster (copilot)
    std::string region;              // empty -> us-east-1 (the ecs generator)
    bool copilot = false;            // also generate AWS Copilot manifests (the `copilot` target)
    // The `ecs` target (task definitions and service inputs for the AWS CLI); see docs/generators/ecs.md.
    std::string account_id;          // 12 digits; empty -> the ${AWS_ACCOUNT_ID} placeholder in ARNs
    std::vector<std::string> subnets;          // subnet-…; empty -> the ${ECS_SUBNET_ID} placeholder
    std::vector<std::string> security_groups;  // sg-…; empty -> the ${ECS_SECURITY_GROUP_ID} placeholder
    bool assign_public_ip = false;
    std::string execution_role = "ecsTaskExecutionRole";   // role name or ARN
    std::string task_role;           // role name or ARN; empty -> no task role (no AWS credentials in the task)
    std::string scheduler_role = "ecsEventsRole";          // role EventBridge Scheduler runs jobs with
    std::string log_group;           // empty -> "/ecs/<app>/<env>"
    std::string ssm_prefix;          // empty -> "/<app>/<env>/"
    StringMap target_groups;         // web service -> target group ARN
    StringMap efs;                   // persistent volume name -> EFS file system ID (fs-…)
    std::string platform_version = "LATEST";
    CpuArchitecture architecture = CpuArchitecture::X86_64;
    bool service_connect = true;     // ECS Service Connect: services reach each other by name
};

// A host of targets.servers.inventory (a plain string is a host whose name is its address).
struct ServerHost {
    std::string name;
    std::string address;             // empty -> the name
    int port = 0;                    // SSH port; 0 -> SSH's default
    std::string user;                // empty -> targets.servers.user
    StringMap env;                   // env vars added for every service on the host
    StringMap vars;                  // host variables, written into the inventory
    bool detailed = false;           // written as a mapping (its settings live here)
};

struct ServersTarget {
    std::vector<std::pair<std::string, std::vector<ServerHost>>> inventory;  // group -> hosts, spec order
    std::string user = "deploy";
    ServiceManager service_manager = ServiceManager::Systemd;
    std::string root = "/srv/coconut";
    int lb_port = 80;
    int serial = 1;
    int max_fail_percentage = 0;
    std::vector<std::pair<std::string, int>> ports;  // service -> blue slot port

    [[nodiscard]] const std::vector<ServerHost>* group(std::string_view name) const {
        for (const auto& [g, hosts] : inventory)
            if (g == name) return &hosts;
        return nullptr;
    }
    // The group a service runs on: its own, else `app`; empty when it has none.
    [[nodiscard]] std::string group_of(std::string_view service) const {
        if (group(service)) return std::string(service);
        if (group("app")) return "app";
        return {};
    }
    // The blue slot port of a service on the hosts (green is + 1): `ports`, else its `port`.
    [[nodiscard]] int slot_port(std::string_view service, int port) const {
        for (const auto& [s, p] : ports)
            if (s == service) return p;
        return port;
    }
};

struct Targets {
    std::optional<KubernetesTarget> kubernetes;
    std::optional<EcsTarget> ecs;
    std::optional<ServersTarget> servers;
};

struct AnalysisMetric {
    std::string name;
    std::string query;               // PromQL
    std::optional<double> max;
    std::optional<double> min;
};

struct Canary {
    std::vector<int> steps{10, 50, 100};
    Duration pause{"60s", 60};
    std::vector<AnalysisMetric> analysis;
};

struct Deploy {
    Strategy strategy = Strategy::Rolling;
    Canary canary;
    Duration health_timeout{"120s", 120};
};

struct PolicyException {
    std::string rule;
    std::string service;             // empty -> every service
    std::string environment;         // empty -> every environment
    std::string reason;
};

struct Policies {
    Profile profile = Profile::Restricted;
    std::vector<std::string> custom;
    std::vector<PolicyException> exceptions;
};

struct Monitoring {
    std::optional<double> slo_availability;     // percent, e.g. 99.9
    std::optional<Duration> slo_latency_p99;
    std::string alert_route;
};

struct Cost {
    std::string pricing = "aws-us-east-1";
};

// The spec of the app as written (environments: base) or as resolved for one environment.
struct Spec {
    std::string api_version = "coconut.dev/v1";
    std::string name;
    std::string version = "0.1.0";   // app version; image tag of built services
    std::string registry;            // image registry/repository prefix for built services
    std::vector<Service> services;   // in declaration order
    std::vector<std::string> environments;  // names, in declaration order
    Targets targets;
    Deploy deploy;
    Policies policies;
    Monitoring monitoring;
    Cost cost;

    std::string environment;         // empty for the base spec, else the resolved environment

    // True when `policies.exceptions` waives `rule` for the service in this spec's environment:
    // generators then leave that hardening out, so the files match what the service needs and
    // the policy engine reports the documented exception instead.
    [[nodiscard]] bool has_exception(std::string_view rule, std::string_view service) const;

    [[nodiscard]] const Service* find_service(std::string_view n) const {
        for (const auto& s : services)
            if (s.name == n) return &s;
        return nullptr;
    }
    // The Kubernetes namespace in effect (target namespace or the app name).
    [[nodiscard]] std::string kubernetes_namespace() const {
        if (targets.kubernetes && !targets.kubernetes->namespace_name.empty()) return targets.kubernetes->namespace_name;
        return name;
    }
    // The repository of a built service's image: <registry>/<app>-<svc> (no tag).
    [[nodiscard]] std::string image_repository(const Service& s) const {
        return registry.empty() ? name + "-" + s.name : registry + "/" + name + "-" + s.name;
    }
    // The image reference of a service: `image`, or <registry>/<app>-<svc>:<version> when built,
    // pinned as ...:<version>@sha256:… when coconut.lock recorded the pushed digest.
    [[nodiscard]] std::string image_of(const Service& s) const {
        if (!s.image.empty()) return s.image;
        std::string ref = image_repository(s) + ":" + version;
        if (!s.image_digest.empty()) ref += "@" + s.image_digest;
        return ref;
    }
};

}  // namespace coconut::spec
