#pragma once
// `coconut rules list|show`: the built-in rule catalogue.
#include <string>
#include <vector>

#include "coconut/policy/rule.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

class RulesAction {
public:
    // Every registered rule, in registry order.
    [[nodiscard]] std::vector<const policy::RuleInfo*> list() const;
    // One rule by id or alias (e.g. "hadolint:DL3002"); Usage error naming 'coconut rules list'.
    [[nodiscard]] util::Expected<const policy::RuleInfo*> show(const std::string& id) const;
};

}  // namespace coconut::actions
