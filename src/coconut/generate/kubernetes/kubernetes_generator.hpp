#pragma once
// The `kubernetes` generator: a kustomize base (k8s/base) and one overlay per environment
// (k8s/overlays/<env>) holding only what the environment changes. See
// docs/generators/kubernetes.md for the layout and every object.
#include <string>
#include <string_view>

#include "coconut/generate/generator.hpp"

namespace coconut::generate::kubernetes {

class KubernetesGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "kubernetes"; }
    [[nodiscard]] std::string_view description() const override {
        return "Kubernetes manifests: a kustomize base and one overlay per environment";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
};

// The file (without directory) of a service's objects: "<service>.yaml", or
// "<service>.service.yaml" for names that would collide with namespace.yaml / kustomization.yaml.
std::string service_file_name(std::string_view service);

}  // namespace coconut::generate::kubernetes
