#include "coconut/generate/ecs/inputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>

#include "coconut/generate/dockerfile/dockerfile_generator.hpp"
#include "coconut/spec/eventbridge.hpp"
#include "coconut/spec/fargate.hpp"
#include "coconut/spec/quantity.hpp"

namespace coconut::generate::ecs {

namespace {

using spec::Service;
using spec::ServiceType;

// The policy exception that waives a read-only root file system (the same one the Kubernetes
// generator honours): the service writes outside its volumes.
constexpr const char* k_rule_read_only_root_fs = "K8S-READ-ONLY-ROOT-FS";

std::string partition_of(const std::string& region) {
    if (region.starts_with("cn-")) return "aws-cn";
    if (region.starts_with("us-gov-")) return "aws-us-gov";
    return "aws";
}

// The cluster's name (the part after "cluster/" when the spec gives an ARN).
std::string cluster_name(const Context& c) {
    const auto at = c.cluster.find(":cluster/");
    return at == std::string::npos ? c.cluster : c.cluster.substr(at + 9);
}

std::string cluster_arn(const Context& c) {
    if (c.cluster.starts_with("arn:")) return c.cluster;
    return "arn:" + c.partition + ":ecs:" + c.region + ":" + c.account + ":cluster/" + c.cluster;
}

Json tags(const Context& c, const Service& s) {
    Json t = Json::array();
    t.push_back(Json{{"key", "coconut.dev/app"}, {"value", c.app}});
    if (!c.environment.empty()) t.push_back(Json{{"key", "coconut.dev/environment"}, {"value", c.environment}});
    t.push_back(Json{{"key", "coconut.dev/service"}, {"value", s.name}});
    return t;
}

Json subnets(const Context& c) {
    return c.target.subnets.empty() ? Json::array({k_subnet_placeholder}) : Json(c.target.subnets);
}
Json security_groups(const Context& c) {
    return c.target.security_groups.empty() ? Json::array({k_security_group_placeholder})
                                            : Json(c.target.security_groups);
}

std::int64_t clamp(std::int64_t v, std::int64_t lo, std::int64_t hi) { return std::min(std::max(v, lo), hi); }

// The container health check: the image's own HEALTHCHECK command (dockerfile generator), run
// by the ECS agent inside the container. Fargate has no HTTP or TCP probe of its own; web
// services are also checked by their load balancer target group.
std::optional<Json> health_check(const Service& s) {
    const auto check = dockerfile::image_health_check(s);
    if (check.argv.empty()) return std::nullopt;
    const spec::Health defaults;
    const spec::Health& h = s.health ? *s.health : defaults;
    Json command = Json::array({"CMD"});
    for (const auto& a : check.argv) command.push_back(a);
    Json j = Json::object();
    j["command"] = std::move(command);
    // ECS' ranges: interval 5-300 s, timeout 2-120 s, retries 1-10, startPeriod 0-300 s.
    j["interval"] = clamp(h.interval.seconds, 5, 300);
    j["timeout"] = clamp(h.timeout.seconds, 2, 120);
    j["retries"] = clamp(h.failure_threshold, 1, 10);
    if (h.initial_delay.seconds > 0) j["startPeriod"] = clamp(h.initial_delay.seconds, 0, 300);
    return j;
}

const std::string* efs_of(const Context& c, const std::string& volume) {
    for (const auto& [name, id] : c.target.efs)
        if (name == volume) return &id;
    return nullptr;
}

// GiB of the persistent volumes kept on the task's storage (no EFS file system), rounded up.
std::int64_t task_storage_gib(const Context& c, const Service& s) {
    double bytes = 0;
    for (const auto& v : s.volumes)
        if (!v.size.empty() && !efs_of(c, v.name)) bytes += spec::parse_memory_bytes(v.size).value_or(0.0);
    return static_cast<std::int64_t>(std::ceil(bytes / (1024.0 * 1024.0 * 1024.0) - 1e-9));
}

bool speaks_http(const Service& s) {
    return s.type == ServiceType::Web || (s.health && !s.health->path.empty());
}

Json container(const Context& c, const Service& s, bool read_only) {
    Json j = Json::object();
    j["name"] = s.name;
    j["image"] = c.spec.image_of(s);
    j["essential"] = true;
    // Kubernetes' command/args are Docker's entrypoint/cmd: ECS' entryPoint/command.
    if (!s.command.empty()) j["entryPoint"] = s.command;
    if (!s.args.empty()) j["command"] = s.args;
    if (s.port > 0) {
        Json pm = Json::object();
        pm["name"] = s.name;
        pm["containerPort"] = s.port;
        pm["protocol"] = "tcp";
        if (speaks_http(s)) pm["appProtocol"] = "http";
        j["portMappings"] = Json::array({std::move(pm)});
    }
    if (!s.env.empty()) {
        Json env = Json::array();
        for (const auto& [k, v] : s.env) env.push_back(Json{{"name", k}, {"value", v}});
        j["environment"] = std::move(env);
    }
    if (!s.secrets.empty()) {
        Json secrets = Json::array();
        for (const auto& [k, ref] : s.secrets) secrets.push_back(Json{{"name", k}, {"valueFrom", parameter_arn(c, ref)}});
        j["secrets"] = std::move(secrets);
    }
    Json mounts = Json::array();
    for (const auto& v : s.volumes) {
        Json m = Json{{"sourceVolume", v.name}, {"containerPath", v.path}};
        if (v.read_only) m["readOnly"] = true;
        mounts.push_back(std::move(m));
    }
    if (read_only)
        if (const auto tmp = s.tmp_volume_name(); !tmp.empty())
            mounts.push_back(Json{{"sourceVolume", tmp}, {"containerPath", "/tmp"}});
    if (!mounts.empty()) j["mountPoints"] = std::move(mounts);
    if (auto hc = health_check(s)) j["healthCheck"] = std::move(*hc);
    const std::string uid = std::to_string(s.run_as_user);
    j["user"] = uid + ":" + uid;
    j["readonlyRootFilesystem"] = read_only;
    j["linuxParameters"] = Json{{"capabilities", Json{{"drop", Json::array({"ALL"})}}}, {"initProcessEnabled", true}};
    Json options = Json::object();
    options["awslogs-group"] = c.log_group;
    options["awslogs-region"] = c.region;
    options["awslogs-stream-prefix"] = s.name;
    j["logConfiguration"] = Json{{"logDriver", "awslogs"}, {"options", std::move(options)}};
    return j;
}

std::string upper_snake(const std::string& s) {
    std::string out;
    for (char ch : s) out += ch == '-' ? '_' : static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
    return out;
}

// EventBridge Scheduler names hold at most 64 characters: a longer family keeps its first 55 and
// gets "-" + 8 hex digits of its FNV-1a hash, so names stay unique and deterministic.
std::string schedule_name(const std::string& family) {
    constexpr std::size_t k_max = 64;
    if (family.size() <= k_max) return family;
    std::uint32_t h = 2166136261u;
    for (unsigned char ch : family) h = (h ^ ch) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return family.substr(0, k_max - 9) + "-" + hex;
}

std::string resource_id(const Context& c, const Service& s) { return "service/" + cluster_name(c) + "/" + family(c, s); }

}  // namespace

Context make_context(const spec::Spec& spec) {
    const spec::EcsTarget& t = *spec.targets.ecs;
    Context c{spec, t};
    c.environment = spec.environment;
    c.app = t.app.empty() ? spec.name : t.app;
    c.prefix = c.environment.empty() ? c.app : c.app + "-" + c.environment;
    c.cluster = t.cluster.empty() ? c.prefix : t.cluster;
    c.region = t.region.empty() ? "us-east-1" : t.region;
    c.partition = partition_of(c.region);
    c.account = t.account_id.empty() ? k_account_placeholder : t.account_id;
    c.log_group = !t.log_group.empty() ? t.log_group : "/ecs/" + c.app + (c.environment.empty() ? "" : "/" + c.environment);
    c.ssm_prefix = !t.ssm_prefix.empty() ? t.ssm_prefix : "/" + c.app + "/" + (c.environment.empty() ? "" : c.environment + "/");
    return c;
}

std::string target_group_placeholder(const std::string& service) { return "${ECS_TARGET_GROUP_" + upper_snake(service) + "}"; }

std::string family(const Context& c, const Service& s) { return c.prefix + "-" + s.name; }

std::string role_arn(const Context& c, const std::string& name_or_arn) {
    if (name_or_arn.starts_with("arn:")) return name_or_arn;
    return "arn:" + c.partition + ":iam::" + c.account + ":role/" + name_or_arn;
}

std::string parameter_arn(const Context& c, const std::string& reference) {
    std::string name = c.ssm_prefix;
    if (name.empty() || name.back() != '/') name += '/';
    name += reference.starts_with("/") ? reference.substr(1) : reference;
    if (!name.starts_with("/")) name.insert(name.begin(), '/');
    // A hierarchical name "/a/b" is the ARN "...:parameter/a/b".
    return "arn:" + c.partition + ":ssm:" + c.region + ":" + c.account + ":parameter" + name;
}

Json task_definition(const Context& c, const Service& s) {
    const auto size = spec::fargate::map(s.resources).size;
    const bool read_only = !c.spec.has_exception(k_rule_read_only_root_fs, s.name);
    Json j = Json::object();
    j["family"] = family(c, s);
    if (!c.target.task_role.empty()) j["taskRoleArn"] = role_arn(c, c.target.task_role);
    j["executionRoleArn"] = role_arn(c, c.target.execution_role);
    j["networkMode"] = "awsvpc";
    j["requiresCompatibilities"] = Json::array({"FARGATE"});
    j["cpu"] = std::to_string(size.cpu);
    j["memory"] = std::to_string(size.memory);
    j["runtimePlatform"] = Json{
        {"cpuArchitecture", c.target.architecture == spec::CpuArchitecture::Arm64 ? "ARM64" : "X86_64"},
        {"operatingSystemFamily", "LINUX"}};
    // Fargate gives every task 20 GiB (image layers, writable layer, bind mounts); persistent
    // volumes without EFS are bind mounts on it, so their sizes are added (at most 200 GiB).
    if (const auto gib = task_storage_gib(c, s); gib > 0) j["ephemeralStorage"] = Json{{"sizeInGiB", clamp(20 + gib, 21, 200)}};
    j["containerDefinitions"] = Json::array({container(c, s, read_only)});
    Json volumes = Json::array();
    for (const auto& v : s.volumes) {
        Json vol = Json{{"name", v.name}};
        if (const std::string* fs = v.size.empty() ? nullptr : efs_of(c, v.name))
            vol["efsVolumeConfiguration"] = Json{{"fileSystemId", *fs}, {"transitEncryption", "ENABLED"}};
        volumes.push_back(std::move(vol));
    }
    if (read_only)
        if (const auto tmp = s.tmp_volume_name(); !tmp.empty()) volumes.push_back(Json{{"name", tmp}});
    if (!volumes.empty()) j["volumes"] = std::move(volumes);
    j["tags"] = tags(c, s);
    return j;
}

bool autoscaled(const Service& s) { return s.type != ServiceType::Job && s.replicas.min < s.replicas.max; }

Json service(const Context& c, const Service& s) {
    Json j = Json::object();
    j["cluster"] = c.cluster;
    j["serviceName"] = family(c, s);
    j["taskDefinition"] = family(c, s);   // the family: its latest ACTIVE revision
    j["desiredCount"] = s.replicas.max == 0 ? 0 : s.replicas.min;
    j["launchType"] = "FARGATE";
    j["platformVersion"] = c.target.platform_version;
    j["schedulingStrategy"] = "REPLICA";
    j["deploymentController"] = Json{{"type", "ECS"}};
    j["deploymentConfiguration"] = Json{
        {"deploymentCircuitBreaker", Json{{"enable", true}, {"rollback", true}}},
        {"maximumPercent", 200},
        {"minimumHealthyPercent", 100}};
    j["networkConfiguration"] = Json{
        {"awsvpcConfiguration", Json{{"subnets", subnets(c)},
                                     {"securityGroups", security_groups(c)},
                                     {"assignPublicIp", c.target.assign_public_ip ? "ENABLED" : "DISABLED"}}}};
    if (s.type == ServiceType::Web && s.port > 0) {
        std::string tg = target_group_placeholder(s.name);
        for (const auto& [name, arn] : c.target.target_groups)
            if (name == s.name) tg = arn;
        j["loadBalancers"] = Json::array(
            {Json{{"targetGroupArn", tg}, {"containerName", s.name}, {"containerPort", s.port}}});
        if (s.health && s.health->initial_delay.seconds > 0)
            j["healthCheckGracePeriodSeconds"] = s.health->initial_delay.seconds;
    }
    if (c.target.service_connect) {
        Json sc = Json{{"enabled", true}, {"namespace", c.prefix}};
        if (s.port > 0)
            sc["services"] = Json::array({Json{{"portName", s.name},
                                               {"discoveryName", s.name},
                                               {"clientAliases", Json::array({Json{{"port", s.port}, {"dnsName", s.name}}})}}});
        j["serviceConnectConfiguration"] = std::move(sc);
    }
    j["enableECSManagedTags"] = true;
    j["propagateTags"] = "SERVICE";
    j["enableExecuteCommand"] = false;
    j["tags"] = tags(c, s);
    return j;
}

Json scalable_target(const Context& c, const Service& s) {
    Json j = Json::object();
    j["ServiceNamespace"] = "ecs";
    j["ResourceId"] = resource_id(c, s);
    j["ScalableDimension"] = "ecs:service:DesiredCount";
    j["MinCapacity"] = s.replicas.min;
    j["MaxCapacity"] = s.replicas.max;
    return j;
}

std::vector<std::pair<std::string, Json>> scaling_policies(const Context& c, const Service& s) {
    // The spec's targets are percentages of the request (as the Kubernetes HPA counts); ECS
    // measures utilisation against the task size, which coconut rounds up from the limit. The
    // target is converted so that both scale at the same absolute usage.
    const auto size = spec::fargate::map(s.resources).size;
    const double cpu_units = static_cast<double>(spec::parse_cpu_millis(s.resources.cpu).value_or(size.cpu)) * 1024.0 / 1000.0;
    const double memory_mib = spec::parse_memory_bytes(s.resources.memory).value_or(size.memory * 1048576.0) / 1048576.0;
    auto target = [](int percent, double request, int task) {
        const double v = percent * request / (task > 0 ? task : 1);
        return static_cast<int>(std::clamp(std::lround(v), 1L, 100L));
    };
    auto policy = [&](const std::string& metric, const char* type, int value) {
        Json j = Json::object();
        j["PolicyName"] = family(c, s) + "-" + metric;
        j["ServiceNamespace"] = "ecs";
        j["ResourceId"] = resource_id(c, s);
        j["ScalableDimension"] = "ecs:service:DesiredCount";
        j["PolicyType"] = "TargetTrackingScaling";
        j["TargetTrackingScalingPolicyConfiguration"] = Json{
            {"TargetValue", value},
            {"PredefinedMetricSpecification", Json{{"PredefinedMetricType", type}}},
            {"ScaleOutCooldown", 60},
            {"ScaleInCooldown", 300}};
        return j;
    };
    std::vector<std::pair<std::string, Json>> out;
    out.emplace_back("cpu", policy("cpu", "ECSServiceAverageCPUUtilization",
                                   target(s.replicas.cpu_percent, cpu_units, size.cpu)));
    if (s.replicas.memory_percent)
        out.emplace_back("memory", policy("memory", "ECSServiceAverageMemoryUtilization",
                                          target(*s.replicas.memory_percent, memory_mib, size.memory)));
    return out;
}

Json schedule(const Context& c, const Service& s) {
    const auto cron = spec::eventbridge::cron_expression(s.schedule);
    Json j = Json::object();
    j["Name"] = schedule_name(family(c, s));
    j["Description"] = "coconut job " + s.name + " of " + c.app + (c.environment.empty() ? "" : " (" + c.environment + ")") +
                       ": " + s.schedule + " UTC";
    j["ScheduleExpression"] = cron.expression;
    j["ScheduleExpressionTimezone"] = "UTC";
    j["FlexibleTimeWindow"] = Json{{"Mode", "OFF"}};
    j["State"] = "ENABLED";
    Json ecs = Json::object();
    // The family without a revision: each run starts the latest ACTIVE revision.
    ecs["TaskDefinitionArn"] = "arn:" + c.partition + ":ecs:" + c.region + ":" + c.account + ":task-definition/" + family(c, s);
    ecs["TaskCount"] = 1;
    ecs["LaunchType"] = "FARGATE";
    ecs["PlatformVersion"] = c.target.platform_version;
    ecs["NetworkConfiguration"] = Json{
        {"awsvpcConfiguration", Json{{"Subnets", subnets(c)},
                                     {"SecurityGroups", security_groups(c)},
                                     {"AssignPublicIp", c.target.assign_public_ip ? "ENABLED" : "DISABLED"}}}};
    ecs["EnableECSManagedTags"] = true;
    ecs["PropagateTags"] = "TASK_DEFINITION";
    Json target = Json::object();
    target["Arn"] = cluster_arn(c);
    target["RoleArn"] = role_arn(c, c.target.scheduler_role);
    target["EcsParameters"] = std::move(ecs);
    // RunTask failures (capacity, throttling) are retried for an hour, not EventBridge's day.
    target["RetryPolicy"] = Json{{"MaximumEventAgeInSeconds", 3600}, {"MaximumRetryAttempts", 3}};
    j["Target"] = std::move(target);
    return j;
}

std::vector<std::string> placeholders(const Json& document) {
    std::set<std::string> found;
    std::vector<const Json*> stack{&document};
    while (!stack.empty()) {
        const Json* j = stack.back();
        stack.pop_back();
        if (j->is_string()) {
            const auto& s = j->get_ref<const std::string&>();
            for (std::size_t at = s.find("${"); at != std::string::npos; at = s.find("${", at + 2)) {
                const auto end = s.find('}', at);
                if (end == std::string::npos) break;
                found.insert(s.substr(at + 2, end - at - 2));
            }
        } else if (j->is_structured()) {
            for (const auto& v : *j) stack.push_back(&v);
        }
    }
    return {found.begin(), found.end()};
}

}  // namespace coconut::generate::ecs
