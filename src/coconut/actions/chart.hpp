#pragma once
// `coconut chart package` and `coconut chart push`: generate the Helm chart of a spec (the
// `helm` target) into a temporary directory, check it with `helm lint --strict`, package it with
// `helm package`, and push the package to an OCI registry with `helm push`.
//
// Everything runs through the real `helm` binary via the platform::Helm adapter and a
// CommandRunner (unit tests use coconut::testing::FakeRunner): this action orchestrates, the
// adapter builds helm's argv and reads its output. Helm >= 3.0 packages; pushing to OCI
// registries needs Helm >= 3.8. Registry credentials are Helm's own (`helm registry login`):
// coconut never sees them.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/command_runner.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

inline constexpr std::string_view k_helm_min_package = "3.0";
inline constexpr std::string_view k_helm_min_push = "3.8";

struct ChartOptions {
    std::string file = "coconut.yaml";   // the spec
    std::string helm = "helm";           // the helm binary: a name looked up in PATH, or a path
    bool lint = true;                    // `helm lint --strict` before packaging
    // package
    std::string output_dir = ".";        // where the .tgz is written
    // push
    std::string destination;             // oci://REGISTRY/REPO
    bool plain_http = false;             // --plain-http (a local registry without TLS)
    bool insecure_skip_tls_verify = false;
};

struct ChartResult {
    std::vector<spec::Problem> problems;  // spec problems (nothing done)
    std::string helm_version;             // "3.17.3"
    std::string chart;                    // chart name (the app)
    std::string version;                  // chart version
    std::string package;                  // the .tgz written (package) or pushed (push; removed afterwards)
    std::string reference;                // push: "127.0.0.1:5000/charts/shop:2.3.0"
    std::string digest;                   // push: "sha256:..."
};

struct ChartEvents {
    // A step starts: "linting the chart", "packaging shop 2.3.0", ...
    std::function<void(std::string_view message)> on_step;
};

class ChartAction {
public:
    ChartAction(ChartOptions options, platform::CommandRunner& runner, ChartEvents events = {})
        : m_options(std::move(options)), m_runner(runner), m_events(std::move(events)) {}

    // Generates, lints and packages the chart into options.output_dir.
    util::Expected<ChartResult> package();
    // Generates, lints and packages the chart into a temporary directory, then pushes it to
    // options.destination (usage error unless it starts with oci://).
    util::Expected<ChartResult> push();

private:
    util::Expected<ChartResult> package_into(const std::string& output_dir, std::string_view min_helm,
                                             std::string_view purpose);
    void step(std::string_view message) const {
        if (m_events.on_step) m_events.on_step(message);
    }

    ChartOptions m_options;
    platform::CommandRunner& m_runner;
    ChartEvents m_events;
};

}  // namespace coconut::actions
