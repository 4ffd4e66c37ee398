// GHA-WRITE-ALL and GHA-PERMISSIONS-MISSING: the GITHUB_TOKEN's permissions. `write-all` grants
// every scope; no `permissions:` at all leaves the repository's default, which is read/write on
// everything for repositories and organisations created before February 2023.
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"

namespace coconut::policy::rules::github {
namespace {

RuleInfo write_all_info() {
    RuleInfo r = workflow_rule("GHA-WRITE-ALL", "GITHUB_TOKEN granted write-all permissions", Severity::High);
    r.description =
        "`permissions: write-all` (at the workflow or a job) gives the job's GITHUB_TOKEN write access to "
        "every scope: contents, packages, actions, deployments, pull requests, security events, id-token… "
        "Any step that is compromised (a hijacked action, an injected script) can push code, publish "
        "packages, approve pull requests or rewrite releases.";
    r.remediation =
        "Set `permissions: {contents: read}` at the top of the workflow and grant each job only the scopes it "
        "needs (`permissions: {contents: read, packages: write}`).";
    // No alias: Checkov's CKV2_GHA_1 also reports workflows without top-level permissions (it reads
    // them as write-all) and zizmor's excessive-permissions also reports default and broad scopes.
    r.compliance = {cref("soc2", "CC6.1"), cref("soc2", "CC6.8")};
    return r;
}

class GhaWriteAll : public BasicRule {
public:
    GhaWriteAll() : BasicRule(write_all_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const yaml::Node* top = get(doc.root, "permissions");
        if (scalar_text(top) == "write-all")
            out.report(doc, top, "the workflow grants every job's GITHUB_TOKEN permissions: write-all");
        for (const Job& job : jobs(doc)) {
            const yaml::Node* perms = get(job.node, "permissions");
            if (scalar_text(perms) == "write-all")
                out.report(doc, perms, job.label() + " grants its GITHUB_TOKEN permissions: write-all");
        }
    }
};

RuleInfo missing_info() {
    RuleInfo r = workflow_rule("GHA-PERMISSIONS-MISSING", "GITHUB_TOKEN permissions not declared", Severity::Medium);
    r.description =
        "Neither the workflow nor the job declares `permissions:`, so the job's GITHUB_TOKEN gets the "
        "repository's default permissions, which are read/write on every scope for repositories and "
        "organisations created before February 2023 (and for any that changed the setting). The workflow's "
        "privileges then depend on a setting outside the repository, and every step runs with write access "
        "it does not need. Reported at each job that inherits the default. Workflows triggered only by "
        "`workflow_call` are skipped: a called workflow's token is bounded by its caller's.";
    r.remediation =
        "Add `permissions: {contents: read}` (or `permissions: {}`) at the top of the workflow and widen it "
        "per job where needed.";
    // No alias: Scorecard's Token-Permissions is a repository score over top-level and job writes.
    r.compliance = {cref("soc2", "CC6.1")};
    return r;
}

class GhaPermissionsMissing : public BasicRule {
public:
    GhaPermissionsMissing() : BasicRule(missing_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (get(doc.root, "permissions") != nullptr) return;
        const auto events = triggers(doc);
        if (events.size() == 1 && events.front().event == "workflow_call") return;
        for (const Job& job : jobs(doc)) {
            if (get(job.node, "permissions") != nullptr) continue;
            out.report(doc, job.key,
                       job.label() +
                           " runs with the repository's default GITHUB_TOKEN permissions: neither the workflow "
                           "nor the job declares permissions");
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaWriteAll);
COCONUT_REGISTER_RULE(GhaPermissionsMissing);

}  // namespace coconut::policy::rules::github
