#pragma once
// A finding: one rule violated at one position. Positions are 1-based; for a missing field
// they point at the parent node.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::policy {

enum class Severity : std::uint8_t { Info, Low, Medium, High, Critical };
const char* to_string(Severity s);                       // "info" ... "critical"
std::optional<Severity> parse_severity(std::string_view s);

struct Finding {
    std::string rule;                  // rule id, or "policy/rule" for custom (Kyverno) policies
    std::vector<std::string> aliases;  // "tool:check"
    Severity severity = Severity::Medium;
    std::string file;                  // SourceFile::path
    yaml::Mark mark;                   // {0,0} only when the file itself is the subject
    std::string object;                // Document::object_ref(), empty for non-Kubernetes
    std::string message;
    // Set when a suppression matched (the finding is kept for the summary and SARIF, but
    // neither printed in text nor counted for --fail-on).
    bool suppressed = false;
    std::string suppression;           // "annotation", "comment", "spec", "flag"
    std::string suppression_reason;
};

struct RuleInfo;

// Collects findings of one rule run. Rules call report(); the engine fills in the metadata.
class Reporter {
public:
    Reporter(std::vector<Finding>& sink, const RuleInfo& rule) : m_sink(&sink), m_rule(&rule) {}
    // At `at` (the offending node; for a missing field its parent). Null `at` -> the document root.
    void report(const Document& doc, const yaml::Node* at, std::string message);
    void report_at(const Document& doc, yaml::Mark mark, std::string message);

private:
    std::vector<Finding>* m_sink;
    const RuleInfo* m_rule;
};

}  // namespace coconut::policy
