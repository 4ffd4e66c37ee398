#include "coconut/policy/rules/peers/evidence.hpp"

#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> table(const Peer& peer, std::initializer_list<Row> rows) {
    std::vector<AliasEvidence> out;
    out.reserve(rows.size());
    for (const Row& row : rows)
        out.push_back(AliasEvidence{std::string(peer.tool) + ":" + row.check, std::string(peer.repo) + " " + row.files,
                                    row.checks, row.differs});
    return out;
}

// A function-local static: rules_doc and the tests read it after static initialisation, but the
// tables are plain functions so the order of translation units never matters.
const std::vector<AliasEvidence>& all() {
    static const std::vector<AliasEvidence> entries = [] {
        std::vector<AliasEvidence> out;
        for (auto part : {kube_linter(), checkov(), kube_score(), polaris(), hadolint(), dockerfilelint(),
                          ansible_lint(), github_peers()})
            out.insert(out.end(), part.begin(), part.end());
        return out;
    }();
    return entries;
}

const AliasEvidence* find(std::string_view alias) {
    for (const AliasEvidence& e : all())
        if (e.alias == alias) return &e;
    return nullptr;
}

}  // namespace coconut::policy::rules::peers
