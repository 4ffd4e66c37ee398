// The copilot target's spec rules: what AWS Copilot (or the AWS API it deploys through) rejects
// in the manifests coconut would write, reported at the spec field that causes it, when the
// tree enables the target (`targets.ecs.copilot: true`). Each rule names its source: a function
// of github.com/aws/copilot-cli (read for the facts; the code is ours) or an AWS API limit that
// CloudFormation enforces when `copilot svc deploy` creates the resource.
//
// Fargate task sizes are the ecs target's check (spec/targets/ecs.cpp), not repeated here.
#include "coconut/spec/targets/copilot.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/quantity.hpp"
#include "coconut/spec/validate.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::spec::copilot {

std::optional<std::string> name_problem(std::string_view name) {
    if (name.size() > 255) return std::string("at most 255 characters");
    if (name.size() < 2) return std::string("at least 2 characters");
    if (!(name[0] >= 'a' && name[0] <= 'z')) return std::string("must start with a lower-case letter");
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return std::string("only lower-case letters, digits and hyphens");
    if (name.find("--") != std::string_view::npos) return std::string("no consecutive hyphens");
    if (name.back() == '-') return std::string("no trailing hyphen");
    return std::nullopt;
}

bool reads_as_list(std::string_view value) {
    const auto parsed = nlohmann::json::parse(value, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array() || parsed.empty()) return false;
    return std::all_of(parsed.begin(), parsed.end(), [](const nlohmann::json& j) { return j.is_string(); });
}

}  // namespace coconut::spec::copilot

namespace coconut::spec::detail {

namespace {

using yaml::Node;

std::optional<std::int64_t> int_value(const Node* n) {
    if (!n || !n->is_scalar()) return std::nullopt;
    return yaml::as_int(*n, yaml::Dialect::Core12);
}

std::optional<bool> bool_value(const Node* n) {
    if (!n || !n->is_scalar()) return std::nullopt;
    if (auto b = yaml::as_bool(*n, yaml::Dialect::Core12)) return b;
    return yaml::as_bool(*n, yaml::Dialect::Yaml11);
}

std::string text_value(const Node* n, std::string def = {}) {
    if (!n || !n->is_scalar()) return def;
    return n->text;
}

// Seconds of a duration node (rounded up, as the generators write them); nullopt when absent or
// invalid (the structural walk reports invalid ones).
std::optional<std::int64_t> seconds_of(const Node* n) {
    if (!n || !n->is_scalar()) return std::nullopt;
    auto ms = parse_duration_ms(n->text);
    if (!ms) return std::nullopt;
    return duration_seconds(*ms);
}

// IAM role names are at most 64 characters (IAM CreateRole); Copilot derives role names from
// the application and environment names.
constexpr std::size_t k_iam_role_name_max = 64;
constexpr std::string_view k_app_role_suffix = "-executionrole";
constexpr std::string_view k_env_role_suffix = "-CFNExecutionRole";

class CopilotCheck {
public:
    explicit CopilotCheck(std::vector<Issue>& out) : m_out(out) {}

    void run(const Node& root) {
        check_app_name(root);
        if (const Node* envs = value_of(&root, "environments"); envs && envs->is_mapping())
            for (const auto& pair : envs->pairs) {
                if (!pair.key || !pair.key->is_scalar()) continue;
                // internal/pkg/cli/validate.go validateEnvironmentName (basicNameValidation).
                if (auto why = copilot::name_problem(pair.key->text))
                    error(*pair.key, Path().key("environments").key(pair.key->text),
                          "Copilot rejects the environment name " + quote(pair.key->text) + " (" + *why +
                              "; Copilot names match ^[a-z][a-z0-9-]+$)");
                // The environment stack "<app>-<env>" names its IAM role
                // "<app>-<env>-CFNExecutionRole" (internal/pkg/template/templates/environment/
                // partials/cfn-execution-role.yml); IAM role names are at most 64 characters.
                else if (!m_app.empty() &&
                         m_app.size() + 1 + pair.key->text.size() + k_env_role_suffix.size() > k_iam_role_name_max)
                    error(*pair.key, Path().key("environments").key(pair.key->text),
                          "the environment name " + quote(pair.key->text) + " is too long for Copilot with application " +
                              quote(m_app) + ": its IAM role " + m_app + "-" + pair.key->text +
                              std::string(k_env_role_suffix) + " would exceed IAM's 64 characters (application and "
                              "environment names together at most " +
                              std::to_string(k_iam_role_name_max - 1 - k_env_role_suffix.size()) + " characters)");
            }
        if (const Node* services = value_of(&root, "services"); services && services->is_mapping())
            for (const auto& pair : services->pairs) {
                if (!pair.key || !pair.key->is_scalar() || !pair.value || !pair.value->is_mapping()) continue;
                check_service(pair.key->text, *pair.key, *pair.value, Path().key("services").key(pair.key->text));
            }
    }

private:
    void error(const Node& n, const Path& p, std::string msg) { m_out.push_back(Issue{&n, n.start, p, std::move(msg)}); }

    // internal/pkg/cli/validate.go validateAppNameString (basicNameValidation).
    void check_app_name(const Node& root) {
        const Node* app = value_of(value_of(value_of(&root, "targets"), "ecs"), "app");
        Path p = Path().key("targets").key("ecs").key("app");
        if (!app) {
            app = value_of(&root, "name");
            p = Path().key("name");
        }
        if (!app || !app->is_scalar()) return;
        if (auto why = copilot::name_problem(app->text))
            error(*app, p,
                  "Copilot rejects the application name " + quote(app->text) + " (" + *why +
                      "; Copilot names match ^[a-z][a-z0-9-]+$); set targets.ecs.app to a valid name");
        // IAM role names are at most 64 characters; Copilot names the application's StackSet
        // execution role "<app>-executionrole" (internal/pkg/deploy/cloudformation/stack/app.go
        // StackSetExecutionRoleName).
        else if (app->text.size() + k_app_role_suffix.size() > k_iam_role_name_max)
            error(*app, p,
                  "the application name " + quote(app->text) + " is too long for Copilot: its IAM role " +
                      app->text + std::string(k_app_role_suffix) + " would exceed IAM's 64 characters (at most " +
                      std::to_string(k_iam_role_name_max - k_app_role_suffix.size()) +
                      " characters); set a shorter targets.ecs.app");
        m_app = app->text;
    }

    void check_service(const std::string& name, const Node& key, const Node& s, const Path& p) {
        // internal/pkg/cli/validate.go validateSvcName / validateJobName: basicNameValidation and
        // validateNotReservedWorkloadName ("pipelines" and "environments" are Copilot's own
        // directories under copilot/).
        if (name == "pipelines" || name == "environments")
            error(key, p,
                  "Copilot reserves the workload name " + quote(name) +
                      " (its own directory copilot/" + name + "/): rename the service");
        else if (auto why = copilot::name_problem(name))
            error(key, p, "Copilot rejects the workload name " + quote(name) + " (" + *why +
                              "; Copilot names match ^[a-z][a-z0-9-]+$)");

        const std::string type = text_value(value_of(&s, "type"), "backend");
        const bool web = type == "web";
        const bool job = type == "job";

        // internal/pkg/manifest/validate.go AdvancedCount.validate: "cannot have autoscaling
        // options for workloads of type 'Scheduled Job'".
        if (const Node* r = value_of(&s, "replicas"); job && r && r->is_mapping()) {
            const auto max = int_value(value_of(r, "max"));
            const auto min = int_value(value_of(r, "min"));
            const std::int64_t lo = min.value_or(max ? std::min<std::int64_t>(1, *max) : 1);
            const std::int64_t hi = max.value_or(lo);
            if (lo != hi)
                error(*r, p.key("replicas"),
                      "a Copilot Scheduled Job cannot autoscale (Copilot: \"cannot have autoscaling options for "
                      "workloads of type 'Scheduled Job'\"); give the job a fixed replicas count");
        }

        // Schedules: the copilot target writes EventBridge `cron(...)` expressions (spec::eventbridge),
        // so what EventBridge cannot run is the ecs target check's error (the copilot target always
        // comes with targets.ecs), not repeated here.

        // A Backend Service has no internet-facing load balancer (internal/pkg/manifest/backend_svc.go:
        // `http` there routes an environment's internal ALB only).
        if (const Node* ingress = value_of(&s, "ingress"); ingress && type == "backend")
            error(*ingress, p.key("ingress"),
                  "a Copilot Backend Service cannot be reached from the internet (it has no public load balancer); "
                  "make the service type web (a Load Balanced Web Service) or remove the ingress");

        // An ALB listener rule's path pattern is at most 128 characters (Elastic Load Balancing
        // API, RuleCondition PathPatternConfig).
        if (const Node* ingress = value_of(&s, "ingress"); web && ingress && ingress->is_mapping())
            if (const Node* path = value_of(ingress, "path"); path && path->is_scalar() && path->text.size() > 128)
                error(*path, p.key("ingress").key("path"),
                      "an ALB path pattern (Copilot's http.path) is at most 128 characters (got " +
                          std::to_string(path->text.size()) + ")");

        // Copilot routes `http.alias` with a host-header condition of the ALB listener rule: a
        // host name there is at most 128 characters (Elastic Load Balancing API, HostHeaderConfig).
        if (const Node* ingress = value_of(&s, "ingress"); web && ingress && ingress->is_mapping())
            if (const Node* host = value_of(ingress, "host"); host && host->is_scalar() && host->text.size() > 128)
                error(*host, p.key("ingress").key("host"),
                      "an ALB host-header condition (Copilot's http.alias) is at most 128 characters (got " +
                          std::to_string(host->text.size()) + ")");

        check_volumes(s, p);
        check_env(s, p);
        check_health(s, p, type);
    }

    void check_volumes(const Node& s, const Path& p) {
        const Node* vols = value_of(&s, "volumes");
        if (!vols || !vols->is_sequence()) return;
        const Node* first_persistent = nullptr;
        for (std::size_t i = 0; i < vols->items.size(); ++i) {
            const Node* v = vols->items[i];
            if (!v || !v->is_mapping()) continue;
            // internal/pkg/manifest/validate.go validateVolumePath: "path can only contain the
            // characters a-zA-Z0-9.-_/".
            if (const Node* path = value_of(v, "path"); path && path->is_scalar()) {
                const bool ok = std::all_of(path->text.begin(), path->text.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
                           c == '/';
                });
                if (!ok)
                    error(*path, p.key("volumes").index(i).key("path"),
                          "Copilot rejects the volume path " + quote(path->text) +
                              " (Copilot: \"path can only contain the characters a-zA-Z0-9.-_/\")");
            }
            // internal/pkg/manifest/validate.go Storage.validate: "cannot specify more than one
            // managed volume per service" (a volume with a size becomes a Copilot-managed EFS volume).
            if (value_of(v, "size")) {
                if (first_persistent) {
                    std::string other = text_value(value_of(first_persistent, "name"), "the first");
                    error(*v, p.key("volumes").index(i),
                          "Copilot manages one EFS volume per service (Copilot: \"cannot specify more than one managed "
                          "volume per service\"); this volume and " +
                              quote(other) + " both have a size (are persistent)");
                } else {
                    first_persistent = v;
                }
            }
        }
    }

    void check_env(const Node& s, const Path& p) {
        const Node* env = value_of(&s, "env");
        if (!env || !env->is_mapping()) return;
        for (const auto& pair : env->pairs) {
            if (!pair.key || !pair.key->is_scalar() || !pair.value || !pair.value->is_scalar()) continue;
            if (copilot::reads_as_list(pair.value->text))
                error(*pair.value, p.key("env").key(pair.key->text),
                      "Copilot reads " + quote(pair.value->text) +
                          " as a list (its manifest interpolation decodes strings that are JSON arrays of strings) "
                          "and rejects a list as a variable value");
        }
    }

    // Whether the copilot target gives the service an ECS container health check
    // (generate/copilot/manifest.cpp container_check): an exec check, the build's own check, or
    // a runtime preset with an HTTP/TCP client on the service's port.
    static bool has_container_check(const Node& s, const Node& health, const std::string& type) {
        if (value_of(&health, "command")) return true;
        if (type != "backend" && type != "worker") return false;
        const Node* build = value_of(&s, "build");
        if (!build || !build->is_mapping()) return false;
        if (value_of(build, "healthcheck")) return true;
        const std::string runtime = text_value(value_of(build, "runtime"), "static");
        if (runtime != "node" && runtime != "python" && runtime != "java") return false;
        return value_of(&s, "port") || value_of(&health, "port");
    }

    void range(const Node* n, const Path& p, std::optional<std::int64_t> v, std::int64_t lo, std::int64_t hi,
               const std::string& what, const std::string& unit) {
        if (!n || !v || (*v >= lo && *v <= hi)) return;
        error(*n, p, what + " must be " + std::to_string(lo) + ".." + std::to_string(hi) + unit + " (got " +
                         std::to_string(*v) + unit + ")");
    }

    void check_health(const Node& s, const Path& p, const std::string& type) {
        const Node* health = value_of(&s, "health");
        if (!health || !health->is_mapping()) return;
        const Path hp = p.key("health");
        const Node* interval = value_of(health, "interval");
        const Node* timeout = value_of(health, "timeout");
        const Node* threshold = value_of(health, "failure_threshold");
        const Node* delay = value_of(health, "initial_delay");
        const std::int64_t interval_s = seconds_of(interval).value_or(10);
        const std::int64_t timeout_s = seconds_of(timeout).value_or(2);

        if (type == "web") {
            // The ALB target group of a Load Balanced Web Service (Elastic Load Balancing API,
            // CreateTargetGroup): interval 5-300 s, timeout 2-120 s and smaller than the
            // interval, unhealthy threshold 2-10, path at most 1024 characters.
            const std::string alb = "for the ALB health check of a Copilot Load Balanced Web Service, ";
            range(interval, hp.key("interval"), seconds_of(interval), 5, 300, alb + "the interval", "s");
            range(timeout, hp.key("timeout"), seconds_of(timeout), 2, 120, alb + "the timeout", "s");
            if (timeout_s >= interval_s && (timeout || interval)) {
                const Node* at = timeout ? timeout : interval;
                error(*at, hp.key(timeout ? "timeout" : "interval"),
                      alb + "the timeout (" + std::to_string(timeout_s) + "s) must be smaller than the interval (" +
                          std::to_string(interval_s) + "s)");
            }
            range(threshold, hp.key("failure_threshold"), int_value(threshold), 2, 10,
                  alb + "failure_threshold (the unhealthy threshold)", "");
            if (const Node* path = value_of(health, "path"); path && path->is_scalar() && path->text.size() > 1024)
                error(*path, hp.key("path"), alb + "the path is at most 1024 characters");
        }
        if (has_container_check(s, *health, type)) {
            // The container health check (ECS API, HealthCheck): interval 5-300 s, timeout 2-60 s,
            // retries 1-10, start period 0-300 s.
            const std::string ecs = "for the ECS container health check Copilot writes (image.healthcheck), ";
            if (type != "web") {
                range(interval, hp.key("interval"), seconds_of(interval), 5, 300, ecs + "the interval", "s");
                range(timeout, hp.key("timeout"), seconds_of(timeout), 2, 60, ecs + "the timeout", "s");
                range(threshold, hp.key("failure_threshold"), int_value(threshold), 1, 10,
                      ecs + "failure_threshold (retries)", "");
            } else if (const auto t = seconds_of(timeout); t && *t > 60 && *t <= 120) {
                // The ALB limits above hold the rest; ECS allows a shorter timeout than the ALB.
                range(timeout, hp.key("timeout"), t, 2, 60, ecs + "the timeout", "s");
            }
            range(delay, hp.key("initial_delay"), seconds_of(delay), 0, 300, ecs + "initial_delay (start_period)", "s");
        }
    }

    std::vector<Issue>& m_out;
    std::string m_app;   // the Copilot application name (targets.ecs.app or name)
};

void check_copilot(const Node& root, std::vector<Issue>& out) {
    const Node* ecs = value_of(value_of(&root, "targets"), "ecs");
    if (!ecs || !ecs->is_mapping() || bool_value(value_of(ecs, "copilot")) != true) return;
    CopilotCheck(out).run(root);
}

}  // namespace

COCONUT_REGISTER_TARGET_CHECK(copilot, check_copilot);

}  // namespace coconut::spec::detail
