#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "coconut/actions/check.hpp"
#include "coconut/cli/command.hpp"
#include "coconut/policy/report/report.hpp"
#include "coconut/policy/report/rules_doc.hpp"

namespace coconut::cli {
namespace {

namespace fs = std::filesystem;

// Where the repository root is relative to the current directory, so SARIF URIs are
// repository-relative ("services/api/k8s/x.yaml") when coconut runs in a subdirectory.
std::string repo_prefix() {
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (ec) return {};
    for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / ".git", ec)) {
            const fs::path rel = cwd.lexically_relative(dir);
            return rel == "." || rel.empty() ? std::string() : rel.generic_string() + "/";
        }
        if (dir == dir.parent_path()) break;
    }
    return {};
}

class CheckCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "check", "Check Kubernetes YAML, Dockerfiles, Ansible, Copilot manifests and GitHub workflows "
                     "against security and best-practice rules");
        sub->add_option("paths", m_options.paths,
                        "Files or directories to check ('-' reads stdin); none: the artifacts generated from "
                        "the spec");
        m_file_opt = sub->add_option("-f,--file", m_options.spec_file,
                                     "Spec file: checked when no PATH is given; with PATHs, its policies "
                                     "(profile, exceptions, custom) apply")
                         ->capture_default_str();
        sub->add_option("-e,--env", m_options.environment,
                        "Environment being checked: the spec's exceptions scoped to it apply too");
        sub->add_option("--format", m_format, "Report format")
            ->check(CLI::IsMember({"text", "json", "sarif", "junit"}))
            ->capture_default_str();
        sub->add_option("--output", m_output, "Write the report to FILE instead of stdout");
        sub->add_option("--fail-on", m_fail_on, "Exit 1 when a finding at or above this severity exists")
            ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
            ->capture_default_str();
        sub->add_option("--policy", m_options.policy_paths, "Kyverno ClusterPolicy/Policy file or directory (repeatable)");
        sub->add_option("--compliance", m_compliance, "Print control coverage for a framework")
            ->check(CLI::IsMember({"soc2", "hipaa", "cis-k8s", "nsa", "gdpr"}));
        sub->add_option("--profile", m_options.profile, "Pod Security Standards profile (default: the spec's, else restricted)")
            ->check(CLI::IsMember({"baseline", "restricted"}));
        sub->add_option("--schemas", m_options.schemas_dir,
                        "Validate Kubernetes objects against the JSON schemas in DIR (kubeconform layout)");
        sub->add_option("--ignore", m_options.ignore, "Suppress a rule: 'RULE[,RULE] -- reason' (id or alias; repeatable)");
        return sub;
    }

    int run() override {
        m_options.fail_on = *policy::parse_severity(m_fail_on);
        m_options.use_spec_in_path_mode = m_file_opt->count() > 0;
        std::error_code ec;
        if (m_options.paths.empty() && !fs::exists(m_options.spec_file, ec)) {
            print_error("nothing to check: no PATH given and no spec at " + m_options.spec_file +
                        " (pass files or directories, '-' for stdin, or -f SPEC to check what it generates)");
            return finish(k_exit_usage);
        }
        auto result = actions::run_check(m_options);
        if (!result) return finish(report(result.error()));
        if (!result->problems.empty()) {
            print_problems(result->problems);
            return finish(k_exit_usage);
        }
        const auto& findings = result->findings;
        const auto& summary = result->summary;
        std::optional<policy::report::ComplianceReport> compliance;
        if (!m_compliance.empty()) compliance = policy::report::compliance(m_compliance, findings);

        std::string out;
        const bool to_stdout = m_output.empty() || m_output == "-";
        if (m_format == "json") {
            auto j = policy::report::json(findings, summary);
            if (compliance) j["compliance"] = policy::report::compliance_json(*compliance);
            out = j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
        } else if (m_format == "sarif") {
            out = policy::report::sarif(findings, {repo_prefix()}).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
        } else if (m_format == "junit") {
            out = policy::report::junit(findings, summary);
        } else {
            const bool color = to_stdout && use_color(stdout);
            out = policy::report::text(findings, summary, {color});
            if (compliance) out += "\n" + policy::report::compliance_text(*compliance, color);
        }
        if (to_stdout) {
            std::cout << out;
        } else {
            std::ofstream file(m_output, std::ios::binary | std::ios::trunc);
            file << out;
            if (!file.flush()) {
                print_error(m_output + ": cannot write the report");
                return finish(k_exit_usage);
            }
            if (m_format != "text") std::cerr << policy::report::text({}, summary, {false});
        }
        return finish(summary.failed ? k_exit_failure : k_exit_ok);
    }

private:
    actions::CheckOptions m_options;
    CLI::Option* m_file_opt = nullptr;
    std::string m_format = "text";
    std::string m_output;
    std::string m_fail_on = "low";
    std::string m_compliance;
};

class RulesCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("rules", "List and explain the built-in policy rules");
        sub->require_subcommand(1);
        m_list = sub->add_subcommand("list", "List every rule");
        m_list->add_option("--format", m_format, "Output format")
            ->check(CLI::IsMember({"text", "json", "markdown"}))
            ->capture_default_str();
        m_show = sub->add_subcommand("show", "Explain one rule (by id or alias)");
        m_show->add_option("id", m_id, "Rule id or alias, e.g. K8S-PRIVILEGED or hadolint:DL3002")->required();
        return sub;
    }

    int run() override {
        if (m_show->parsed()) {
            const policy::Rule* rule = policy::RuleRegistry::instance().find(m_id);
            if (rule == nullptr) {
                print_error("unknown rule '" + m_id + "' (see 'coconut rules list')");
                return finish(k_exit_usage);
            }
            std::cout << policy::report::rule_text(rule->info());
            return finish(k_exit_ok);
        }
        if (m_format == "json") {
            std::cout << policy::report::rules_json().dump(2) << "\n";
        } else if (m_format == "markdown") {
            std::cout << policy::report::rules_markdown();
        } else {
            for (const policy::Rule* r : policy::RuleRegistry::instance().all()) {
                const auto& info = r->info();
                std::printf("%-34s %-9s %-16s %s\n", info.id.c_str(), policy::to_string(info.severity),
                            policy::to_string(info.input), info.title.c_str());
            }
        }
        return finish(k_exit_ok);
    }

private:
    CLI::App* m_list = nullptr;
    CLI::App* m_show = nullptr;
    std::string m_format = "text";
    std::string m_id;
};

COCONUT_REGISTER_COMMAND(CheckCommand, 35);
COCONUT_REGISTER_COMMAND(RulesCommand, 36);

}  // namespace
}  // namespace coconut::cli
