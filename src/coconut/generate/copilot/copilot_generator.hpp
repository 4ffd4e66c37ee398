#pragma once
// The `copilot` target: AWS Copilot manifests. `copilot/<service>/manifest.yml` per service (the
// base configuration plus an `environments:` map holding only what each environment changes)
// and `copilot/environments/<env>/manifest.yml` per environment. Enabled by
// `targets.ecs.copilot: true`. AWS Copilot reached end of support in 2026: the manifests are for
// teams that still run it; the `ecs` target is the first-class route to ECS. See
// docs/generators/copilot.md.
#include <string_view>

#include "coconut/generate/generator.hpp"

namespace coconut::generate::copilot {

class CopilotGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "copilot"; }
    [[nodiscard]] std::string_view description() const override {
        return "AWS Copilot manifests (end of support 2026): one per service with environment overrides, one per "
               "environment";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
    [[nodiscard]] bool enabled(const spec::Spec& base) const override {
        return base.targets.ecs.has_value() && base.targets.ecs->copilot;
    }
    [[nodiscard]] std::string_view enable_hint() const override {
        return "set `targets.ecs.copilot: true` in coconut.yaml";
    }
    [[nodiscard]] bool needs_every_environment() const override { return true; }
};

}  // namespace coconut::generate::copilot
