#pragma once
// The policy engine: load inputs into Documents, run every applicable rule, apply
// suppressions, return findings sorted by file and position.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/policy/document.hpp"
#include "coconut/policy/finding.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::policy {

// Ids of the engine's own findings.
inline constexpr const char* k_parse_rule = "PARSE-ERROR";               // unparsable input
inline constexpr const char* k_unreadable_rule = "INPUT-UNREADABLE";     // a file or directory that cannot be read
inline constexpr const char* k_unknown_rule = "INPUT-UNKNOWN";           // valid input of no known kind
inline constexpr const char* k_helm_template_rule = "INPUT-HELM-TEMPLATE";   // a chart's templates, skipped
inline constexpr const char* k_suppression_rule = "SUPPRESSION-NO-REASON";

// Bounds on what one file can produce, so hostile input cannot exhaust memory or drown a
// report: the first k_max_parse_findings parse errors of a file, then one summary finding; the
// first k_max_findings_per_rule findings of one rule in one file, then one summary finding.
inline constexpr std::size_t k_max_parse_findings = 20;
inline constexpr std::size_t k_max_findings_per_rule = 200;

// A run that cannot go on (memory exhausted, a rule threw): names the file and what failed.
class CheckAborted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CheckContext {
    const std::vector<Document>& documents;
    PssLevel profile = PssLevel::Restricted;
    // Kubernetes documents of one kind (e.g. "Service"), in input order.
    [[nodiscard]] const std::vector<const Document*>& of_kind(std::string_view kind) const;

    std::map<std::string, std::vector<const Document*>, std::less<>> by_kind;

    // Derived data several rules share (e.g. the pod view of every workload), built once per
    // run on first use instead of once per document: keeps cross-document rules linear.
    template <class T, class Make>
    const T& memo(const std::string& key, Make&& make) const {
        auto it = memo_store.find(key);
        if (it == memo_store.end()) it = memo_store.emplace(key, std::make_shared<const T>(make())).first;
        return *static_cast<const T*>(it->second.get());
    }
    mutable std::map<std::string, std::shared_ptr<const void>, std::less<>> memo_store;
};

// Everything the documents point into. Not copyable; documents stay valid for its lifetime.
class Inputs {
public:
    Inputs();
    ~Inputs();
    Inputs(const Inputs&) = delete;
    Inputs& operator=(const Inputs&) = delete;

    // Adds one file's content. Detects the input type by name and content; unrecognised
    // content is ignored when `explicit_file` is false (directory walk), and an INPUT-UNKNOWN
    // finding otherwise. Binary or unparsable content is a PARSE-ERROR finding. Memory
    // exhaustion while reading it is recorded as error() (naming the file); nothing more is added.
    void add_text(std::string path, std::string text, bool explicit_file = true);
    // A file or a directory (recursing, honouring .gitignore files, skipping .git); "-" is stdin.
    // Directory symlinks are not followed unless `follow_symlinks` (then with (device, inode)
    // loop detection, every file read once). A file or directory that cannot be read is an
    // INPUT-UNREADABLE finding and the walk goes on; a chart's templates/ directory is skipped
    // with one INPUT-HELM-TEMPLATE finding. Fails on a path that does not exist, and when
    // interrupted (SIGINT/SIGTERM) at the next file.
    util::Expected<void> add_path(const std::string& path, bool follow_symlinks = false);
    // Records that `path` could not be read (`reason`: the OS's words): an INPUT-UNREADABLE finding.
    void add_unreadable(const std::string& path, const std::string& reason);
    // Set when a file could not be taken in at all (memory exhausted): the run must stop.
    [[nodiscard]] const std::optional<util::Error>& error() const { return m_error; }

    [[nodiscard]] const std::vector<Document>& documents() const { return m_documents; }
    [[nodiscard]] const std::vector<Finding>& parse_findings() const { return m_parse_findings; }
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }
    [[nodiscard]] std::size_t file_count() const;

private:
    void add_yaml(const SourceFile& file, bool explicit_file);
    void add_text_unguarded(std::string path, std::string text, bool explicit_file);
    void add_finding(const char* rule, Severity severity, std::string file, yaml::Mark mark, std::string message);
    struct Storage;
    std::unique_ptr<Storage> m_storage;
    std::vector<Document> m_documents;
    std::vector<Finding> m_parse_findings;
    std::size_t m_bytes = 0;
    std::size_t m_unlisted_parse_errors = 0;   // of the file being added, beyond those added as findings
    std::optional<util::Error> m_error;
};

struct Exception {          // spec `policies.exceptions` and --ignore, after parsing
    std::string rule;       // id or alias
    std::string object;     // glob over "Kind/ns/name" or a file path; empty: everywhere
    std::string reason;
    std::string origin;     // "spec" | "flag"
};

struct CheckOptions {
    PssLevel profile = PssLevel::Restricted;   // Baseline: restricted-only PSS rules are off
    std::vector<Exception> exceptions;
    // Extra checkers run after the built-in rules (custom Kyverno policies, --schemas): each
    // appends findings about the documents. The engine does not know what they are.
    std::vector<std::function<void(const std::vector<Document>&, std::vector<Finding>&)>> extra;
};

// Runs all rules over `inputs`; findings sorted by (file, line, column, rule), at most
// k_max_findings_per_rule of one rule in one file (then a summary finding). Stops at the next
// document when interrupted (the caller reports the interruption). Throws CheckAborted naming
// the file when memory runs out or a rule throws.
std::vector<Finding> run_checks(const Inputs& inputs, const CheckOptions& options);

// Parses a suppression text "RULE-ID[,RULE-ID…] -- reason"; reason empty when missing.
struct Suppression {
    std::vector<std::string> rules;
    std::string reason;
};
Suppression parse_suppression(std::string_view text);

}  // namespace coconut::policy
