#include "coconut/actions/chart.hpp"

#include <filesystem>
#include <system_error>

#include "coconut/actions/generate.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/generate/helm/helm_generator.hpp"
#include "coconut/platform/tool_version.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;

namespace {

constexpr auto k_helm_timeout = std::chrono::minutes(5);

platform::Command helm_command(const std::string& helm, std::vector<std::string> args) {
    platform::Command cmd;
    cmd.argv.reserve(args.size() + 1);
    cmd.argv.push_back(helm);
    for (auto& a : args) cmd.argv.push_back(std::move(a));
    cmd.timeout = k_helm_timeout;
    return cmd;
}

std::string first_line_with(std::string_view text, std::string_view prefix) {
    for (const auto& line : util::split(text, '\n')) {
        std::string t = util::trim(line);
        if (util::starts_with(t, prefix)) return util::trim(std::string_view(t).substr(prefix.size()));
    }
    return {};
}

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

std::string parse_package_output(std::string_view out) {
    return first_line_with(out, "Successfully packaged chart and saved it to:");
}

std::pair<std::string, std::string> parse_push_output(std::string_view out) {
    return {first_line_with(out, "Pushed:"), first_line_with(out, "Digest:")};
}

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

    TRY(helm, platform::require_tool(m_runner, "helm", min_helm, purpose, m_options.helm, helm_advice(m_options.helm)));
    result.helm_version = helm.version.to_string();
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
        const platform::Command lint = helm_command(m_options.helm, {"lint", "--strict", chart_dir});
        TRY(linted, m_runner.run(lint));
        if (!linted.ok()) {
            // helm lint prints its findings ([ERROR] ...) on stdout and a summary on stderr.
            util::Error e = platform::command_failure(lint, linted);
            std::string findings = platform::tail_lines(linted.out, 20);
            if (!findings.empty()) e.message += "\n" + findings;
            e.message = "the generated chart fails helm lint (a bug in coconut's helm target): " + e.message;
            return tl::unexpected(std::move(e));
        }
    }

    std::error_code ec;
    fs::create_directories(output_dir, ec);
    if (ec)
        return util::fail(util::ErrorCode::Failure, "cannot create " + output_dir + ": " + ec.message(), output_dir);
    step("packaging " + result.chart + " " + result.version);
    TRY(packaged, platform::run_checked(m_runner,
                                        helm_command(m_options.helm, {"package", chart_dir, "--destination", output_dir})));
    result.package = parse_package_output(packaged.out);
    if (result.package.empty())
        result.package = (fs::path(output_dir) / (result.chart + "-" + result.version + ".tgz")).string();
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

    std::vector<std::string> args{"push", result.package, dest};
    if (m_options.plain_http) args.emplace_back("--plain-http");
    if (m_options.insecure_skip_tls_verify) args.emplace_back("--insecure-skip-tls-verify");
    step("pushing " + result.chart + " " + result.version + " to " + dest);
    TRY(pushed, platform::run_checked(m_runner, helm_command(m_options.helm, std::move(args))));
    // Helm writes "Pushed: ..." and "Digest: ..." to stderr (3.x and 4.x); read both streams.
    auto [reference, digest] = parse_push_output(pushed.err + "\n" + pushed.out);
    result.reference = reference;
    result.digest = digest;
    if (result.reference.empty()) {
        std::string repo = dest.substr(6);
        while (!repo.empty() && repo.back() == '/') repo.pop_back();
        result.reference = repo + "/" + result.chart + ":" + result.version;
    }
    result.package.clear();   // it was in the temporary directory
    return result;
}

}  // namespace coconut::actions
