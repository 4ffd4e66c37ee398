// buildah: daemonless, rootless-capable builds (`buildah bud`), the preferred builder.
#include "coconut/platform/builders/oci_cli.hpp"

namespace coconut::platform::builders {
namespace {

class BuildahBuilder final : public ImageBuilder {
public:
    [[nodiscard]] std::string_view name() const override { return "buildah"; }
    [[nodiscard]] std::string_view description() const override {
        return "buildah bud --format docker; push --digestfile (daemonless)";
    }
    [[nodiscard]] Command build_command(const std::string& binary, const ImageBuildRequest& r) const override {
        return detail::containers_build(binary, "bud", r);
    }
    [[nodiscard]] Command push_command(const std::string& binary, const ImagePushRequest& r) const override {
        return detail::containers_push(binary, r);
    }
    [[nodiscard]] Command login_command(const std::string& binary, const RegistryLoginRequest& r) const override {
        return detail::containers_login(binary, r);
    }
    [[nodiscard]] util::Expected<std::string> pushed_digest(const ImagePushRequest& r,
                                                            const CommandResult& /*result*/) const override {
        return read_digest_file(r.digest_file);
    }
};

COCONUT_REGISTER_BUILDER(BuildahBuilder, 10);

}  // namespace
}  // namespace coconut::platform::builders
