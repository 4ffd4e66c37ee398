#pragma once
// The AWS CLI inputs of the `ecs` target for one environment (docs/generators/ecs.md), each a
// JSON document for `--cli-input-json`:
//   task_definition    -> aws ecs register-task-definition
//   service            -> aws ecs create-service (web, backend and worker services)
//   scalable_target    -> aws application-autoscaling register-scalable-target (min < max)
//   scaling_policies   -> aws application-autoscaling put-scaling-policy (one per metric)
//   schedule           -> aws scheduler create-schedule (jobs)
// Pure functions of the resolved spec; values the spec does not give and AWS needs are
// `${NAME}` placeholders (placeholders()).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"

namespace coconut::generate::ecs {

using Json = nlohmann::ordered_json;

// Everything of one environment that the inputs share.
struct Context {
    Context(const spec::Spec& s, const spec::EcsTarget& t) : spec(s), target(t) {}
    const spec::Spec& spec;
    const spec::EcsTarget& target;
    std::string environment;   // "" when the spec has no environments
    std::string app;
    std::string prefix;        // "<app>-<env>" (or "<app>"): ECS families and service names
    std::string cluster;
    std::string region;
    std::string partition;     // aws, aws-cn, aws-us-gov
    std::string account;       // account ID or ${AWS_ACCOUNT_ID}
    std::string log_group;
    std::string ssm_prefix;
};

// Defaults applied; `spec` must enable the target (spec.targets.ecs).
Context make_context(const spec::Spec& spec);

inline constexpr const char* k_account_placeholder = "${AWS_ACCOUNT_ID}";
inline constexpr const char* k_subnet_placeholder = "${ECS_SUBNET_ID}";
inline constexpr const char* k_security_group_placeholder = "${ECS_SECURITY_GROUP_ID}";
// "${ECS_TARGET_GROUP_API_GATEWAY}" for service api-gateway.
std::string target_group_placeholder(const std::string& service);

std::string family(const Context& c, const spec::Service& s);        // "<prefix>-<svc>"
std::string role_arn(const Context& c, const std::string& name_or_arn);
std::string parameter_arn(const Context& c, const std::string& reference);

Json task_definition(const Context& c, const spec::Service& s);
Json service(const Context& c, const spec::Service& s);                  // not for jobs
bool autoscaled(const spec::Service& s);                                // min < max, not a job
Json scalable_target(const Context& c, const spec::Service& s);
// One put-scaling-policy input per metric: "cpu" always, "memory" when memory_percent is set.
std::vector<std::pair<std::string, Json>> scaling_policies(const Context& c, const spec::Service& s);
Json schedule(const Context& c, const spec::Service& s);                // jobs only

// The `${NAME}` placeholders used in a document, sorted and unique.
std::vector<std::string> placeholders(const Json& document);

}  // namespace coconut::generate::ecs
