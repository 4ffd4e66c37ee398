#pragma once
// Policy rules (DESIGN §5): every built-in rule is one self-registering unit with its metadata
// (id, severity, remediation, aliases of the peer tools' equivalent checks, compliance mapping)
// and a check over normalised documents (document.hpp).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/policy/finding.hpp"

namespace coconut::policy {

// Pod Security Standards level a rule belongs to (None: not a PSS control).
enum class PssLevel : std::uint8_t { None, Baseline, Restricted };
const char* to_string(PssLevel level);

// A compliance framework control a rule helps satisfy.
//   framework: "cis-k8s" | "nsa" | "soc2" | "hipaa" | "gdpr"
//   control:   "5.2.2", "Pod security", "CC6.1", "164.312(a)(1)", "Art. 32(1)(b)"
struct ComplianceRef {
    std::string framework;
    std::string control;
};

struct RuleInfo {
    std::string id;             // stable, ours: "K8S-PRIVILEGED", "DF-USER-ROOT", "ANS-FQCN", ...
    std::string title;          // one line
    Severity severity = Severity::Medium;
    InputType input;            // the reader whose documents it checks: inputs::k_kubernetes, ...
    // Document kinds the rule applies to (Document::kind); empty: every document of `input`.
    std::vector<std::string> kinds;
    std::string description;    // what and why (markdown allowed, a paragraph)
    std::string remediation;    // how to fix
    // Equivalent checks of peer tools, "tool:check": "kube-linter:privileged-container",
    // "kube-score:...", "checkov:CKV_K8S_16", "polaris:...", "hadolint:DL3002", "ansible-lint:fqcn".
    std::vector<std::string> aliases;
    std::vector<ComplianceRef> compliance;
    std::string no_compliance_reason;   // required when `compliance` is empty
    PssLevel pss = PssLevel::None;      // PSS controls are switched by --profile
};

// Building a rule's RuleInfo (each rule family wraps these: k8s_rule, dockerfile_rule,
// ansible_rule, copilot_rule, workflow_rule).
// The skeleton: id, title, severity, the input it checks and the kinds (empty: all of them).
RuleInfo rule_info(std::string id, std::string title, Severity severity, InputType input,
                   std::vector<std::string> kinds = {});
// The reason of a rule that helps no compliance control: plain hygiene.
inline constexpr const char* k_hygiene = "code hygiene; no control requires it";
// `info` with its documentation; no_compliance_reason k_hygiene unless compliance is given.
RuleInfo documented(RuleInfo info, std::string description, std::string remediation,
                    std::vector<std::string> aliases, std::vector<ComplianceRef> compliance = {});
// A compliance mapping entry: cref("soc2", "CC6.1").
ComplianceRef cref(std::string framework, std::string control);

struct CheckContext;

class Rule {
public:
    virtual ~Rule() = default;
    [[nodiscard]] virtual const RuleInfo& info() const = 0;
    // Called for every document whose input and kind match info(). Cross-document rules
    // (Service selectors, HPA targets, NetworkPolicy coverage) look at ctx.documents.
    virtual void check(const Document& doc, const CheckContext& ctx, Reporter& out) const = 0;
};

// Convenience base: holds the RuleInfo built in the derived constructor.
class BasicRule : public Rule {
public:
    explicit BasicRule(RuleInfo info) : m_info(std::move(info)) {}
    [[nodiscard]] const RuleInfo& info() const override { return m_info; }

private:
    RuleInfo m_info;
};

class RuleRegistry {
public:
    static RuleRegistry& instance();
    void add(std::unique_ptr<Rule> rule);          // a duplicate id is a programming error (throws)
    [[nodiscard]] const Rule* find(std::string_view id) const;   // by id or by alias
    [[nodiscard]] std::vector<const Rule*> all() const;          // sorted by id

private:
    std::vector<std::unique_ptr<Rule>> m_rules;
};

template <class R>
struct RuleRegistration {
    RuleRegistration() { RuleRegistry::instance().add(std::make_unique<R>()); }
};

// In a rule's .cpp: COCONUT_REGISTER_RULE(PrivilegedContainer);
#define COCONUT_REGISTER_RULE(Class) \
    static const ::coconut::policy::RuleRegistration<Class> coconut_rule_##Class{}

}  // namespace coconut::policy
