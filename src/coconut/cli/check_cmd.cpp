#include <cstdio>
#include <iostream>

#include "coconut/actions/check.hpp"
#include "coconut/actions/rules.hpp"
#include "coconut/cli/command.hpp"
#include "coconut/policy/report/report.hpp"
#include "coconut/policy/report/rules_doc.hpp"

namespace coconut::cli {
namespace {

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
        sub->add_option("-o,--format", m_format, "Report format (`-o json`, as kubectl)")
            ->check(CLI::IsMember({"text", "json", "sarif", "junit"}))
            ->capture_default_str();
        sub->add_option("--output", m_output, "Write the report to FILE instead of stdout");
        sub->add_option("--fail-on", m_fail_on, "Exit 1 when a finding at or above this severity exists")
            ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
            ->capture_default_str();
        sub->add_option("--policy", m_options.policy_paths, "Kyverno ClusterPolicy/Policy file or directory (repeatable)");
        sub->add_option("--compliance", m_options.compliance, "Print control coverage for a framework")
            ->check(CLI::IsMember({"soc2", "hipaa", "cis-k8s", "nsa", "gdpr"}));
        sub->add_option("--profile", m_options.profile, "Pod Security Standards profile (default: the spec's, else restricted)")
            ->check(CLI::IsMember({"baseline", "restricted"}));
        sub->add_option("--schemas", m_options.schemas_dir,
                        "Validate Kubernetes objects against the JSON schemas in DIR (kubeconform layout)");
        sub->add_flag("-L,--follow", m_options.follow_symlinks,
                      "Follow symbolic links to directories while walking (loops are detected; every file is read once)");
        sub->add_option("--ignore", m_options.ignore, "Suppress a rule: 'RULE[,RULE] -- reason' (id or alias; repeatable)");
        return sub;
    }

    int run(Context&) override {
        m_options.fail_on = *policy::parse_severity(m_fail_on);
        m_options.use_spec_in_path_mode = m_file_opt->count() > 0;
        auto result = actions::CheckAction(m_options).run();
        if (!result) return report(result.error());
        if (!result->problems.empty()) {
            print_problems(result->problems);
            return finish(k_exit_usage);
        }
        const bool to_stdout = m_output.empty() || m_output == "-";
        if (!write_output(format(*result, to_stdout && use_color(stdout)), m_output)) return finish(k_exit_usage);
        // A machine-readable report went to a file: the summary line still tells a person what happened.
        if (!to_stdout && m_format != "text") std::cerr << policy::report::text({}, result->summary, {false});
        return finish(result->summary.failed ? k_exit_failure : k_exit_ok);
    }

private:
    actions::CheckOptions m_options;
    CLI::Option* m_file_opt = nullptr;
    std::string m_format = "text";
    std::string m_output;
    std::string m_fail_on = "low";

    std::string format(const actions::CheckResult& r, bool color) const {
        constexpr auto replace = nlohmann::ordered_json::error_handler_t::replace;
        if (m_format == "json") {
            auto j = policy::report::json(r.findings, r.summary);
            if (r.compliance) j["compliance"] = policy::report::compliance_json(*r.compliance);
            return j.dump(2, ' ', false, replace) + "\n";
        }
        if (m_format == "sarif") return policy::report::sarif(r.findings, {r.working_dir, r.root_dir}).dump(2, ' ', false, replace) + "\n";
        if (m_format == "junit") return policy::report::junit(r.findings, r.summary);
        std::string out = policy::report::text(r.findings, r.summary, {color});
        if (r.compliance) out += "\n" + policy::report::compliance_text(*r.compliance, color);
        return out;
    }
};

class RulesCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("rules", "List and explain the built-in policy rules");
        sub->require_subcommand(1);
        m_list = sub->add_subcommand("list", "List every rule");
        m_list->add_option("-o,--format", m_format, "Output format")
            ->check(CLI::IsMember({"text", "json", "markdown"}))
            ->capture_default_str();
        m_show = sub->add_subcommand("show", "Explain one rule (by id or alias)");
        m_show->add_option("id", m_id, "Rule id or alias, e.g. K8S-PRIVILEGED or hadolint:DL3002")->required();
        return sub;
    }

    int run(Context&) override {
        const actions::RulesAction rules;
        if (m_show->parsed()) {
            auto info = rules.show(m_id);
            if (!info) return report(info.error());
            std::cout << policy::report::rule_text(**info);
            return finish(k_exit_ok);
        }
        if (m_format == "json") {
            std::cout << policy::report::rules_json().dump(2) << "\n";
        } else if (m_format == "markdown") {
            std::cout << policy::report::rules_markdown();
        } else {
            for (const policy::RuleInfo* info : rules.list())
                std::printf("%-34s %-9s %-16s %s\n", info->id.c_str(), policy::to_string(info->severity),
                            policy::to_string(info->input), info->title.c_str());
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
