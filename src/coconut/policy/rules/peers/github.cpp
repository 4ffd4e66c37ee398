// The GitHub workflow peers: zizmor's audits (crates/zizmor/src/audit/<audit>.rs). Checkov's
// workflow checks are in checkov.cpp.
//
// Checked and not aliased, because the conditions differ:
//   zizmor artipacked reports every checkout without persist-credentials: false (GHA-CHECKOUT-
//     PERSIST-CREDENTIALS only where the token can leak: with uploads, in pull_request_target or
//     workflow_run workflows); zizmor self-hosted-runner (auditor persona) reports every self-hosted
//     job, whatever the triggers; zizmor excessive-permissions also reports default and broad
//     scopes, not only write-all; zizmor template-injection grades every expression in a script
//     (inputs, env, steps outputs), not only attacker-controlled contexts;
//   OpenSSF Scorecard's Token-Permissions, Dangerous-Workflow and Pinned-Dependencies are
//     repository scores, each over more than one rule's condition (Pinned-Dependencies also
//     covers images, downloads and package installs);
//   actionlint's expression rule reports every kind of expression error, untrusted input only one.
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> github_peers() {
    const Peer zizmor{"zizmor", "zizmorcore/zizmor@11bbf7e"};
    return table(zizmor,
                 {
                     {"insecure-commands", "crates/zizmor/src/audit/insecure_commands.rs",
                      "Reports ACTIONS_ALLOW_UNSECURE_COMMANDS set to a true value (C# boolean) in the env of the "
                      "workflow, of a job, of a run step or of a composite action's run step; an env that is a whole "
                      "expression is an auditor-persona finding.",
                      "coconut also checks the env of uses: steps (an action's own workflow commands are just as "
                      "exposed) and reads any value other than empty, false and 0 as enabling."},
                     {"unpinned-uses",
                      "crates/zizmor/src/audit/unpinned_uses.rs, crates/zizmor/src/config/mod.rs (default policy)",
                      "Reports, under the default policy (hash-pin for every owner), every repository uses: of a step "
                      "or reusable workflow not pinned to a full commit SHA; local actions are skipped and docker:// "
                      "images are left to the separate unpinned-images audit.",
                      "coconut also reports docker:// step images without a digest, which zizmor reports as "
                      "unpinned-images."},
                 });
}

}  // namespace coconut::policy::rules::peers
