// GHA-UNPINNED-ACTION: `uses: owner/repo@v4` runs whatever the tag or branch points to today;
// only a full commit SHA is immutable.
#include <cctype>
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

bool full_sha(std::string_view ref) {
    if (ref.size() != 40) return false;
    for (char c : ref)
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
    return true;
}

// Why `uses` is not pinned; empty when it is (or is local).
std::string unpinned(std::string_view uses, std::string_view what) {
    if (uses.empty() || util::starts_with(uses, "./")) return {};
    if (util::starts_with(uses, "docker://")) {
        if (uses.size() == 9 || uses.find("@sha256:") != std::string_view::npos) return {};
        return "docker image " + std::string(uses.substr(9)) + " is not pinned by digest";
    }
    const auto at = uses.rfind('@');
    // Not a valid remote reference (no owner or no ref): GitHub rejects the workflow.
    if (at == std::string_view::npos || at == 0 || at + 1 == uses.size()) return {};
    const std::string_view ref = uses.substr(at + 1);
    if (full_sha(ref)) return {};
    return std::string(what) + " " + std::string(uses.substr(0, at)) + " is pinned to \"" + std::string(ref) +
           "\", not to a full commit SHA";
}

RuleInfo unpinned_info() {
    RuleInfo r = workflow_rule("GHA-UNPINNED-ACTION", "Action not pinned to a full commit SHA", Severity::Medium);
    r.description =
        "A step's `uses: owner/repo@v4` (or a job's reusable workflow `uses: owner/repo/.github/workflows/"
        "x.yml@main`) runs whatever commit the tag or branch points to when the workflow runs. Tags and "
        "branches are mutable: whoever controls the action's repository (or steals its maintainer's token, as "
        "in the tj-actions/changed-files compromise) can change the code that runs with this workflow's "
        "secrets and GITHUB_TOKEN. Only a full 40-character commit SHA is immutable. Local actions (`./…`) "
        "pass; `docker://` images must be pinned by digest (`@sha256:…`).";
    r.remediation =
        "Pin to the commit SHA and keep the version in a comment for humans and Dependabot/Renovate: "
        "`uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`.";
    // Not Scorecard's Pinned-Dependencies: a repository score over images, downloads and packages too.
    r.aliases = {"zizmor:unpinned-uses"};
    r.compliance = {cref("soc2", "CC8.1"), cref("soc2", "CC6.8")};
    return r;
}

class GhaUnpinnedAction : public BasicRule {
public:
    GhaUnpinnedAction() : BasicRule(unpinned_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const Job& job : jobs(doc)) {
            const yaml::Node* uses = get(job.node, "uses");
            if (const std::string why = unpinned(scalar_text(uses), "reusable workflow"); !why.empty())
                out.report(doc, uses, why + " in " + job.label());
            for (const Step& step : job.steps)
                if (const std::string why = unpinned(scalar_text(step.uses), "action"); !why.empty())
                    out.report(doc, step.uses, why + " in " + step.label() + " of " + job.label());
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaUnpinnedAction);

}  // namespace coconut::policy::rules::github
