#include "coconut/platform/helm.hpp"

#include <utility>

#include "coconut/util/strings.hpp"

namespace coconut::platform {

namespace {

// The rest of the first line (trimmed) that starts with `prefix`, leading blanks ignored.
std::string first_line_with(std::string_view text, std::string_view prefix) {
    for (const auto& line : util::split(text, '\n')) {
        std::string t = util::trim(line);
        if (util::starts_with(t, prefix)) return util::trim(std::string_view(t).substr(prefix.size()));
    }
    return {};
}

}  // namespace

Command Helm::command(std::vector<std::string> args) const {
    Command cmd;
    cmd.argv.reserve(args.size() + 1);
    cmd.argv.push_back(m_binary);
    for (auto& a : args) cmd.argv.push_back(std::move(a));
    cmd.timeout = k_helm_timeout;
    return cmd;
}

util::Expected<ToolInfo> Helm::require(std::string_view minimum, std::string_view purpose, const ToolAdvice& advice) {
    return require_tool(m_runner, "helm", minimum, purpose, m_binary, advice);
}

util::Expected<HelmLintResult> Helm::lint(const std::string& chart_dir, const HelmLintOptions& options) {
    std::vector<std::string> args{"lint"};
    if (options.strict) args.emplace_back("--strict");
    args.push_back(chart_dir);
    const Command cmd = command(std::move(args));
    TRY(linted, m_runner.run(cmd));
    HelmLintResult result;
    if (linted.ok()) return result;
    // helm lint prints its findings ([ERROR] ...) on stdout and only a summary on stderr.
    util::Error e = command_failure(cmd, linted);
    std::string findings = tail_lines(linted.out, 20);
    if (!findings.empty()) e.message += "\n" + findings;
    result.failure = std::move(e);
    return result;
}

util::Expected<std::string> Helm::package(const std::string& chart_dir, const std::string& destination) {
    TRY(packaged, run_checked(m_runner, command({"package", chart_dir, "--destination", destination})));
    return parse_package_output(packaged.out);
}

util::Expected<HelmPushed> Helm::push(const std::string& package, const std::string& remote,
                                      const HelmPushOptions& options) {
    std::vector<std::string> args{"push", package, remote};
    if (options.plain_http) args.emplace_back("--plain-http");
    if (options.insecure_skip_tls_verify) args.emplace_back("--insecure-skip-tls-verify");
    TRY(pushed, run_checked(m_runner, command(std::move(args))));
    // Helm writes "Pushed: ..." and "Digest: ..." to stderr (3.x and 4.x); read both streams.
    return parse_push_output(pushed.err + "\n" + pushed.out);
}

std::string parse_package_output(std::string_view out) {
    return first_line_with(out, "Successfully packaged chart and saved it to:");
}

HelmPushed parse_push_output(std::string_view out) {
    return {first_line_with(out, "Pushed:"), first_line_with(out, "Digest:")};
}

}  // namespace coconut::platform
