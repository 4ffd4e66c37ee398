// GHA-INSECURE-COMMANDS: ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables the `::set-env::` and
// `::add-path::` workflow commands, which GitHub disabled in 2020 because anything that can print
// to the log can then set environment variables (LD_PRELOAD, NODE_OPTIONS…) for later steps.
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

RuleInfo insecure_commands_info() {
    RuleInfo r =
        workflow_rule("GHA-INSECURE-COMMANDS", "Deprecated insecure workflow commands re-enabled", Severity::High);
    r.description =
        "`ACTIONS_ALLOW_UNSECURE_COMMANDS: true` in an `env:` block (workflow, job or step) turns the "
        "`::set-env::` and `::add-path::` workflow commands back on. GitHub disabled them (CVE-2020-15228) "
        "because any process whose output reaches the log — a test printing a pull request's title, a "
        "dependency's install script — can then set environment variables such as LD_PRELOAD or "
        "NODE_OPTIONS, or prepend to PATH, and so run code in every following step.";
    r.remediation =
        "Remove ACTIONS_ALLOW_UNSECURE_COMMANDS and write to the environment files instead: `echo "
        "\"NAME=value\" >> \"$GITHUB_ENV\"`, `echo \"$dir\" >> \"$GITHUB_PATH\"`; upgrade actions that still "
        "use set-env.";
    r.aliases = {"checkov:CKV_GHA_1", "zizmor:insecure-commands"};
    r.compliance = {cref("soc2", "CC6.8")};
    return r;
}

class GhaInsecureCommands : public BasicRule {
public:
    GhaInsecureCommands() : BasicRule(insecure_commands_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        check_env(doc, get(doc.root, "env"), "the workflow", out);
        for (const Job& job : jobs(doc)) {
            check_env(doc, get(job.node, "env"), job.label(), out);
            for (const Step& step : job.steps) check_env(doc, step.env, step.label() + " of " + job.label(), out);
        }
    }

private:
    static void check_env(const Document& doc, const yaml::Node* env, const std::string& where, Reporter& out) {
        if (env == nullptr || !env->is_mapping()) return;
        for (const auto& p : env->pairs) {
            if (p.key == nullptr || !p.key->is_scalar() || p.key->text != "ACTIONS_ALLOW_UNSECURE_COMMANDS") continue;
            const std::string value = util::to_lower(util::trim(scalar_text(p.value)));
            if (value.empty() || value == "false" || value == "0") continue;
            out.report(doc, p.key,
                       where + " sets ACTIONS_ALLOW_UNSECURE_COMMANDS: " + std::string(scalar_text(p.value)) +
                           ", re-enabling the ::set-env:: and ::add-path:: commands");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaInsecureCommands);

}  // namespace coconut::policy::rules::github
