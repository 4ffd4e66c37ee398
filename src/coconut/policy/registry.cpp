// Rule registry, enum names and the Reporter.
#include <algorithm>
#include <stdexcept>

#include "coconut/policy/inputs/kubernetes.hpp"
#include "coconut/policy/rule.hpp"

namespace coconut::policy {

const char* to_string(PssLevel level) {
    switch (level) {
        case PssLevel::None: return "none";
        case PssLevel::Baseline: return "baseline";
        case PssLevel::Restricted: return "restricted";
    }
    return "none";
}

const char* to_string(InputType t) { return t.name(); }

const char* to_string(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Low: return "low";
        case Severity::Medium: return "medium";
        case Severity::High: return "high";
        case Severity::Critical: return "critical";
    }
    return "medium";
}

std::optional<Severity> parse_severity(std::string_view s) {
    if (s == "info") return Severity::Info;
    if (s == "low") return Severity::Low;
    if (s == "medium") return Severity::Medium;
    if (s == "high") return Severity::High;
    if (s == "critical") return Severity::Critical;
    return std::nullopt;
}

RuleInfo rule_info(std::string id, std::string title, Severity severity, InputType input,
                   std::vector<std::string> kinds) {
    RuleInfo info;
    info.id = std::move(id);
    info.title = std::move(title);
    info.severity = severity;
    info.input = input;
    info.kinds = std::move(kinds);
    return info;
}

RuleInfo documented(RuleInfo info, std::string description, std::string remediation, std::vector<std::string> aliases,
                    std::vector<ComplianceRef> compliance) {
    info.description = std::move(description);
    info.remediation = std::move(remediation);
    info.aliases = std::move(aliases);
    info.compliance = std::move(compliance);
    if (info.compliance.empty()) info.no_compliance_reason = k_hygiene;
    return info;
}

ComplianceRef cref(std::string framework, std::string control) {
    return ComplianceRef{std::move(framework), std::move(control)};
}

std::string Document::object_ref() const {
    if (input != inputs::k_kubernetes) return {};
    return kind + "/" + ns + "/" + name;
}

void Reporter::report(const Document& doc, const yaml::Node* at, std::string message) {
    const yaml::Node* node = at != nullptr ? at : doc.root;
    report_at(doc, node != nullptr ? node->start : yaml::Mark{}, std::move(message));
}

void Reporter::report_at(const Document& doc, yaml::Mark mark, std::string message) {
    Finding f;
    f.rule = m_rule->id;
    f.aliases = m_rule->aliases;
    f.severity = m_rule->severity;
    f.file = doc.file != nullptr ? doc.file->path : std::string();
    f.mark = mark;
    f.object = doc.object_ref();
    f.message = std::move(message);
    m_sink->push_back(std::move(f));
}

RuleRegistry& RuleRegistry::instance() {
    static RuleRegistry registry;
    return registry;
}

void RuleRegistry::add(std::unique_ptr<Rule> rule) {
    const std::string& id = rule->info().id;
    for (const auto& existing : m_rules)
        if (existing->info().id == id) throw std::logic_error("duplicate policy rule id: " + id);
    m_rules.push_back(std::move(rule));
}

const Rule* RuleRegistry::find(std::string_view id) const {
    for (const auto& r : m_rules)
        if (r->info().id == id) return r.get();
    for (const auto& r : m_rules)
        for (const auto& alias : r->info().aliases)
            if (alias == id) return r.get();
    return nullptr;
}

std::vector<const Rule*> RuleRegistry::all() const {
    std::vector<const Rule*> out;
    out.reserve(m_rules.size());
    for (const auto& r : m_rules) out.push_back(r.get());
    std::sort(out.begin(), out.end(), [](const Rule* a, const Rule* b) { return a->info().id < b->info().id; });
    return out;
}

}  // namespace coconut::policy
