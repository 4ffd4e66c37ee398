#pragma once
// The `helm` generator: DIR/chart/ — Chart.yaml, values.yaml (the base spec), values-<env>.yaml
// (only what each environment changes), a strict values.schema.json, and templates that render
// the same objects as the `kubernetes` target (one model: values are derived from
// kubernetes::build_objects). See docs/generators/helm.md.
#include <string>
#include <string_view>

#include "coconut/generate/generator.hpp"

namespace coconut::generate::helm {

class HelmGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "helm"; }
    [[nodiscard]] std::string_view description() const override {
        return "Helm chart: values per environment, a strict values schema, the same objects as the kubernetes target";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
};

// A SemVer 2 chart version for an app version: kept when it is one ("1.4.2", "2.0.0-rc.1"),
// completed when it is short ("v1.4" -> "1.4.0"), else "0.0.0-" + the version made into
// pre-release identifiers ("2024.01.15" -> "2024.1.15", "release_7" -> "0.0.0-release-7").
std::string chart_version(std::string_view version);

}  // namespace coconut::generate::helm
