#pragma once
// Evidence for the aliases of the rules (RuleInfo::aliases): an alias `tool:check` claims that the
// peer tool's check reports what the rule reports, so a suppression or a coverage comparison
// written for the peer means the same here. Each alias is backed by one entry that names where
// the peer defines the check (its own source or generated documentation, at the revision read),
// what the check reports there, and every way the rule differs from it.
//
// The contract (docs/rules.md says it to readers): on the objects both tools examine, the rule
// (or, for an alias on several rules, their union) reports exactly what the peer's check reports.
// Tolerated differences, each spelled out in `differs`: kinds or container lists one side does not
// examine; inputs the peer cannot express (newer fields, v1beta1 objects); a cross-object rule's
// presumption that a kind absent from the input lives elsewhere; a value the API server treats as
// unset; a case the peer's implementation misses although its own description covers it; and a
// case the peer reports although it is not true of the manifest (a liveness probe on a pod that
// is never restarted). A different threshold, a different set of allowed values or an extra
// condition is not tolerated: such an alias is dropped (or the peer's check gets its own rule).
//
// The tables live in rules/peers/<peer>.cpp, one per peer tool; a meta-test checks that every
// alias of every registered rule has exactly one entry and every entry backs some alias.
#include <string>
#include <string_view>
#include <vector>

namespace coconut::policy::rules::peers {

struct AliasEvidence {
    std::string alias;    // "kube-linter:privileged-container"
    std::string source;   // "stackrox/kube-linter@35de568 pkg/templates/privileged/template.go"
    std::string checks;   // what the peer's check reports, in its own terms
    std::string differs;  // how the rule differs; empty when it reports exactly that
};

// Every entry of every peer table, in table order.
const std::vector<AliasEvidence>& all();

// The entry for `alias`, or nullptr.
const AliasEvidence* find(std::string_view alias);

}  // namespace coconut::policy::rules::peers
