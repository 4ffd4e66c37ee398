// GHA-PR-TARGET-CHECKOUT: a workflow that runs with the base repository's secrets and a
// write token (`pull_request_target`, `workflow_run`, `issue_comment`) and checks out the pull
// request's code runs the attacker's code with those privileges ("pwn request").
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

// The contexts that name the untrusted head of a pull request (or of the run that triggered a
// workflow_run).
bool head_context(std::string_view path) {
    for (const char* p : {"github.event.pull_request.head.sha", "github.event.pull_request.head.ref",
                          "github.event.pull_request.merge_commit_sha", "github.head_ref",
                          "github.event.pull_request.head.repo.full_name", "github.event.workflow_run.head_sha",
                          "github.event.workflow_run.head_branch", "github.event.workflow_run.head_commit.id",
                          "github.event.workflow_run.head_repository.full_name"})
        if (path == p) return true;
    return false;
}

// What in `value` points at the pull request's head; empty when nothing does.
std::string head_reference(std::string_view value) {
    for (const auto& e : expressions(value))
        for (const auto& path : context_paths(e.body))
            if (head_context(path)) return path;
    if (value.find("refs/pull/") != std::string_view::npos) return "refs/pull/…";
    return {};
}

// `if:` conditions that restrict the job or step to pull requests from the repository itself.
bool same_repo_guard(const yaml::Node* cond) {
    const std::string c = util::to_lower(scalar_text(cond));
    return (c.find("head.repo.full_name == github.repository") != std::string::npos) ||
           (c.find("github.repository == github.event.pull_request.head.repo.full_name") != std::string::npos) ||
           (c.find("head.repo.fork == false") != std::string::npos) ||
           (c.find("!github.event.pull_request.head.repo.fork") != std::string::npos);
}

RuleInfo pr_target_info() {
    RuleInfo r =
        workflow_rule("GHA-PR-TARGET-CHECKOUT", "Privileged workflow checks out pull request code", Severity::Critical);
    r.description =
        "`pull_request_target`, `workflow_run` and `issue_comment` workflows run in the context of the base "
        "repository: with its secrets and a GITHUB_TOKEN that can write, even when a fork triggered them. "
        "Checking out the pull request's head (`actions/checkout` with `ref: ${{ github.event.pull_request."
        "head.sha }}`, `.head.ref`, `github.head_ref`, `refs/pull/N/merge`, the workflow_run's `head_sha` or "
        "`head_branch`, or `repository:` of the head repository) and then building or testing it executes "
        "code from the fork with those privileges: build scripts, package manager hooks and test files are "
        "all attacker-controlled. Jobs and steps guarded by `if: github.event.pull_request.head.repo."
        "full_name == github.repository` (same-repository pull requests only) pass.";
    r.remediation =
        "Use the `pull_request` trigger for anything that runs the pull request's code (it gets no secrets and "
        "a read-only token for forks). If a privileged follow-up is needed, split it: build in `pull_request`, "
        "upload the result as an artifact, and consume the artifact (as data, never executing it) in a "
        "`workflow_run` workflow.";
    // No alias: Scorecard's Dangerous-Workflow is a repository score that also covers script injection.
    r.compliance = {cref("soc2", "CC6.8"), cref("soc2", "CC8.1"), cref("soc2", "CC6.1")};
    return r;
}

class GhaPrTargetCheckout : public BasicRule {
public:
    GhaPrTargetCheckout() : BasicRule(pr_target_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const std::string trigger = first_trigger(doc, {"pull_request_target", "workflow_run", "issue_comment"});
        if (trigger.empty()) return;
        for (const Job& job : jobs(doc)) {
            if (same_repo_guard(get(job.node, "if"))) continue;
            for (const Step& step : job.steps) {
                if (step.action() != "actions/checkout" || same_repo_guard(get(step.node, "if"))) continue;
                for (const char* input : {"ref", "repository"}) {
                    const yaml::Node* value = get(step.with, input);
                    const std::string what = head_reference(scalar_text(value));
                    if (what.empty()) continue;
                    out.report(doc, value,
                               step.label() + " of " + job.label() + " checks out the pull request's code (" + input +
                                   ": " + what + ") in a " + trigger +
                                   " workflow that runs with the repository's "
                                   "secrets and write token");
                    break;
                }
            }
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaPrTargetCheckout);

}  // namespace coconut::policy::rules::github
