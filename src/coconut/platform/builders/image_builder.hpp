#pragma once
// Image builders (buildah, podman, docker): one self-registering adapter per tool that turns a
// build / push / login request into argv for the CommandRunner (DESIGN §7). Adapters know the
// tools' flags and outputs, nothing about specs or strategies: actions/build.cpp drives them.
//
//   auto chosen = TRY(select_builder(runner, ""));          // buildah, else podman, else docker
//   auto cmd = chosen.builder->build_command(chosen.tool.path, request);
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coconut/platform/command_runner.hpp"
#include "coconut/platform/tool_version.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::platform::builders {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct ImageBuildRequest {
    std::string context;              // build context directory
    std::string dockerfile;           // the Dockerfile to build
    std::string ignorefile;           // .dockerignore to apply instead of the context's (empty: none)
    std::vector<std::string> tags;    // full references given to the image, e.g. "127.0.0.1:5000/demo/app:1.0"
    KeyValues build_args;             // --build-arg NAME=value (never secrets: they end up in the image history)
    KeyValues labels;                 // --label NAME=value (added on top of the Dockerfile's LABELs)
};

struct ImagePushRequest {
    std::string image;                     // a tag given at build time, pushed as itself
    bool tls_verify = true;                // false: plain HTTP / unverified TLS (local registries)
    std::filesystem::path digest_file;     // where buildah/podman write the pushed digest
};

struct RegistryLoginRequest {
    std::string registry;             // host[:port]
    std::string username;
    std::string password;             // sent on stdin, never in argv
    bool tls_verify = true;
};

class ImageBuilder {
public:
    virtual ~ImageBuilder() = default;
    [[nodiscard]] virtual std::string_view name() const = 0;          // "buildah": the binary and --builder value
    [[nodiscard]] virtual std::string_view description() const = 0;  // one line for --help and docs

    // `binary` is the program to run (the detected path, or the bare name).
    [[nodiscard]] virtual Command build_command(const std::string& binary, const ImageBuildRequest& r) const = 0;
    [[nodiscard]] virtual Command push_command(const std::string& binary, const ImagePushRequest& r) const = 0;
    [[nodiscard]] virtual Command login_command(const std::string& binary, const RegistryLoginRequest& r) const = 0;
    // The manifest digest ("sha256:…") a finished push reported: read from the digest file
    // (buildah, podman) or parsed from the output (docker).
    [[nodiscard]] virtual util::Expected<std::string> pushed_digest(const ImagePushRequest& r,
                                                                    const CommandResult& result) const = 0;
    // Is the tool usable here? Its version, or why not (not installed, daemon unreachable).
    [[nodiscard]] virtual util::Expected<ToolInfo> probe(CommandRunner& runner) const;
};

class BuilderRegistry {
public:
    static BuilderRegistry& instance();
    void add(std::unique_ptr<ImageBuilder> builder, int order);
    [[nodiscard]] const ImageBuilder* find(std::string_view name) const;
    [[nodiscard]] std::vector<const ImageBuilder*> all() const;   // in detection order
    [[nodiscard]] std::vector<std::string> names() const;         // in detection order

private:
    std::vector<std::pair<int, std::unique_ptr<ImageBuilder>>> m_builders;
};

// Registers an adapter from a static initialiser: lower `order` = preferred in detection.
struct BuilderRegistration {
    BuilderRegistration(std::unique_ptr<ImageBuilder> builder, int order) {
        BuilderRegistry::instance().add(std::move(builder), order);
    }
};

// In an adapter's .cpp: COCONUT_REGISTER_BUILDER(DockerBuilder, 30); an adapter registered once
// per tool constructs its instances itself (containers_builder.cpp).
#define COCONUT_REGISTER_BUILDER(Class, order) \
    static const ::coconut::platform::builders::BuilderRegistration coconut_builder_##Class{std::make_unique<Class>(), order}

struct SelectedBuilder {
    const ImageBuilder* builder = nullptr;
    ToolInfo tool;
};

// `requested` (a registered name) or, when empty, the first usable builder in detection order.
// Errors: unknown name (Usage, with a suggestion), or no usable builder (Failure, saying why
// each one was skipped).
util::Expected<SelectedBuilder> select_builder(CommandRunner& runner, std::string_view requested);

// The manifest digest in a digest file written by `buildah push --digestfile` / `podman push
// --digestfile`; errors name the file.
util::Expected<std::string> read_digest_file(const std::filesystem::path& path);

// True for sha256:<64 lowercase hex>.
bool is_sha256_digest(std::string_view text);

}  // namespace coconut::platform::builders
