// The descriptor table of coconut.yaml (see schema.hpp) and what is generated from it: the
// JSON Schema (`coconut schema`) and the reference page (docs/spec.md).
#include "coconut/spec/schema.hpp"

#include <deque>
#include <set>
#include <sstream>

#include "coconut/spec/load.hpp"

namespace coconut::spec::schema {

namespace {

using Json = nlohmann::ordered_json;

struct Table {
    std::deque<Type> types;
    const Type* root = nullptr;
    const Type* environment = nullptr;

    Type* make(Kind k) {
        Type& t = types.emplace_back();
        t.kind = k;
        return &t;
    }
    const Type* string(Format f = Format::None, bool non_empty = false, bool any_scalar = false) {
        Type* t = make(Kind::String);
        t->format = f;
        t->non_empty = non_empty;
        t->any_scalar = any_scalar;
        return t;
    }
    const Type* integer(std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
        Type* t = make(Kind::Integer);
        t->min_int = min;
        t->max_int = max;
        return t;
    }
    const Type* number(std::optional<double> min, std::optional<double> max, bool exclusive) {
        Type* t = make(Kind::Number);
        t->min_num = min;
        t->max_num = max;
        t->exclusive_min = t->exclusive_max = exclusive;
        return t;
    }
    const Type* simple(Kind k) { return make(k); }
    const Type* duration(bool positive) {
        Type* t = make(Kind::Duration);
        t->positive = positive;
        return t;
    }
    const Type* enumeration(std::vector<std::string> values) {
        Type* t = make(Kind::Enum);
        t->values = std::move(values);
        return t;
    }
    const Type* list(const Type* item, bool non_empty = false) {
        Type* t = make(Kind::List);
        t->item = item;
        t->non_empty = non_empty;
        return t;
    }
    const Type* map(Format key_format, std::string key_name, const Type* item, bool non_empty = false) {
        Type* t = make(Kind::Map);
        t->key_format = key_format;
        t->key_name = std::move(key_name);
        t->item = item;
        t->non_empty = non_empty;
        return t;
    }
    Type* object(std::string title, std::string doc_path, std::string description) {
        Type* t = make(Kind::Object);
        t->title = std::move(title);
        t->doc_path = std::move(doc_path);
        t->description = std::move(description);
        return t;
    }
    const Type* one_of(std::vector<const Type*> alternatives) {
        Type* t = make(Kind::OneOf);
        t->alternatives = std::move(alternatives);
        return t;
    }
};

Field field(std::string name, const Type* type, std::string description) {
    Field f;
    f.name = std::move(name);
    f.type = type;
    f.description = std::move(description);
    return f;
}
Field required(std::string name, const Type* type, std::string description) {
    Field f = field(std::move(name), type, std::move(description));
    f.required = true;
    return f;
}
Field with_default(std::string name, const Type* type, Json def, std::string description) {
    Field f = field(std::move(name), type, std::move(description));
    f.default_value = std::move(def);
    return f;
}
Field with_doc_default(std::string name, const Type* type, std::string def_doc, std::string description) {
    Field f = field(std::move(name), type, std::move(description));
    f.default_doc = std::move(def_doc);
    return f;
}

Table build_table() {
    Table t;
    constexpr std::int64_t k_int32_max = 2147483647;

    // ---- services.<name> ----
    Type* build = t.object("Build", "services.<name>.build",
                           "How coconut builds the service's image (instead of `image`). coconut generates a "
                           "multi-stage Dockerfile per runtime preset, unless the runtime is `dockerfile`.");
    build->fields = {
        with_default("context", t.string(Format::NoSpaces, true), ".",
                     "Build context directory, relative to coconut.yaml."),
        with_default("runtime", t.enumeration({"node", "python", "go", "java", "static", "dockerfile"}), "static",
                     "Runtime preset: `node`, `python`, `go`, `java`, `static` (copy a prebuilt binary into a "
                     "minimal image) or `dockerfile` (use your own Dockerfile)."),
        with_doc_default("version", t.string(Format::NoSpaces, true, true),
                         "node `20`, python `3.12`, go `1.22`, java `21`; none for static and dockerfile",
                         "Runtime version; selects the pinned base image tag."),
        with_doc_default("dockerfile", t.string(Format::NoSpaces, true), "`Dockerfile` (runtime dockerfile only)",
                         "Path of your Dockerfile inside the context; only with runtime `dockerfile`."),
        with_doc_default("binary", t.string(Format::NoSpaces, true), "the service's name (runtime static only)",
                         "Path of the prebuilt binary inside the context; only with runtime `static`."),
        field("args", t.map(Format::EnvVarName, "argument", t.string(Format::None, false, true)),
              "Build arguments (`--build-arg NAME=value`)."),
        with_doc_default("base_image", t.string(Format::NoSpaces, true), "the preset's runtime image",
                         "Runtime base image, pinned: `name:tag` or `name:tag@sha256:...`."),
        with_doc_default("builder_image", t.string(Format::NoSpaces, true), "the preset's build image",
                         "Build-stage image, pinned: `name:tag` or `name:tag@sha256:...`."),
        with_doc_default("healthcheck", t.one_of({t.string(Format::None, true), t.list(t.string(Format::None, true))}),
                         "derived from `health`",
                         "Exec-form `HEALTHCHECK` command of the image (a list, or a string split into words), for "
                         "images without a shell or HTTP client."),
        field("packages", t.list(t.string(Format::NoSpaces, true)),
              "Debian packages installed in the runtime image (`name` or `name=version`)."),
        field("build_packages", t.list(t.string(Format::NoSpaces, true)),
              "Debian packages installed in the build stage (`name` or `name=version`)."),
    };
    build->rules = {"`dockerfile` is only allowed with runtime `dockerfile`, `binary` only with runtime `static`."};

    Type* resources = t.object("Resources", "services.<name>.resources",
                               "CPU and memory per replica (Kubernetes quantities). The requests also drive the cost "
                               "estimate.");
    resources->fields = {
        with_default("cpu", t.simple(Kind::Cpu), "100m",
                     "CPU request: millicores (`250m`) or cores (`0.5`, `2`). When only `cpu_limit` is set, the "
                     "request defaults to it, as in Kubernetes."),
        with_default("memory", t.simple(Kind::Memory), "128Mi",
                     "Memory request: bytes with a suffix (`256Mi`, `1Gi`, `129M`) or plain bytes. When only "
                     "`memory_limit` is set, the request defaults to it."),
        with_doc_default("cpu_limit", t.simple(Kind::Cpu), "same as `cpu`", "CPU limit."),
        with_doc_default("memory_limit", t.simple(Kind::Memory), "same as `memory`", "Memory limit."),
    };
    resources->rules = {"A limit must not be lower than its request."};

    Type* replicas = t.object("Replicas", "services.<name>.replicas",
                              "Replica count and autoscaling. `replicas: 3` is short for `{min: 3, max: 3}` (a fixed "
                              "count, no autoscaler); `min < max` adds a HorizontalPodAutoscaler.");
    replicas->fields = {
        with_doc_default("min", t.integer(0, k_int32_max), "2 (1 for jobs; never more than `max`)",
                         "Minimum number of replicas (0 scales the service to zero)."),
        with_doc_default("max", t.integer(0, k_int32_max), "same as `min`", "Maximum number of replicas."),
        with_default("cpu_percent", t.integer(1, 100), 80, "Target average CPU utilisation (percent of the request)."),
        with_doc_default("memory_percent", t.integer(1, 100), "none",
                         "Target average memory utilisation (percent of the request)."),
    };
    replicas->rules = {"`min` must not be greater than `max`."};

    const Type* string_or_list =
        t.one_of({t.string(Format::None, false, true), t.list(t.string(Format::None, false, true))});

    Type* health = t.object("Health", "services.<name>.health",
                            "Health check (readiness and liveness). With `path`, an HTTP GET that must answer 2xx/3xx; "
                            "with `command`, a command run in the container that must exit 0 (a worker without a "
                            "port); otherwise a TCP connect to the port.");
    health->fields = {
        with_doc_default("command", string_or_list, "none",
                         "Command run in the container (exec check), e.g. `[/app/worker, healthcheck]`; needs no port. "
                         "Exclusive with `path`."),
        with_doc_default("path", t.string(Format::UrlPath, true), "none: a TCP check",
                         "HTTP path to probe, e.g. `/healthz`."),
        with_doc_default("port", t.integer(1, 65535), "the service's `port`", "Port to probe."),
        with_default("interval", t.duration(true), "10s", "Time between checks."),
        with_default("timeout", t.duration(true), "2s", "Time a check may take."),
        with_default("initial_delay", t.duration(false), "0s", "Time to wait after start before the first check."),
        with_default("failure_threshold", t.integer(1, 1000), 3,
                     "Consecutive failures before the replica is considered unhealthy."),
    };
    health->rules = {"Needs a port (the service's `port` or `health.port`) unless it has a `command`.",
                     "`command` and `path` exclude each other."};

    Type* ingress = t.object("Ingress", "services.<name>.ingress",
                             "Public HTTP(S) entry point: a Kubernetes Ingress, a load-balanced Copilot service, an "
                             "nginx site on servers.");
    ingress->fields = {
        with_doc_default("host", t.string(Format::Hostname, true), "none: every host",
                         "Host name, e.g. `shop.example.com` (`*.example.com` for a wildcard)."),
        with_default("path", t.string(Format::UrlPath, true), "/", "Path prefix routed to the service."),
        with_default("tls", t.simple(Kind::Boolean), false, "Serve HTTPS (needs `host`)."),
        with_doc_default("tls_secret", t.string(Format::Dns1123Subdomain, true), "`<service>-tls`",
                         "Kubernetes Secret holding the certificate."),
        with_doc_default("class", t.string(Format::NoSpaces, true), "`targets.kubernetes.ingress_class`, else the cluster default",
                         "Ingress class name."),
        field("annotations", t.map(Format::None, "annotation", t.string(Format::None, false, true)),
              "Extra Ingress annotations."),
    };
    ingress->rules = {"Only `web` and `backend` services can have an ingress, and the service needs a port.",
                      "`tls: true` needs a `host`."};

    Type* volume = t.object("Volume", "services.<name>.volumes[]",
                            "A volume mounted into the service. With `size` it is persistent (the service becomes a "
                            "StatefulSet on Kubernetes); without, it is an ephemeral scratch directory.");
    volume->fields = {
        required("name", t.string(Format::Dns1123Label, true), "Volume name (DNS-1123 label), unique in the service."),
        required("path", t.string(Format::AbsolutePath, true), "Absolute mount path, unique in the service."),
        with_doc_default("size", t.simple(Kind::Memory), "none: ephemeral", "Size of the persistent volume, e.g. `10Gi`."),
        with_doc_default("storage_class", t.string(Format::NoSpaces, true), "the cluster default",
                         "Storage class of the persistent volume (needs `size`)."),
        with_default("read_only", t.simple(Kind::Boolean), false, "Mount read-only."),
    };

    Type* service = t.object("Service", "services.<name>",
                             "One deployable unit. The key is the service's name (a DNS-1123 label).");
    service->fields = {
        with_default("type", t.enumeration({"web", "backend", "worker", "job"}), "backend",
                     "`web` (public HTTP, gets a port and an ingress), `backend` (internal), `worker` (no incoming "
                     "traffic, e.g. a queue consumer) or `job` (runs on a `schedule`)."),
        field("build", build, "Build the image from source. Exactly one of `build` and `image`."),
        field("image", t.string(Format::NoSpaces, true),
              "Prebuilt image reference, e.g. `registry.example.com/shop/web:1.4.2`. Exactly one of `build` and "
              "`image`."),
        with_doc_default("port", t.integer(1, 65535), "8080 for web services, none otherwise",
                         "Port the service listens on."),
        with_doc_default("command", string_or_list, "the image's entrypoint",
                         "Command to run: a list, or a string split into words like a shell would (no shell runs)."),
        with_doc_default("args", string_or_list, "the image's arguments", "Arguments to the command."),
        field("env", t.map(Format::EnvVarName, "variable", t.string(Format::None, false, true)),
              "Environment variables (plain configuration, never secrets)."),
        field("secrets", t.map(Format::EnvVarName, "variable", t.string(Format::NoSpaces, true)),
              "Secret environment variables: `NAME: reference` into the secret store (`coconut secrets`). Values "
              "never appear in the spec or the generated files."),
        field("resources", resources, "CPU and memory."),
        with_doc_default("replicas", t.one_of({t.integer(0, k_int32_max), replicas}), "2 for web, backend and worker services; 1 for jobs",
                         "A fixed count (`3`) or autoscaling bounds (`{min: 2, max: 10, cpu_percent: 70}`)."),
        with_doc_default("health", health, "a TCP check on the port for web services; none otherwise",
                         "Health check."),
        field("ingress", ingress, "Expose the service publicly."),
        field("volumes", t.list(volume), "Volumes mounted into the service."),
        field("schedule", t.simple(Kind::Cron),
              "Cron schedule of a job (`0 3 * * *`, `*/15 * * * *`, `@daily`), in UTC. Required for jobs, "
              "not allowed otherwise."),
        field("depends_on", t.list(t.string(Format::None, true)),
              "Services this one calls: deploy order, network policies allow the traffic."),
        with_default("run_as_user", t.integer(1, k_int32_max), 10001, "Numeric non-root user ID the service runs as."),
    };
    service->rules = {
        "Exactly one of `build` and `image`.",
        "`schedule` is required for jobs and only allowed for jobs.",
        "`depends_on` names other services of the spec, without cycles.",
        "A variable is set in either `env` or `secrets`, not both.",
        "Volume names and mount paths are unique.",
    };

    // ---- targets ----
    Type* kubernetes = t.object("KubernetesTarget", "targets.kubernetes",
                                "Deploy to Kubernetes: manifests with kustomize overlays and a Helm chart.");
    kubernetes->fields = {
        with_doc_default("namespace", t.string(Format::Dns1123Label, true), "the app's `name`", "Namespace."),
        with_default("chart", t.simple(Kind::Boolean), true, "Generate a Helm chart and deploy with Helm."),
        with_doc_default("context", t.string(Format::None, true), "the current kubectl context",
                         "kubeconfig context used by `coconut deploy`."),
        with_doc_default("ingress_class", t.string(Format::NoSpaces, true), "the cluster default",
                         "Default ingress class of the services' ingresses."),
        with_default("secret_store", t.string(Format::Dns1123Subdomain, true), "coconut",
                     "external-secrets.io SecretStore that resolves secret references."),
        with_default("ingress_namespace", t.string(Format::Dns1123Label, true), "ingress-nginx",
                     "Namespace of the ingress controller (allowed in by the network policies)."),
    };
    Type* ecs = t.object("EcsTarget", "targets.ecs",
                         "Deploy to AWS ECS on Fargate: per environment and service, a task definition "
                         "(`aws ecs register-task-definition --cli-input-json`), a service (`create-service`), "
                         "Application Auto Scaling inputs and, for jobs, an EventBridge Scheduler schedule "
                         "(docs/generators/ecs.md). Every field is optional: what AWS needs and the spec lacks "
                         "(account ID, subnets, security groups, target groups) is written as a `${NAME}` placeholder "
                         "for `envsubst`. Every field can be overridden per environment.");
    ecs->fields = {
        with_doc_default("app", t.string(Format::Dns1123Label, true), "the app's `name`",
                         "Application name: prefix of ECS families, services, log groups and SSM parameters."),
        with_doc_default("cluster", t.string(Format::NoSpaces, true), "`<app>-<environment>` (`<app>` without environments)",
                         "ECS cluster name (or ARN). The `copilot` target uses Copilot's own cluster."),
        with_doc_default("region", t.string(Format::NoSpaces, true), "`us-east-1`",
                         "AWS region, e.g. `eu-west-1` (in ARNs and the awslogs configuration)."),
        with_default("copilot", t.simple(Kind::Boolean), false,
                     "Also generate AWS Copilot manifests (the `copilot` target) and apply Copilot's validation "
                     "rules. AWS Copilot reached end of support in 2026: the `ecs` target (task definitions for "
                     "the AWS CLI) is the first-class route."),
        with_doc_default("account_id", t.string(Format::None, true, true), "the placeholder `${AWS_ACCOUNT_ID}`",
                         "AWS account ID (12 digits), for the ARNs of roles and SSM parameters."),
        with_doc_default("subnets", t.list(t.string(Format::NoSpaces, true)), "the placeholder `${ECS_SUBNET_ID}`",
                         "Subnet IDs (`subnet-...`) of the tasks (awsvpc network mode)."),
        with_doc_default("security_groups", t.list(t.string(Format::NoSpaces, true)),
                         "the placeholder `${ECS_SECURITY_GROUP_ID}`", "Security group IDs (`sg-...`) of the tasks."),
        with_default("assign_public_ip", t.simple(Kind::Boolean), false,
                     "Give tasks a public IP (only for public subnets without a NAT gateway)."),
        with_default("execution_role", t.string(Format::NoSpaces, true), "ecsTaskExecutionRole",
                     "IAM role (name or ARN) ECS uses to pull the image, read the secrets and write logs."),
        with_doc_default("task_role", t.string(Format::NoSpaces, true), "none: the containers get no AWS credentials",
                         "IAM role (name or ARN) the containers run with."),
        with_default("scheduler_role", t.string(Format::NoSpaces, true), "ecsEventsRole",
                     "IAM role (name or ARN) EventBridge Scheduler runs jobs with (trusts `scheduler.amazonaws.com`, "
                     "allows `ecs:RunTask` and `iam:PassRole`)."),
        with_doc_default("log_group", t.string(Format::NoSpaces, true), "`/ecs/<app>/<environment>` (`/ecs/<app>` without environments)",
                         "CloudWatch Logs group of the containers (awslogs driver; it must exist)."),
        with_doc_default("ssm_prefix", t.string(Format::NoSpaces, true), "`/<app>/<environment>/` (`/<app>/` without environments)",
                         "Prefix of the SSM Parameter Store names of secret references: the secret `db/url` is the "
                         "parameter `<ssm_prefix>db/url`."),
        with_doc_default("target_groups", t.map(Format::Dns1123Label, "service", t.string(Format::NoSpaces, true)),
                         "the placeholder `${ECS_TARGET_GROUP_<SERVICE>}`",
                         "Load balancer target group ARN of each web service."),
        with_doc_default("efs", t.map(Format::None, "volume", t.string(Format::NoSpaces, true)),
                         "none: persistent volumes live on the task's storage",
                         "EFS file system ID (`fs-...`) per persistent volume name. A volume with a `size` and no "
                         "entry here is task storage that is lost when the task stops."),
        with_default("platform_version", t.string(Format::NoSpaces, true), "LATEST", "Fargate platform version."),
        with_default("architecture", t.enumeration({"x86_64", "arm64"}), "x86_64",
                     "CPU architecture of the tasks (the images must be built for it)."),
        with_default("service_connect", t.simple(Kind::Boolean), true,
                     "ECS Service Connect: services with a port are reachable by their name and port, as on "
                     "Kubernetes (`http://api:8080`). Needs a Cloud Map namespace named `<app>-<environment>`."),
    };
    ecs->rules = {
        "Every service's `resources` map to a Fargate task size (CPU rounded up to 0.25, 0.5, 1, 2, 4, 8 or 16 "
        "vCPU, memory up to that CPU's range); an invalid pair is an error with the nearest valid pair.",
        "`account_id` is 12 digits; `subnets` are `subnet-<hex>`, `security_groups` `sg-<hex>`, `efs` values "
        "`fs-<hex>`; roles are names or `arn:aws:iam::` role ARNs; target groups are "
        "`arn:aws:elasticloadbalancing:` ARNs of web services.",
        "Job schedules must be expressible in EventBridge's cron (not both day-of-month and day-of-week).",
        "Secret references must be valid SSM parameter names (letters, digits, `_ . - /`).",
    };
    Type* server_host =
        t.object("ServerHost", "targets.servers.inventory.<group>[]",
                 "A host of the inventory written as a mapping (a plain string is a host whose name is also its "
                 "address). Settings of a host that is in several groups are given once; elsewhere name it by "
                 "string.");
    server_host->fields = {
        required("name", t.string(Format::NoSpaces, true), "Inventory host name (`inventory_hostname`)."),
        with_doc_default("address", t.string(Format::NoSpaces, true), "the `name`",
                         "Address Ansible connects to (`ansible_host`); also where nginx and the health checks "
                         "reach the host's services."),
        with_doc_default("port", t.integer(1, 65535), "SSH's (22)", "SSH port (`ansible_port`)."),
        with_doc_default("user", t.string(Format::NoSpaces, true), "`targets.servers.user`",
                         "SSH user (`ansible_user`)."),
        field("env", t.map(Format::EnvVarName, "variable", t.string(Format::None, false, true)),
              "Environment variables added for every service on this host (e.g. a listen address)."),
        field("vars", t.map(Format::EnvVarName, "variable", t.string(Format::None, false, true)),
              "Host variables written into the inventory, e.g. `coconut_root` (the base directory) or "
              "`ansible_connection: local`."),
    };
    Type* servers = t.object("ServersTarget", "targets.servers",
                             "Deploy to plain servers with Ansible: each service in two slots (blue, green) per host "
                             "under systemd or start-stop-daemon, behind nginx (group `lb`). See "
                             "docs/generators/ansible.md.");
    servers->fields = {
        required("inventory",
                 t.map(Format::Dns1123Label, "group",
                       t.list(t.one_of({t.string(Format::NoSpaces, true), server_host}), true), true),
                 "Host groups: `group: [host, ...]`. A group named like a service runs that service; services "
                 "without a group of their own run on group `app`; group `lb` runs nginx in front of the web "
                 "services. Ansible group names use `_` for `-`."),
        with_default("user", t.string(Format::NoSpaces, true), "deploy", "SSH user."),
        with_default("service_manager", t.enumeration({"systemd", "start-stop-daemon"}), "systemd",
                     "How services are supervised on the hosts: `systemd` units (real servers) or Debian's "
                     "`start-stop-daemon` with pidfiles (hosts without systemd: containers)."),
        with_default("root", t.string(Format::AbsolutePath, true), "/srv/coconut",
                     "Base directory on the hosts (`coconut_root`): `<root>/<app>/<service>/<slot>/`."),
        with_default("lb_port", t.integer(1, 65535), 80, "Port nginx listens on (group `lb`)."),
        with_default("serial", t.integer(1, k_int32_max), 1, "Hosts updated at a time (the plays' `serial`)."),
        with_default("max_fail_percentage", t.integer(0, 100), 0,
                     "Percentage of failed hosts in a batch that aborts the rollout (`max_fail_percentage`)."),
        field("ports", t.map(Format::Dns1123Label, "service", t.integer(1, 65534)),
              "Slot ports per service on the hosts: blue uses the port, green the port + 1. Default: the "
              "service's `port`. Needed when services that share a host have the same `port`."),
    };
    servers->rules = {
        "Every group is a service, `app` or `lb`; every service with hosts runs on its own group or on `app`.",
        "A host is listed once per group; its settings (mapping form) are given once.",
        "Services sharing a host need distinct slot ports (`port` and `port + 1`; see `ports`).",
        "Service names `app` and `lb` are reserved, and a service name must start with a letter (Ansible role "
        "names); a static binary cannot mount `volumes`; ingress paths use URL characters only.",
    };
    Type* targets = t.object("Targets", "targets", "Where the app is deployed. Each present block enables a target.");
    targets->fields = {
        field("kubernetes", kubernetes, "Kubernetes (kubectl/kustomize and Helm)."),
        field("ecs", ecs, "AWS ECS on Fargate (AWS CLI inputs; Copilot with `copilot: true`)."),
        field("servers", servers, "Servers (Ansible)."),
    };

    // ---- deploy ----
    Type* metric = t.object("AnalysisMetric", "deploy.canary.analysis[]",
                            "A Prometheus query checked between canary steps; the release rolls back when the "
                            "result is outside [`min`, `max`].");
    metric->fields = {
        required("name", t.string(Format::Dns1123Label, true), "Metric name (DNS-1123 label)."),
        required("query", t.string(Format::None, true), "PromQL query returning one number."),
        field("max", t.number(std::nullopt, std::nullopt, false), "Highest acceptable value."),
        field("min", t.number(std::nullopt, std::nullopt, false), "Lowest acceptable value."),
    };
    metric->rules = {"At least one of `min` and `max`; `min` must not be greater than `max`."};
    Type* canary = t.object("Canary", "deploy.canary", "Canary steps and analysis (strategy `canary`).");
    canary->fields = {
        with_default("steps", t.list(t.integer(1, 100), true), Json::array({10, 50, 100}),
                     "Percentages of traffic sent to the new version, increasing, ending at 100."),
        with_default("pause", t.duration(false), "60s", "Time between steps (analysis runs during it)."),
        field("analysis", t.list(metric), "Metrics that gate each step."),
    };
    canary->rules = {"`steps` increase strictly and end at 100."};
    Type* deploy = t.object("Deploy", "deploy", "How releases roll out.");
    deploy->fields = {
        with_default("strategy", t.enumeration({"rolling", "blue-green", "canary", "immutable"}), "rolling",
                     "`rolling`, `blue-green`, `canary` or `immutable`."),
        field("canary", canary, "Canary settings."),
        with_default("health_timeout", t.duration(true), "120s",
                     "How long a release may take to become healthy before it is rolled back."),
    };

    // ---- policies ----
    Type* exception = t.object("PolicyException", "policies.exceptions[]",
                               "Suppresses one rule, for one service or environment or everywhere, with a reason.");
    exception->fields = {
        required("rule", t.string(Format::NoSpaces, true), "Rule ID, e.g. `K8S-HOST-PORT`."),
        with_doc_default("service", t.string(Format::None, true), "every service", "Service the exception applies to."),
        with_doc_default("environment", t.string(Format::None, true), "every environment",
                         "Environment the exception applies to."),
        required("reason", t.string(Format::None, true), "Why the rule does not apply (kept in reports)."),
    };
    exception->rules = {"`service` and `environment` name ones defined in the spec."};
    Type* policies = t.object("Policies", "policies", "Security and best-practice gates (`coconut check`).");
    policies->fields = {
        with_default("profile", t.enumeration({"baseline", "restricted"}), "restricted",
                     "Pod Security Standards profile enforced on top of the best-practice rules."),
        field("custom", t.list(t.string(Format::None, true)),
              "Files or directories of custom policies (Kyverno ClusterPolicy YAML), relative to coconut.yaml."),
        field("exceptions", t.list(exception), "Rule exceptions."),
    };

    // ---- monitoring, cost ----
    Type* slo = t.object("Slo", "monitoring.slo", "Service level objectives; they generate burn-rate alerts.");
    slo->fields = {
        field("availability", t.number(0.0, 100.0, true), "Availability objective in percent, e.g. `99.9`."),
        field("latency_p99", t.duration(true), "99th percentile latency objective, e.g. `300ms`."),
    };
    Type* alerts = t.object("Alerts", "monitoring.alerts", "Alert routing.");
    alerts->fields = {
        field("route", t.string(Format::None, true), "Alertmanager receiver (team) the app's alerts go to."),
    };
    Type* monitoring = t.object("Monitoring", "monitoring", "Prometheus rules, Alertmanager routes, Grafana dashboards.");
    monitoring->fields = {
        field("slo", slo, "Service level objectives."),
        field("alerts", alerts, "Alert routing."),
    };
    Type* cost = t.object("Cost", "cost", "Cost estimates (`coconut cost`).");
    cost->fields = {
        with_default("pricing", t.string(Format::NoSpaces, true), "aws-us-east-1", "Pricing table."),
    };

    // ---- root ----
    Type* root = t.object("Spec", "", "The top level of coconut.yaml.");
    Type* api = t.make(Kind::Const);
    api->values = {k_api_version};
    const Type* services = t.map(Format::Dns1123Label, "service", service, true);
    root->fields = {
        required("apiVersion", api, "Version of the spec format: `coconut.dev/v1`."),
        required("name", t.string(Format::Dns1123Label, true),
                 "Name of the app (DNS-1123 label): prefix of generated resources, default namespace, Helm release."),
        with_default("version", t.string(Format::NoSpaces, true, true), "0.1.0",
                     "Version of the app; the image tag of built services."),
        with_doc_default("registry", t.string(Format::NoSpaces, true), "none",
                         "Registry and repository prefix of built images: `<registry>/<name>-<service>:<version>`."),
        required("services", services, "The services of the app, by name."),
        field("environments", nullptr, "Environments, by name; each overrides parts of the spec."),
        field("targets", targets, "Deployment targets."),
        field("deploy", deploy, "Rollout strategy."),
        field("policies", policies, "Policy gates."),
        field("monitoring", monitoring, "Monitoring."),
        field("cost", cost, "Cost estimation."),
    };
    root->rules = {"Every environment is validated after its overrides are applied."};

    Type* environment = t.object("Environment", "environments.<name>",
                                 "Overrides for one environment (e.g. `staging`, `production`). Maps merge into the "
                                 "base spec, scalars and lists replace, `null` removes a field. No field is required "
                                 "here: the merged result is validated as a whole. Services must exist in the base "
                                 "spec.");
    for (const auto& f : root->fields) {
        static const std::set<std::string> k_overridable{"version",  "registry", "services", "targets",
                                                         "deploy",   "policies", "monitoring", "cost"};
        if (!k_overridable.count(f.name)) continue;
        Field copy = f;
        copy.required = false;
        copy.default_value = nullptr;
        copy.default_doc.clear();
        environment->fields.push_back(copy);
    }
    for (auto& f : root->fields) {
        if (f.name == "environments") f.type = t.map(Format::Dns1123Label, "environment", environment);
    }
    t.root = root;
    t.environment = environment;
    return t;
}

const Table& table() {
    static const Table t = build_table();
    return t;
}

// ---- JSON Schema ----

const char* pattern_of(Format f) {
    switch (f) {
        case Format::Dns1123Label: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
        case Format::Dns1123Subdomain: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
        case Format::Hostname: return "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
        case Format::EnvVarName: return "^[A-Za-z_][A-Za-z0-9_]*$";
        case Format::AbsolutePath:
        case Format::UrlPath: return "^/";
        case Format::NoSpaces: return "^\\S+$";
        case Format::None: return nullptr;
    }
    return nullptr;
}

Json schema_of(const Type& t, bool partial) {
    if (&t == table().environment) partial = true;  // overrides: nothing is required below
    Json j = Json::object();
    switch (t.kind) {
        case Kind::String:
            if (t.any_scalar) j["type"] = Json::array({"string", "number", "boolean"});
            else j["type"] = "string";
            if (t.non_empty) j["minLength"] = 1;
            if (const char* p = pattern_of(t.format)) j["pattern"] = p;
            if (t.format == Format::Dns1123Label) j["maxLength"] = 63;
            if (t.format == Format::Dns1123Subdomain || t.format == Format::Hostname) j["maxLength"] = 253;
            break;
        case Kind::Integer:
            j["type"] = "integer";
            if (t.min_int) j["minimum"] = *t.min_int;
            if (t.max_int) j["maximum"] = *t.max_int;
            break;
        case Kind::Number:
            j["type"] = "number";
            if (t.min_num) j[t.exclusive_min ? "exclusiveMinimum" : "minimum"] = *t.min_num;
            if (t.max_num) j[t.exclusive_max ? "exclusiveMaximum" : "maximum"] = *t.max_num;
            break;
        case Kind::Boolean: j["type"] = "boolean"; break;
        case Kind::Duration:
            j["type"] = "string";
            j["pattern"] = "^([0-9]+(ms|h|m|s))+$";
            break;
        case Kind::Cpu:
            j["type"] = Json::array({"string", "number"});
            j["pattern"] = "^([0-9]+m|[0-9]*\\.?[0-9]+)$";
            j["exclusiveMinimum"] = 0;
            break;
        case Kind::Memory:
            j["type"] = Json::array({"string", "integer"});
            j["pattern"] = "^[0-9]*\\.?[0-9]+([KMGTPE]i|[kMGTPE]|[eE][0-9]{1,2})?$";
            j["exclusiveMinimum"] = 0;
            break;
        case Kind::Enum:
            j["type"] = "string";
            j["enum"] = t.values;
            break;
        case Kind::Const:
            j["type"] = "string";
            j["const"] = t.values.empty() ? std::string() : t.values.front();
            break;
        case Kind::Cron:
            j["type"] = "string";
            j["pattern"] = "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+([ \\t]+\\S+){4})$";
            break;
        case Kind::List:
            j["type"] = "array";
            if (t.item) j["items"] = schema_of(*t.item, partial);
            if (t.non_empty && !partial) j["minItems"] = 1;
            break;
        case Kind::Map:
            j["type"] = "object";
            if (const char* p = pattern_of(t.key_format)) j["propertyNames"] = Json{{"pattern", p}};
            if (t.item) j["additionalProperties"] = schema_of(*t.item, partial);
            if (t.non_empty && !partial) j["minProperties"] = 1;
            break;
        case Kind::Object: {
            j["type"] = "object";
            if (!t.title.empty()) j["title"] = t.title;
            if (!t.description.empty()) j["description"] = t.description;
            Json props = Json::object();
            Json req = Json::array();
            for (const auto& f : t.fields) {
                if (!f.type) continue;
                Json p = schema_of(*f.type, partial);
                std::string desc = f.description;
                if (!f.default_doc.empty() && f.default_value.is_null()) desc += " Default: " + f.default_doc + ".";
                if (f.type->kind == Kind::Object) {
                    // keep the field's own description first; the object's paragraph follows
                    if (p.contains("description")) desc += "\n\n" + p["description"].get<std::string>();
                }
                Json ordered = Json::object();
                ordered["description"] = desc;
                for (auto it = p.begin(); it != p.end(); ++it)
                    if (it.key() != "description") ordered[it.key()] = it.value();
                if (!f.default_value.is_null()) ordered["default"] = f.default_value;
                props[f.name] = std::move(ordered);
                if (f.required && !partial) req.push_back(f.name);
            }
            j["properties"] = std::move(props);
            if (!req.empty()) j["required"] = std::move(req);
            j["additionalProperties"] = false;
            break;
        }
        case Kind::OneOf: {
            Json alts = Json::array();
            for (const auto* a : t.alternatives) alts.push_back(schema_of(*a, partial));
            j["oneOf"] = std::move(alts);
            break;
        }
    }
    return j;
}

// ---- docs ----

std::string format_name(Format f) {
    switch (f) {
        case Format::Dns1123Label: return "DNS-1123 label";
        case Format::Dns1123Subdomain: return "DNS-1123 subdomain";
        case Format::Hostname: return "host name";
        case Format::EnvVarName: return "variable name";
        case Format::AbsolutePath: return "absolute path";
        case Format::UrlPath: return "URL path";
        case Format::NoSpaces:
        case Format::None: return "";
    }
    return "";
}

std::string anchor_of(const Type& t) {
    std::string out;
    for (char c : t.title) out += static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    return out;
}

std::string escape_cell(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += "<br>";
        else out += c;
    }
    return out;
}

std::string default_cell(const Field& f) {
    if (f.required) return "**required**";
    if (!f.default_value.is_null()) {
        const Json& v = f.default_value;
        if (v.is_string()) return "`" + v.get<std::string>() + "`";
        if (v.is_array()) {
            std::string out = "`[";
            for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i].dump();
            return out + "]`";
        }
        return "`" + v.dump() + "`";
    }
    if (!f.default_doc.empty()) return f.default_doc;
    return "";
}

void collect_objects(const Type* t, std::vector<const Type*>& out, std::set<const Type*>& seen) {
    if (!t || seen.count(t)) return;
    seen.insert(t);
    if (t->kind == Kind::Object) out.push_back(t);
    if (t->item) collect_objects(t->item, out, seen);
    for (const auto* a : t->alternatives) collect_objects(a, out, seen);
    for (const auto& f : t->fields) collect_objects(f.type, out, seen);
}

}  // namespace

const Type& root() { return *table().root; }
const Type& environment() { return *table().environment; }

std::string describe_expected(const Type& t) {
    switch (t.kind) {
        case Kind::String: return "a string";
        case Kind::Integer: return "an integer";
        case Kind::Number: return "a number";
        case Kind::Boolean: return "a boolean";
        case Kind::Duration: return "a duration";
        case Kind::Cpu: return "a CPU quantity";
        case Kind::Memory: return "a memory quantity";
        case Kind::Enum: return "a string";
        case Kind::Const: return "a string";
        case Kind::Cron: return "a cron schedule";
        case Kind::List: return "a list";
        case Kind::Map:
        case Kind::Object: return "a mapping";
        case Kind::OneOf: {
            std::string out;
            for (std::size_t i = 0; i < t.alternatives.size(); ++i) {
                if (i) out += i + 1 == t.alternatives.size() ? " or " : ", ";
                out += describe_expected(*t.alternatives[i]);
            }
            return out;
        }
    }
    return "a value";
}

std::string doc_type(const Type& t) {
    switch (t.kind) {
        case Kind::String: {
            auto f = format_name(t.format);
            return f.empty() ? "string" : "string (" + f + ")";
        }
        case Kind::Integer: {
            if (t.min_int && t.max_int && *t.max_int < 2147483647)
                return "integer (" + std::to_string(*t.min_int) + ".." + std::to_string(*t.max_int) + ")";
            if (t.min_int) return "integer (≥ " + std::to_string(*t.min_int) + ")";
            return "integer";
        }
        case Kind::Number: {
            auto num = [](double d) {
                std::ostringstream o;
                o << d;
                return o.str();
            };
            if (t.min_num && t.max_num)
                return "number (" + num(*t.min_num) + (t.exclusive_min ? " < x " : " ≤ x ") +
                       (t.exclusive_max ? "< " : "≤ ") + num(*t.max_num) + ")";
            return "number";
        }
        case Kind::Boolean: return "boolean";
        case Kind::Duration: return "duration";
        case Kind::Cpu: return "CPU quantity";
        case Kind::Memory: return "memory quantity";
        case Kind::Cron: return "cron schedule";
        case Kind::Enum: {
            std::string out;
            for (std::size_t i = 0; i < t.values.size(); ++i) out += (i ? " | `" : "`") + t.values[i] + "`";
            return out;
        }
        case Kind::Const: return t.values.empty() ? "string" : "`" + t.values.front() + "`";
        case Kind::List: return "list of " + (t.item ? doc_type(*t.item) : std::string("values"));
        case Kind::Map:
            return "map of " + (t.key_name.empty() ? std::string("name") : t.key_name + " name") + " to " +
                   (t.item ? doc_type(*t.item) : std::string("values"));
        case Kind::Object: return "[" + t.title + "](#" + anchor_of(t) + ")";
        case Kind::OneOf: {
            std::string out;
            for (std::size_t i = 0; i < t.alternatives.size(); ++i)
                out += (i ? " or " : "") + doc_type(*t.alternatives[i]);
            return out;
        }
    }
    return "value";
}

}  // namespace coconut::spec::schema

namespace coconut::spec {

nlohmann::ordered_json json_schema() {
    using Json = nlohmann::ordered_json;
    Json body = schema::schema_of(schema::root(), false);
    Json j = Json::object();
    j["$schema"] = "http://json-schema.org/draft-07/schema#";
    j["$id"] = "https://coconut.dev/schemas/coconut.dev-v1.json";
    j["title"] = "coconut.yaml";
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() == "title") continue;
        if (it.key() == "additionalProperties") j["patternProperties"] = Json{{"^x-", Json::object()}};
        j[it.key()] = it.value();
    }
    return j;
}

std::string reference_markdown() {
    using namespace schema;
    std::vector<const Type*> objects;
    std::set<const Type*> seen;
    collect_objects(&root(), objects, seen);

    std::string out;
    out += "# coconut.yaml reference\n\n";
    out += "<!-- generated from src/coconut/spec/schema.cpp by `coconut docs spec`; do not edit -->\n\n";
    out += "`coconut.yaml` describes an app once; coconut generates every platform's files from it. Editors "
           "complete and check it with the JSON Schema printed by `coconut schema` (yaml-language-server: "
           "`# yaml-language-server: $schema=<file>`).\n\n";
    out += "Every problem is reported with its position and field path, all at once:\n\n";
    out += "```\ncoconut.yaml:9:11: error: services.web.port: must be 1..65535 (got 80000)\n```\n\n";
    out += "## Value formats\n\n";
    out += "| Type | Examples | Notes |\n|---|---|---|\n";
    out += "| duration | `10s`, `1m30s`, `500ms`, `2h` | whole numbers with a unit `h`, `m`, `s` or `ms` |\n";
    out += "| CPU quantity | `250m`, `0.5`, `2` | millicores or cores (Kubernetes quantity) |\n";
    out += "| memory quantity | `256Mi`, `1Gi`, `129M`, `128974848` | bytes; suffixes `Ki Mi Gi Ti Pi Ei` (binary) or `k M "
           "G T P E` (decimal); `m` is rejected |\n";
    out += "| cron schedule | `0 3 * * *`, `*/15 * * * *`, `0 9 * * MON-FRI`, `@daily` | minute hour day-of-month month "
           "day-of-week; `*`, `*/n`, `a-b`, `a-b/n`, lists; month names `JAN`-`DEC`, day names `SUN`-`SAT`; "
           "`@hourly @daily @midnight @weekly @monthly @yearly @annually` |\n";
    out += "| DNS-1123 label | `web`, `api-gateway` | lowercase letters, digits and `-`, starting and ending with a letter "
           "or digit, at most 63 characters |\n";
    out += "| boolean | `true`, `false` | `yes`/`no`/`on`/`off` are accepted too |\n\n";
    out += "Strings are read as written: `version: 1.10` is the string `1.10`. A field set to `null` (or left "
           "empty) counts as not set; an empty target (`kubernetes:`) enables the target with its defaults. Top-level "
           "keys starting with `x-` are ignored: use them to hold YAML anchors (`x-defaults: &defaults ...`) that "
           "services merge in with `<<: *defaults`.\n\n";

    for (const Type* t : objects) {
        out += "<a id=\"" + anchor_of(*t) + "\"></a>\n\n";
        out += "## " + (t->doc_path.empty() ? std::string("Top level") : "`" + t->doc_path + "`") + " — " + t->title +
               "\n\n";
        if (!t->description.empty()) out += t->description + "\n\n";
        out += "| Field | Type | Default | Description |\n|---|---|---|---|\n";
        for (const auto& f : t->fields) {
            if (!f.type) continue;
            out += "| `" + f.name + "` | " + escape_cell(doc_type(*f.type)) + " | " + escape_cell(default_cell(f)) +
                   " | " + escape_cell(f.description) + " |\n";
        }
        if (!t->rules.empty()) {
            out += "\nRules:\n\n";
            for (const auto& r : t->rules) out += "- " + r + "\n";
        }
        out += "\n";
    }
    return out;
}

}  // namespace coconut::spec
