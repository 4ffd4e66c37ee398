#pragma once
// The helm adapter (DESIGN §7): the argv of the helm subcommands coconut runs and what their
// output means, on top of a CommandRunner. One method per subcommand, each returning what helm
// reported, parsed; the actions orchestrate (what to lint, where to package, what to tell the
// user) and never build helm argv or read helm output themselves.
//
//   platform::Helm helm(runner, "/opt/helm4/helm");
//   TRY(tool, helm.require("3.8", "for OCI push"));
//   TRY(tgz, helm.package(chart_dir, out_dir));
//   TRY(pushed, helm.push(tgz, "oci://127.0.0.1:5000/charts", {.plain_http = true}));
//
// Outputs as Helm 3 (3.17) and Helm 4 (4.1) print them; tests/integration/helm.sh runs both.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/command_runner.hpp"
#include "coconut/platform/tool_version.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::platform {

// How long one helm command may run (pushes to a slow registry included).
inline constexpr std::chrono::minutes k_helm_timeout{5};

struct HelmLintOptions {
    bool strict = true;  // --strict: warnings fail the lint too
};

struct HelmLintResult {
    // Set when the chart fails: the command, its exit status and stderr (as command_failure()
    // words them), then helm's findings ([ERROR] ... lines, which helm prints on stdout).
    std::optional<util::Error> failure;
    [[nodiscard]] bool passed() const { return !failure; }
};

struct HelmPushOptions {
    bool plain_http = false;                // --plain-http: a registry without TLS
    bool insecure_skip_tls_verify = false;  // --insecure-skip-tls-verify
};

struct HelmPushed {
    std::string reference;  // "127.0.0.1:5000/charts/shop:1.4.2"; empty when helm did not say
    std::string digest;     // "sha256:..."; empty when helm did not say
};

class Helm {
public:
    // `binary`: a name looked up in PATH by the runner, or a path.
    explicit Helm(CommandRunner& runner, std::string binary = "helm") : m_runner(runner), m_binary(std::move(binary)) {}

    [[nodiscard]] const std::string& binary() const { return m_binary; }

    // `helm version --short`, checked against `minimum` ("3.8") by require_tool(); `purpose` and
    // `advice` word the failures (see require_tool).
    util::Expected<ToolInfo> require(std::string_view minimum, std::string_view purpose = {},
                                     const ToolAdvice& advice = {});

    // `helm lint [--strict] CHART`. A chart that fails is a result (see HelmLintResult); the
    // error is for a helm that could not run (or Ctrl-C).
    util::Expected<HelmLintResult> lint(const std::string& chart_dir, const HelmLintOptions& options = {});

    // `helm package CHART --destination DIR`: the path of the .tgz helm reports having written
    // (empty when its output does not say). A failed package is an error (run_checked).
    util::Expected<std::string> package(const std::string& chart_dir, const std::string& destination);

    // `helm push PACKAGE REMOTE [--plain-http] [--insecure-skip-tls-verify]`, REMOTE being
    // oci://REGISTRY/REPOSITORY. A failed push is an error (run_checked).
    util::Expected<HelmPushed> push(const std::string& package, const std::string& remote,
                                    const HelmPushOptions& options = {});

    // The Command for `<binary> ARGS...` with the helm timeout.
    [[nodiscard]] Command command(std::vector<std::string> args) const;

private:
    CommandRunner& m_runner;
    std::string m_binary;
};

// The package path in `helm package` output ("Successfully packaged chart and saved it to: P").
std::string parse_package_output(std::string_view out);

// The pushed reference and digest in `helm push` output ("Pushed: R" / "Digest: D").
HelmPushed parse_push_output(std::string_view out);

}  // namespace coconut::platform
