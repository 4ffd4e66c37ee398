#include "coconut/generate/ecs/ecs_generator.hpp"

#include "coconut/generate/ecs/inputs.hpp"
#include "coconut/spec/fargate.hpp"

namespace coconut::generate::ecs {

namespace {

constexpr const char* k_kind_task_definition = "ecs-task-definition";
constexpr const char* k_kind_service = "ecs-service";
constexpr const char* k_kind_scalable_target = "application-autoscaling-scalable-target";
constexpr const char* k_kind_scaling_policy = "application-autoscaling-scaling-policy";
constexpr const char* k_kind_schedule = "eventbridge-schedule";

// JSON files hold no comments (the AWS CLI rejects unknown fields), so no header line.
std::string render(const Json& j) { return j.dump(2) + "\n"; }

util::Expected<void> generate_environment(const spec::Spec& spec, ArtifactSet& out) {
    const Context c = make_context(spec);
    const std::string dir = output_dir(spec);
    for (const auto& s : spec.services) {
        // Validation rejects these (spec/targets/ecs.cpp); a programmatic spec might not have run it.
        if (const auto m = spec::fargate::map(s.resources); !m.problem.empty())
            return util::fail(util::ErrorCode::Input, "services." + s.name + ".resources: " + m.problem);
        const std::string base = dir + "/" + s.name;
        out.add(base + ".taskdef.json", render(task_definition(c, s)), k_kind_task_definition);
        if (s.type == spec::ServiceType::Job) {
            out.add(base + ".schedule.json", render(schedule(c, s)), k_kind_schedule);
            continue;
        }
        out.add(base + ".service.json", render(service(c, s)), k_kind_service);
        if (!autoscaled(s)) continue;
        out.add(base + ".autoscaling-target.json", render(scalable_target(c, s)), k_kind_scalable_target);
        for (const auto& [metric, policy] : scaling_policies(c, s))
            out.add(base + ".autoscaling-policy-" + metric + ".json", render(policy), k_kind_scaling_policy);
    }
    out.add_root(dir, spec.environment);
    return {};
}

}  // namespace

std::string output_dir(const spec::Spec& resolved) {
    return resolved.environment.empty() ? std::string("ecs") : "ecs/" + resolved.environment;
}

util::Expected<void> EcsGenerator::generate(const GenerateInput& in, ArtifactSet& out) const {
    if (in.base.environments.empty()) {
        if (in.base.targets.ecs) TRY_VOID(generate_environment(in.base, out));
        return {};
    }
    for (const auto& env : in.environments) {
        if (env.environment.empty())
            return util::fail(util::ErrorCode::Usage, "ecs: an environment spec without a name was given");
        if (env.targets.ecs) TRY_VOID(generate_environment(env, out));   // an environment may drop the target
    }
    return {};
}

COCONUT_REGISTER_GENERATOR(EcsGenerator);

}  // namespace coconut::generate::ecs
