#include "coconut/generate/copilot/manifest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "coconut/generate/dockerfile/health_command.hpp"
#include "coconut/spec/eventbridge.hpp"
#include "coconut/spec/fargate.hpp"
#include "coconut/spec/targets/copilot.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::generate::copilot {

namespace {

using spec::ServiceType;

// Copilot's `deployment.rolling` values (internal/pkg/manifest/svc.go: ECSDefaultRollingUpdateStrategy,
// ECSRecreateRollingUpdateStrategy).
constexpr const char* k_rolling_default = "default";
constexpr const char* k_rolling_recreate = "recreate";

// Rollback alarms Copilot creates from thresholds (percent of the task's CPU / memory):
// a release that saturates its tasks during the rollout is rolled back.
constexpr int k_rollback_cpu_percent = 90;
constexpr int k_rollback_memory_percent = 90;

std::string seconds(std::int64_t s) { return std::to_string(s) + "s"; }

std::vector<std::string> fields_of(std::string_view cron) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : cron) {
        if (c == ' ' || c == '\t') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

// The check command a container health check runs, or empty when there is none: the image's own
// (the Dockerfile's HEALTHCHECK; see dockerfile::image_health_check).
std::vector<std::string> container_check(const spec::Service& svc) {
    if (!svc.health) return {};
    return dockerfile::image_health_check(svc).argv;
}

// Copilot interpolates `${NAME}` in every string of the manifest: user text is escaped.
Json escaped(const std::vector<std::string>& words) {
    Json out = Json::array();
    for (const auto& w : words) out.push_back(escape_interpolation(w));
    return out;
}

// `image.healthcheck`: an ECS container health check (ECS does not run the image's HEALTHCHECK).
Json container_healthcheck(const spec::Service& svc, const std::vector<std::string>& argv) {
    const spec::Health& h = *svc.health;
    Json cmd = Json::array({"CMD"});
    for (const auto& a : argv) cmd.push_back(escape_interpolation(a));
    Json hc = Json::object();
    hc["command"] = std::move(cmd);
    hc["interval"] = seconds(h.interval.seconds);
    hc["retries"] = h.failure_threshold;
    hc["timeout"] = seconds(h.timeout.seconds);
    if (h.initial_delay.seconds > 0) hc["start_period"] = seconds(h.initial_delay.seconds);
    return hc;
}

// `http:` of a Load Balanced Web Service: the ALB listener rule and its target group check.
Json http_of(const spec::Service& svc) {
    Json http = Json::object();
    http["path"] = svc.ingress ? svc.ingress->path : std::string("/");
    Json hc = Json::object();
    const spec::Health defaults;
    const spec::Health& h = svc.health ? *svc.health : defaults;
    // An ALB target group checks over HTTP: a TCP (or exec) check becomes Copilot's default GET /.
    hc["path"] = h.path.empty() ? std::string("/") : h.path;
    if (h.port != 0 && h.port != svc.port) hc["port"] = h.port;
    hc["healthy_threshold"] = 2;
    hc["unhealthy_threshold"] = h.failure_threshold;
    hc["interval"] = seconds(h.interval.seconds);
    hc["timeout"] = seconds(h.timeout.seconds);
    if (h.initial_delay.seconds > 0) hc["grace_period"] = seconds(h.initial_delay.seconds);
    http["healthcheck"] = std::move(hc);
    if (svc.ingress && !svc.ingress->host.empty()) http["alias"] = svc.ingress->host;
    return http;
}

Json count_of(const spec::Service& svc) {
    const spec::Replicas& r = svc.replicas;
    if (r.max == 0 || r.min == r.max) return r.max == 0 ? 0 : r.min;
    Json c = Json::object();
    c["range"] = std::to_string(r.min) + "-" + std::to_string(r.max);
    c["cpu_percentage"] = r.cpu_percent;
    if (r.memory_percent) c["memory_percentage"] = *r.memory_percent;
    return c;
}

Json storage_of(const spec::Spec& spec, const spec::Service& svc) {
    Json st = Json::object();
    // Waived only by a `policies.exceptions` entry for COP-READONLY-FS (as the kubernetes target
    // honours K8S-READ-ONLY-ROOT-FS): the documented exception instead of a crashing task.
    st["readonly_fs"] = !spec.has_exception("COP-READONLY-FS", svc.name);
    if (svc.volumes.empty()) return st;
    Json vols = Json::object();
    for (const auto& v : svc.volumes) {
        Json m = Json::object();
        m["path"] = v.path;
        m["read_only"] = v.read_only;   // Copilot's default is true for EFS volumes: always explicit
        if (!v.size.empty()) {
            // A persistent volume: a Copilot-managed EFS file system (elastic: `size` is not a
            // limit), with an access point owned by the service's user.
            Json efs = Json::object();
            efs["uid"] = svc.run_as_user;
            efs["gid"] = svc.run_as_user;
            m["efs"] = std::move(efs);
        }
        vols[v.name] = std::move(m);
    }
    st["volumes"] = std::move(vols);
    return st;
}

}  // namespace

std::string_view manifest_type(ServiceType t) {
    switch (t) {
        case ServiceType::Web: return "Load Balanced Web Service";
        case ServiceType::Backend: return "Backend Service";
        case ServiceType::Worker: return "Worker Service";
        case ServiceType::Job: return "Scheduled Job";
    }
    return "Backend Service";
}

std::optional<std::string> schedule(std::string_view cron) {
    if (!cron.empty() && cron.front() == '@') return std::string(cron);
    auto f = fields_of(cron);
    if (f.size() != 5) return std::nullopt;
    const std::string joined = util::join(f, " ");
    // Copilot's predefined schedules (scheduled_job.go toFixedSchedule) where they mean the same.
    if (joined == "0 * * * *") return std::string("@hourly");
    if (joined == "0 0 * * *") return std::string("@daily");
    if (joined == "0 0 * * 0") return std::string("@weekly");
    if (joined == "0 0 1 * *") return std::string("@monthly");
    if (joined == "0 0 1 1 *") return std::string("@yearly");
    // Anything else as an EventBridge cron expression, which Copilot passes through as it is:
    // Copilot's own translation of 5-field crons drops steps in day-of-month (`*/2` counts as
    // unrestricted and becomes `*`), so coconut translates itself, as the ecs target does.
    auto expr = spec::eventbridge::cron_expression(cron);
    if (!expr.problem.empty()) return std::nullopt;
    return expr.expression;
}

std::string escape_interpolation(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '$' && i + 1 < value.size() && value[i + 1] == '{') out += '\\';
        out += value[i];
    }
    return out;
}

Json service_manifest(const spec::Spec& spec, const spec::Service& svc) {
    const bool job = svc.type == ServiceType::Job;
    Json m = Json::object();
    m["name"] = svc.name;
    m["type"] = manifest_type(svc.type);
    if (job) {
        Json on = Json::object();
        on["schedule"] = schedule(svc.schedule).value_or(svc.schedule);
        m["on"] = std::move(on);
    }
    if (svc.type == ServiceType::Web) m["http"] = http_of(svc);

    Json image = Json::object();
    image["location"] = spec.image_of(svc);
    if (svc.port != 0 && (svc.type == ServiceType::Web || svc.type == ServiceType::Backend)) image["port"] = svc.port;
    // Load-balanced services are checked by their target group; the others by ECS in the
    // container (an explicit exec check of a web service is kept as well).
    const bool wants_container_check =
        svc.type == ServiceType::Backend || svc.type == ServiceType::Worker ||
        (svc.type == ServiceType::Web && svc.health && !svc.health->command.empty());
    if (wants_container_check && !job) {
        if (auto argv = container_check(svc); !argv.empty()) image["healthcheck"] = container_healthcheck(svc, argv);
    }
    m["image"] = std::move(image);
    if (!svc.command.empty()) m["entrypoint"] = escaped(svc.command);
    if (!svc.args.empty()) m["command"] = escaped(svc.args);

    const auto size = spec::fargate::map(svc.resources).size;
    m["cpu"] = size.cpu;
    m["memory"] = size.memory;
    if (!job) m["count"] = count_of(svc);
    m["exec"] = false;

    Json network = Json::object();
    if (!job) network["connect"] = true;   // Service Connect: reach and be reached by service name
    // Only the load balancer faces the internet: every task runs in private subnets.
    network["vpc"] = Json{{"placement", "private"}};
    m["network"] = std::move(network);
    m["storage"] = storage_of(spec, svc);

    if (!svc.env.empty()) {
        Json vars = Json::object();
        for (const auto& [k, v] : svc.env) vars[k] = escape_interpolation(v);
        m["variables"] = std::move(vars);
    }
    if (!svc.secrets.empty()) {
        // SSM parameters as `copilot secret init --name NAME` creates them; Copilot substitutes
        // ${COPILOT_ENVIRONMENT_NAME} per environment (interpolate.go, predefined variables).
        Json secrets = Json::object();
        const std::string app = spec.targets.ecs && !spec.targets.ecs->app.empty() ? spec.targets.ecs->app : spec.name;
        for (const auto& [k, ref] : svc.secrets) {
            (void)ref;
            secrets[k] = "/copilot/" + app + "/${COPILOT_ENVIRONMENT_NAME}/secrets/" + k;
        }
        m["secrets"] = std::move(secrets);
    }
    if (!job) {
        Json deployment = Json::object();
        // Every coconut strategy maps to ECS's rolling update with 100% minimum healthy tasks:
        // new tasks start and pass their checks before old ones stop; Copilot has no blue-green
        // or canary traffic shifting (docs/generators/copilot.md). The exception is a single
        // task with a persistent volume (a one-replica StatefulSet in the kubernetes target):
        // `recreate` stops the old task before the new one mounts the file system, so there is
        // never a second writer, at the price of downtime during the deployment.
        const bool single_writer = svc.is_persistent() && svc.replicas.min == 1 && svc.replicas.max == 1;
        deployment["rolling"] = single_writer ? k_rolling_recreate : k_rolling_default;
        Json alarms = Json::object();
        alarms["cpu_utilization"] = k_rollback_cpu_percent;
        alarms["memory_utilization"] = k_rollback_memory_percent;
        deployment["rollback_alarms"] = std::move(alarms);
        m["deployment"] = std::move(deployment);
    }
    return m;
}

Json environment_manifest(const spec::Spec& env) {
    Json m = Json::object();
    m["name"] = env.environment;
    m["type"] = "Environment";
    Json vpc = Json::object();
    vpc["flow_logs"] = true;   // VPC flow logs to CloudWatch Logs
    m["network"] = Json{{"vpc", std::move(vpc)}};
    m["observability"] = Json{{"container_insights", true}};
    return m;
}

namespace {

void diff(const Json& base, const Json& env, const std::string& path, Overrides& out, Json& into) {
    for (const auto& [key, value] : env.items()) {
        const auto it = base.find(key);
        if (it == base.end()) {
            into[key] = value;
            continue;
        }
        if (it->is_object() && value.is_object()) {
            Json sub = Json::object();
            diff(*it, value, path.empty() ? key : path + "." + key, out, sub);
            if (!sub.empty()) into[key] = std::move(sub);
            continue;
        }
        if (*it != value) into[key] = value;
    }
    for (const auto& [key, value] : base.items()) {
        (void)value;
        if (!env.contains(key)) out.removed.push_back(path.empty() ? key : path + "." + key);
    }
}

}  // namespace

Overrides overrides(const Json& base, const Json& env) {
    Overrides out;
    if (base.is_object() && env.is_object()) diff(base, env, "", out, out.changes);
    return out;
}

}  // namespace coconut::generate::copilot
