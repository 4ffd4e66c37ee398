// GHA-CHECKOUT-PERSIST-CREDENTIALS: actions/checkout stores the GITHUB_TOKEN in .git/config
// unless `persist-credentials: false`. Reported where that token can leak or be abused: jobs
// that upload an artifact (the checkout, .git included, often goes into it — "ArtiPACKED"), and
// privileged workflows (pull_request_target, workflow_run) where later steps handle untrusted code.
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

RuleInfo persist_info() {
    RuleInfo r = workflow_rule("GHA-CHECKOUT-PERSIST-CREDENTIALS", "Checkout persists the token where it can leak",
                               Severity::Medium);
    r.description =
        "`actions/checkout` writes the job's GITHUB_TOKEN into `.git/config` (as an extraheader) unless "
        "`persist-credentials: false`, so every later step, and anything that packages the working "
        "directory, can read it. The rule reports checkouts that keep the token in jobs that also upload an "
        "artifact (`actions/upload-artifact`, `actions/upload-pages-artifact`: uploading the checkout "
        "directory publishes the token with it, the \"ArtiPACKED\" leak) and in `pull_request_target` or "
        "`workflow_run` workflows, whose write token must not be reachable by the untrusted code they handle. "
        "Jobs that need the token for `git push` should pass it explicitly instead.";
    r.remediation =
        "Add `with: {persist-credentials: false}` to the checkout step; steps that must push can use "
        "`git push https://x-access-token:${GITHUB_TOKEN}@github.com/…` with the token in `env:`.";
    // No alias: zizmor's artipacked reports every checkout that keeps the token, uploads or not.
    r.compliance = {cref("soc2", "CC6.1")};
    return r;
}

class GhaCheckoutPersistCredentials : public BasicRule {
public:
    GhaCheckoutPersistCredentials() : BasicRule(persist_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const std::string privileged = first_trigger(doc, {"pull_request_target", "workflow_run"});
        for (const Job& job : jobs(doc)) {
            std::string uploader;
            for (const Step& step : job.steps) {
                const std::string a = step.action();
                if (a == "actions/upload-artifact" || a == "actions/upload-pages-artifact") {
                    uploader = a;
                    break;
                }
            }
            if (uploader.empty() && privileged.empty()) continue;
            for (const Step& step : job.steps) {
                if (step.action() != "actions/checkout") continue;
                const yaml::Node* persist = get(step.with, "persist-credentials");
                if (util::to_lower(util::trim(scalar_text(persist))) == "false") continue;
                const std::string why = !uploader.empty() ? "the job uploads an artifact with " + uploader
                                                          : "the workflow runs on " + privileged;
                out.report(doc, persist != nullptr ? persist : step.uses,
                           step.label() + " of " + job.label() +
                               " leaves the GITHUB_TOKEN in .git/config (persist-credentials is not false) and " + why);
            }
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaCheckoutPersistCredentials);

}  // namespace coconut::policy::rules::github
