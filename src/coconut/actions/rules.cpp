#include "coconut/actions/rules.hpp"

#include "coconut/util/strings.hpp"

namespace coconut::actions {

std::vector<const policy::RuleInfo*> RulesAction::list() const {
    std::vector<const policy::RuleInfo*> out;
    for (const policy::Rule* r : policy::RuleRegistry::instance().all()) out.push_back(&r->info());
    return out;
}

util::Expected<const policy::RuleInfo*> RulesAction::show(const std::string& id) const {
    const policy::Rule* rule = policy::RuleRegistry::instance().find(id);
    if (rule == nullptr) return util::fail(util::ErrorCode::Usage, "unknown rule '" + id + "' (see 'coconut rules list')");
    return &rule->info();
}

}  // namespace coconut::actions
