#pragma once
// The policy engine: load inputs into Documents, run every applicable rule, apply
// suppressions, return findings sorted by file and position.
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
inline constexpr const char* k_suppression_rule = "SUPPRESSION-NO-REASON";

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
    // content is ignored when `explicit_file` is false (directory walk), and a PARSE-ERROR
    // finding otherwise. Binary content is a PARSE-ERROR finding.
    void add_text(std::string path, std::string text, bool explicit_file = true);
    // A file or a directory (recursing, honouring .gitignore files, skipping .git); "-" is stdin.
    // Fails (exit 2) on a path that does not exist or cannot be read.
    util::Expected<void> add_path(const std::string& path);

    [[nodiscard]] const std::vector<Document>& documents() const { return m_documents; }
    [[nodiscard]] const std::vector<Finding>& parse_findings() const { return m_parse_findings; }
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }
    [[nodiscard]] std::size_t file_count() const;

private:
    void add_yaml(const SourceFile& file, bool explicit_file);
    struct Storage;
    std::unique_ptr<Storage> m_storage;
    std::vector<Document> m_documents;
    std::vector<Finding> m_parse_findings;
    std::size_t m_bytes = 0;
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

// Runs all rules over `inputs`; findings sorted by (file, line, column, rule).
std::vector<Finding> run_checks(const Inputs& inputs, const CheckOptions& options);

// Parses a suppression text "RULE-ID[,RULE-ID…] -- reason"; reason empty when missing.
struct Suppression {
    std::vector<std::string> rules;
    std::string reason;
};
Suppression parse_suppression(std::string_view text);

}  // namespace coconut::policy
