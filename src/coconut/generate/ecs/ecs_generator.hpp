#pragma once
// The `ecs` generator: for every environment (or the spec itself when it has none) and service,
// the AWS CLI inputs that deploy it to ECS on Fargate, under ecs/<env>/ (docs/generators/ecs.md):
//   <svc>.taskdef.json                  aws ecs register-task-definition --cli-input-json
//   <svc>.service.json                  aws ecs create-service --cli-input-json (not jobs)
//   <svc>.autoscaling-target.json       aws application-autoscaling register-scalable-target
//   <svc>.autoscaling-policy-<m>.json   aws application-autoscaling put-scaling-policy (m: cpu, memory)
//   <svc>.schedule.json                 aws scheduler create-schedule (jobs)
#include <string>
#include <string_view>

#include "coconut/generate/generator.hpp"

namespace coconut::generate::ecs {

class EcsGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "ecs"; }
    [[nodiscard]] std::string_view description() const override {
        return "AWS ECS on Fargate: task definitions, services, autoscaling and job schedules as AWS CLI inputs";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
    [[nodiscard]] bool enabled(const spec::Spec& base) const override { return base.targets.ecs.has_value(); }
    [[nodiscard]] std::string_view enable_hint() const override {
        return "add a `targets.ecs` block to coconut.yaml (`ecs: {}` takes every default)";
    }
};

// "ecs/<env>", or "ecs" for a spec without environments.
std::string output_dir(const spec::Spec& resolved);

}  // namespace coconut::generate::ecs
