#include "coconut/actions/chart.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "coconut/actions/generate.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/generate/helm/helm_generator.hpp"
#include "coconut/platform/helm.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;

namespace {

// What to tell a user whose helm is missing or too old.
platform::ToolAdvice helm_advice(const std::string& helm) {
    platform::ToolAdvice advice;
    const bool is_path = helm.find('/') != std::string::npos;
    // Recommend the version every coconut command works with (OCI push needs 3.8).
    advice.missing = (is_path ? "helm not found at " + helm : std::string("helm not found on PATH")) +
                     "; install Helm >= " + std::string(k_helm_min_push) +
                     " (https://helm.sh/docs/intro/install/) or name the binary with --helm PATH";
    advice.too_old = "upgrade Helm";
    return advice;
}

}  // namespace

util::Expected<ChartResult> ChartAction::package_into(const std::string& output_dir, std::string_view min_helm,
                                                      std::string_view purpose) {
    ChartResult result;
    auto loaded = load_spec(m_options.file);
    if (!loaded.problems.empty()) {
        result.problems = std::move(loaded.problems);
        return result;
    }
    const spec::Spec& base = loaded.spec.base();
    if (base.targets.kubernetes && !base.targets.kubernetes->chart)
        return util::fail(util::ErrorCode::Usage,
                          m_options.file + " turns the chart off (targets.kubernetes.chart: false)",
                          "targets.kubernetes.chart");
    std::vector<spec::Spec> envs;
    for (const auto& e : base.environments) {
        TRY(env, loaded.spec.resolve(e));
        envs.push_back(std::move(env));
    }

    platform::Helm helm(m_runner, m_options.helm);
    TRY(tool, helm.require(min_helm, purpose, helm_advice(m_options.helm)));
    result.helm_version = tool.version.to_string();
    result.chart = base.name;
    result.version = generate::helm::chart_version(base.version);

    // The chart, generated as `coconut generate --target helm` would, in a temporary directory.
    const auto* generator = generate::Registry::instance().find("helm");
    if (!generator) throw std::logic_error("the helm generator is not registered");
    generate::ArtifactSet artifacts;
    generate::GenerateInput input{base, envs, fs::path(m_options.file).filename().string()};
    TRY_VOID(generator->generate(input, artifacts));
    TRY(work, util::TempDir::create("coconut-chart-"));
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto* a : artifacts.all()) files.emplace_back(a->path, a->content);
    TRY_VOID(util::write_tree_atomic(work.path(), files, artifacts.roots()));
    const std::string chart_dir = (work.path() / "chart").string();

    if (m_options.lint) {
        step("linting the chart (helm lint --strict)");
        TRY(linted, helm.lint(chart_dir));
        if (!linted.passed()) {
            util::Error e = std::move(*linted.failure);
            e.message = "the generated chart fails helm lint (a bug in coconut's helm target): " + e.message;
            return tl::unexpected(std::move(e));
        }
    }

    std::error_code ec;
    fs::create_directories(output_dir, ec);
    if (ec)
        return util::fail(util::ErrorCode::Failure, "cannot create " + output_dir + ": " + ec.message(), output_dir);
    step("packaging " + result.chart + " " + result.version);
    TRY(package, helm.package(chart_dir, output_dir));
    result.package = package.empty() ? (fs::path(output_dir) / (result.chart + "-" + result.version + ".tgz")).string()
                                     : package;
    if (!fs::exists(result.package, ec))
        return util::fail(util::ErrorCode::Failure,
                          "helm package reported success but " + result.package + " does not exist", result.package);
    return result;
}

util::Expected<ChartResult> ChartAction::package() {
    return package_into(m_options.output_dir, k_helm_min_package, "");
}

util::Expected<ChartResult> ChartAction::push() {
    const std::string& dest = m_options.destination;
    if (!util::starts_with(dest, "oci://") || dest.size() <= 6)
        return util::fail(util::ErrorCode::Usage,
                          "chart push: the destination must be an OCI registry reference, oci://REGISTRY/REPOSITORY (got '" +
                              dest + "')");
    TRY(work, util::TempDir::create("coconut-chart-package-"));
    TRY(result, package_into(work.path().string(), k_helm_min_push, "for OCI push (helm push)"));
    if (!result.problems.empty()) return result;

    step("pushing " + result.chart + " " + result.version + " to " + dest);
    platform::HelmPushOptions push_options;
    push_options.plain_http = m_options.plain_http;
    push_options.insecure_skip_tls_verify = m_options.insecure_skip_tls_verify;
    TRY(pushed, platform::Helm(m_runner, m_options.helm).push(result.package, dest, push_options));
    result.reference = pushed.reference;
    result.digest = pushed.digest;
    if (result.reference.empty()) {
        std::string repo = dest.substr(6);
        while (!repo.empty() && repo.back() == '/') repo.pop_back();
        result.reference = repo + "/" + result.chart + ":" + result.version;
    }
    result.package.clear();   // it was in the temporary directory
    return result;
}

}  // namespace coconut::actions
