#pragma once
// The peer tables behind evidence.hpp: one function per peer tool (rules/peers/<peer>.cpp).
#include <initializer_list>
#include <vector>

#include "coconut/policy/rules/peers/evidence.hpp"

namespace coconut::policy::rules::peers {

// A peer tool: the prefix of its aliases and the repository revision its files were read at.
struct Peer {
    const char* tool;  // "kube-linter"
    const char* repo;  // "stackrox/kube-linter@35de568"
};

// One row of a peer's table: the check name (alias without the tool prefix), the files (or pages)
// that define it, what it reports, and how the coconut rule differs ("" when it does not).
struct Row {
    const char* check;
    const char* files;
    const char* checks;
    const char* differs = "";
};

// The entries of `rows`, aliases prefixed with peer.tool and sources with peer.repo.
std::vector<AliasEvidence> table(const Peer& peer, std::initializer_list<Row> rows);

std::vector<AliasEvidence> kube_linter();
std::vector<AliasEvidence> checkov();
std::vector<AliasEvidence> kube_score();
std::vector<AliasEvidence> polaris();
std::vector<AliasEvidence> hadolint();
std::vector<AliasEvidence> dockerfilelint();
std::vector<AliasEvidence> ansible_lint();
std::vector<AliasEvidence> github_peers();  // zizmor, OpenSSF Scorecard, actionlint

}  // namespace coconut::policy::rules::peers
