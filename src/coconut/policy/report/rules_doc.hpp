#pragma once
// The rule catalogue as data and as docs/rules.md (generated; CI fails when stale).
#include <string>

#include <nlohmann/json.hpp>

#include "coconut/policy/rule.hpp"

namespace coconut::policy::report {

nlohmann::ordered_json rule_json(const RuleInfo& info);
nlohmann::ordered_json rules_json();
std::string rule_text(const RuleInfo& info);   // `coconut rules show ID`
std::string rules_markdown();                  // docs/rules.md

}  // namespace coconut::policy::report
