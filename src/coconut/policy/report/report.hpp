#pragma once
// Reports of `coconut check`: text (grouped by file, colour on a TTY), JSON (the contract in
// docs/check.md), SARIF 2.1.0 and JUnit XML; plus the compliance view (--compliance).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/policy/finding.hpp"
#include "coconut/policy/rule.hpp"

namespace coconut::policy::report {

struct Summary {
    std::size_t files = 0;
    std::size_t documents = 0;
    std::size_t rules = 0;          // rules that ran (profile applied)
    std::size_t bytes = 0;
    std::map<Severity, std::size_t> by_severity;   // unsuppressed findings only
    std::size_t total = 0;          // unsuppressed
    std::size_t suppressed = 0;
    Severity fail_on = Severity::Low;
    bool failed = false;            // a finding at or above fail_on exists
};

Summary summarize(const std::vector<Finding>& findings, Severity fail_on);

struct TextOptions {
    bool color = false;
};
std::string text(const std::vector<Finding>& findings, const Summary& summary, const TextOptions& options);

nlohmann::ordered_json json(const std::vector<Finding>& findings, const Summary& summary);

struct SarifOptions {
    // Absolute paths: the directory finding paths are relative to (the working directory), and
    // the repository root (the git top level, or the working directory outside git). Artifact
    // URIs are RFC 3986 relative references to the root, normalised and percent-encoded, so
    // GitHub code scanning places every result; a file outside the root gets an absolute file:
    // URI. Empty: paths are taken as they are, relative to the root.
    std::string working_dir;
    std::string root_dir;
};
// The SARIF artifact URI of `file` (see SarifOptions); `relative` tells whether it is relative
// to the root (%SRCROOT%).
std::string sarif_uri(const std::string& file, const SarifOptions& options, bool& relative);
// Percent-encodes every byte but RFC 3986 unreserved characters and '/' (non-UTF-8 bytes too).
std::string percent_encode_path(std::string_view path);

nlohmann::ordered_json sarif(const std::vector<Finding>& findings, const SarifOptions& options);

std::string junit(const std::vector<Finding>& findings, const Summary& summary);

// --compliance FRAMEWORK: every control of the framework that a rule maps to, the rules behind
// it, and pass/fail (fail: an unsuppressed finding of one of its rules).
struct ControlStatus {
    std::string control;
    std::vector<std::string> rules;
    std::size_t findings = 0;
    [[nodiscard]] bool passed() const { return findings == 0; }
};
struct ComplianceReport {
    std::string framework;
    std::string title;
    std::vector<ControlStatus> controls;   // sorted by control id
};
// Known frameworks: cis-k8s, nsa, soc2, hipaa, gdpr. Empty title: unknown framework.
const std::vector<std::pair<std::string, std::string>>& frameworks();   // id -> title
ComplianceReport compliance(const std::string& framework, const std::vector<Finding>& findings);
std::string compliance_text(const ComplianceReport& report, bool color);
nlohmann::ordered_json compliance_json(const ComplianceReport& report);

}  // namespace coconut::policy::report
