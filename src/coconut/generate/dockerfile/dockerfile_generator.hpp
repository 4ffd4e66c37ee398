#pragma once
// The `dockerfile` target: docker/<service>/Dockerfile + docker/<service>/.dockerignore for every
// service with a `build:` block, from the runtime presets node, python, go, java and static.
// Services with runtime `dockerfile` bring their own Dockerfile: nothing is generated for them
// (`coconut build` builds the user's file as it is). See docs/generators/dockerfile.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/generate/dockerfile/health_command.hpp"
#include "coconut/generate/generator.hpp"

namespace coconut::generate::dockerfile {

class DockerfileGenerator final : public Generator {
public:
    [[nodiscard]] std::string_view name() const override { return "dockerfile"; }
    [[nodiscard]] std::string_view description() const override {
        return "Dockerfiles per built service from runtime presets: multi-stage, pinned bases, non-root, HEALTHCHECK, "
               "OCI labels";
    }
    [[nodiscard]] util::Expected<void> generate(const GenerateInput& in, ArtifactSet& out) const override;
};

// Build arguments every generated Dockerfile declares in its final stage for the OCI labels.
// `coconut build` passes REVISION (git commit), CREATED (RFC 3339 UTC) and SOURCE (repository
// URL); VERSION defaults to the spec's version. Unset, the labels are empty: the file itself
// stays deterministic.
inline constexpr std::string_view k_arg_version = "VERSION";
inline constexpr std::string_view k_arg_revision = "REVISION";
inline constexpr std::string_view k_arg_created = "CREATED";
inline constexpr std::string_view k_arg_source = "SOURCE";

struct ServiceFiles {
    std::string dockerfile;
    std::string dockerignore;
};

// The files of one built service; nullopt for runtime `dockerfile` (the user's own) and for
// services without `build`. Errors (ErrorCode::Input) name the spec field at fault.
util::Expected<std::optional<ServiceFiles>> render_service(const spec::Spec& spec, const spec::Service& service,
                                                           std::string_view source_file = "coconut.yaml");

// "docker/<service>" — the directory of a service's files in the output tree.
std::string service_dir(std::string_view service);

// The default images of a runtime preset and version ("" = no build stage / not applicable).
struct PresetImages {
    std::string builder;  // build stage, e.g. "golang:1.22-bookworm"
    std::string base;     // final stage, e.g. "gcr.io/distroless/static-debian12:nonroot"
};
PresetImages default_images(spec::Runtime runtime, std::string_view version);

// Where the preset puts the program in the image, e.g. "/app/web" (go), "/app/hello" (static).
std::string program_path(const spec::Service& service);

// An exec-form instruction argument: a JSON array of strings, e.g. ["node", "."].
std::string exec_form(const std::vector<std::string>& argv);

}  // namespace coconut::generate::dockerfile
