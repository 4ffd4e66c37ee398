// buildah and podman: one adapter, registered once per tool. podman's build and push are
// buildah's code (containers/buildah and containers/image inside), so both take the same flags
// and write the pushed digest the same way; only the binary and the build subcommand differ.
// (docker is its own adapter: a daemon, no --format / --ignorefile / --digestfile.)
#include <memory>
#include <string>
#include <utility>

#include "coconut/platform/builders/oci_cli.hpp"

namespace coconut::platform::builders {
namespace {

class ContainersBuilder final : public ImageBuilder {
public:
    // `tool`: the binary and --builder value; `build_subcommand`: "bud" (buildah), "build" (podman).
    ContainersBuilder(std::string tool, std::string build_subcommand)
        : m_name(std::move(tool)),
          m_build_subcommand(std::move(build_subcommand)),
          m_description(m_name + " " + m_build_subcommand + " --format docker; push --digestfile (daemonless)") {}

    [[nodiscard]] std::string_view name() const override { return m_name; }
    [[nodiscard]] std::string_view description() const override { return m_description; }

    // `<binary> <build subcommand> --format docker -f F [--ignorefile I] ... CONTEXT`. Docker
    // format (not OCI): OCI image configs have no HEALTHCHECK, so buildah/podman would drop it.
    [[nodiscard]] Command build_command(const std::string& binary, const ImageBuildRequest& r) const override {
        Command c;
        c.argv = {binary, m_build_subcommand, "--format", "docker", "-f", r.dockerfile};
        if (!r.ignorefile.empty()) {
            c.argv.emplace_back("--ignorefile");
            c.argv.push_back(r.ignorefile);
        }
        detail::append_build_flags(c.argv, r);
        c.argv.push_back(r.context);
        return c;
    }

    // `<binary> push [--tls-verify=false] --digestfile F IMAGE docker://IMAGE`.
    [[nodiscard]] Command push_command(const std::string& binary, const ImagePushRequest& r) const override {
        Command c = registry_command(binary, "push", r.tls_verify);
        c.argv.emplace_back("--digestfile");
        c.argv.push_back(r.digest_file.string());
        c.argv.push_back(r.image);
        c.argv.push_back("docker://" + r.image);
        return c;
    }

    // `<binary> login [--tls-verify=false] --username U --password-stdin REGISTRY`, the password on stdin.
    [[nodiscard]] Command login_command(const std::string& binary, const RegistryLoginRequest& r) const override {
        Command c = registry_command(binary, "login", r.tls_verify);
        c.argv.emplace_back("--username");
        c.argv.push_back(r.username);
        c.argv.emplace_back("--password-stdin");
        c.argv.push_back(r.registry);
        c.stdin_data = r.password + "\n";
        return c;
    }

    [[nodiscard]] util::Expected<std::string> pushed_digest(const ImagePushRequest& r,
                                                            const CommandResult& /*result*/) const override {
        return read_digest_file(r.digest_file);
    }

private:
    // `<binary> SUBCOMMAND [--tls-verify=false]`: the start of the commands that talk to a registry.
    static Command registry_command(const std::string& binary, const char* subcommand, bool tls_verify) {
        Command c;
        c.argv = {binary, subcommand};
        if (!tls_verify) c.argv.emplace_back("--tls-verify=false");
        return c;
    }

    std::string m_name;
    std::string m_build_subcommand;
    std::string m_description;
};

// buildah: daemonless, rootless-capable builds (`buildah bud`), the preferred builder.
const BuilderRegistration k_buildah{std::make_unique<ContainersBuilder>("buildah", "bud"), 10};
// podman: `podman build` (buildah inside), used when buildah itself is not installed.
const BuilderRegistration k_podman{std::make_unique<ContainersBuilder>("podman", "build"), 20};

}  // namespace
}  // namespace coconut::platform::builders
