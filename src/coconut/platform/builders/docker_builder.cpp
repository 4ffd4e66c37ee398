// docker: the Docker CLI talking to a daemon (BuildKit). Last in detection order, and only
// chosen automatically when the daemon answers.
#include <string>

#include "coconut/platform/builders/oci_cli.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::platform::builders {
namespace {

class DockerBuilder final : public ImageBuilder {
public:
    [[nodiscard]] std::string_view name() const override { return "docker"; }
    [[nodiscard]] std::string_view description() const override {
        return "docker build (BuildKit; needs a running daemon); digest from the push output";
    }

    // BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile; docker has no flag for an
    // ignore file elsewhere, so `ignorefile` is not passed (the build action writes both names).
    [[nodiscard]] Command build_command(const std::string& binary, const ImageBuildRequest& r) const override {
        Command c;
        c.argv = {binary, "build", "--progress=plain", "-f", r.dockerfile};
        detail::append_build_flags(c.argv, r);
        c.argv.push_back(r.context);
        c.env = {{"DOCKER_BUILDKIT", "1"}};
        return c;
    }

    // The daemon decides about TLS (its insecure-registries; 127.0.0.0/8 is insecure by default).
    [[nodiscard]] Command push_command(const std::string& binary, const ImagePushRequest& r) const override {
        Command c;
        c.argv = {binary, "push", r.image};
        return c;
    }

    [[nodiscard]] Command login_command(const std::string& binary, const RegistryLoginRequest& r) const override {
        Command c;
        c.argv = {binary, "login", "--username", r.username, "--password-stdin", r.registry};
        c.stdin_data = r.password + "\n";
        return c;
    }

    // `docker push` ends with "<tag>: digest: sha256:<hex> size: <n>".
    [[nodiscard]] util::Expected<std::string> pushed_digest(const ImagePushRequest& r,
                                                            const CommandResult& result) const override {
        std::string found;
        for (const std::string* text : {&result.out, &result.err}) {
            std::size_t pos = 0;
            while ((pos = text->find("digest: sha256:", pos)) != std::string::npos) {
                std::string candidate = text->substr(pos + 8, 7 + 64);
                if (is_sha256_digest(candidate)) found = candidate;
                pos += 8;
            }
            if (!found.empty()) return found;
        }
        return util::fail(util::ErrorCode::Failure,
                          "docker push " + r.image + " reported no digest (expected \"digest: sha256:...\" in its output)");
    }

    // Installed is not enough: the CLI is useless without a daemon.
    [[nodiscard]] util::Expected<ToolInfo> probe(CommandRunner& runner) const override {
        TRY(tool, ImageBuilder::probe(runner));
        Command c;
        c.argv = {tool.path, "version", "--format", "{{.Server.Version}}"};
        c.timeout = std::chrono::seconds(30);
        TRY(result, runner.run(c));
        if (!result.ok()) {
            std::string why = tail_lines(result.err.empty() ? result.out : result.err, 3);
            return util::fail(util::ErrorCode::Failure, "the docker daemon is not reachable" + (why.empty() ? "" : ": " + why));
        }
        return tool;
    }
};

COCONUT_REGISTER_BUILDER(DockerBuilder, 30);

}  // namespace
}  // namespace coconut::platform::builders
