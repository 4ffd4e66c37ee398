// GHA-SELF-HOSTED-PUBLIC: a self-hosted runner in a workflow that outsiders can trigger (fork
// pull requests, issues, comments) runs their code on a machine that persists between jobs and
// sits inside the organisation's network.
#include <string>
#include <vector>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

bool self_hosted_label(const yaml::Node* n) {
    return n != nullptr && n->is_scalar() && util::to_lower(util::trim(n->text)) == "self-hosted";
}

// The node naming the self-hosted label in `runs-on` (a label, a list of labels, or
// {labels: …}); `${{ matrix.x }}` is resolved against the job's strategy.matrix.x.
const yaml::Node* self_hosted(const yaml::Node* runs_on, const yaml::Node* job) {
    if (runs_on == nullptr) return nullptr;
    if (runs_on->is_mapping()) return self_hosted(get(runs_on, "labels"), job);
    if (runs_on->is_sequence()) {
        for (const yaml::Node* item : runs_on->items)
            if (const yaml::Node* hit = self_hosted(item, job)) return hit;
        return nullptr;
    }
    if (self_hosted_label(runs_on)) return runs_on;
    for (const auto& e : expressions(runs_on->text))
        for (const auto& path : context_paths(e.body)) {
            if (!util::starts_with(path, "matrix.")) continue;
            const yaml::Node* values = get_path(job, {"strategy", "matrix"});
            values = get(values, path.substr(7));
            if (values != nullptr && values->is_sequence())
                for (const yaml::Node* v : values->items)
                    if (self_hosted(v, nullptr) != nullptr) return v;
        }
    return nullptr;
}

RuleInfo self_hosted_info() {
    RuleInfo r = workflow_rule("GHA-SELF-HOSTED-PUBLIC", "Self-hosted runner in a workflow outsiders can trigger",
                               Severity::High);
    r.description =
        "A job runs on a self-hosted runner (`runs-on: self-hosted`, a label list containing it, or a matrix "
        "value that does) in a workflow triggered by events people outside the repository cause: "
        "`pull_request` and `pull_request_target` (forks), `pull_request_review(_comment)`, `issues`, "
        "`issue_comment`, `discussion(_comment)`, `fork`, `watch`. Self-hosted runners are not ephemeral by "
        "default: code from a fork can persist on the machine, read other jobs' secrets and caches, and reach "
        "the internal network the runner lives in. GitHub recommends never using self-hosted runners with "
        "public repositories. Runner groups (`runs-on: {group: …}`) are not reported: they may be "
        "GitHub-hosted larger runners.";
    r.remediation =
        "Run jobs triggered by outsiders on GitHub-hosted runners (`runs-on: ubuntu-latest`), or on ephemeral, "
        "isolated self-hosted runners (just-in-time runners, actions-runner-controller with ephemeral pods) "
        "in a runner group restricted to this repository and these workflows.";
    // No alias: zizmor's self-hosted-runner (auditor persona) reports every self-hosted job, whatever
    // the triggers.
    r.compliance = {cref("soc2", "CC6.8"), cref("soc2", "CC6.6")};
    return r;
}

class GhaSelfHostedPublic : public BasicRule {
public:
    GhaSelfHostedPublic() : BasicRule(self_hosted_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        std::vector<std::string> events;
        for (const auto& t : triggers(doc))
            if (is_public_trigger(t.event)) events.push_back(t.event);
        if (events.empty()) return;
        const std::string list = util::join(events, ", ");
        for (const Job& job : jobs(doc)) {
            const yaml::Node* hit = self_hosted(get(job.node, "runs-on"), job.node);
            if (hit == nullptr) continue;
            out.report(doc, hit,
                       job.label() + " runs on a self-hosted runner in a workflow triggered by " + list +
                           ", which people outside the repository can cause");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaSelfHostedPublic);

}  // namespace coconut::policy::rules::github
