#pragma once
// The YAML document model (DESIGN §3): a compact tree built from libfyaml's event stream.
// Every node keeps its source position, its raw scalar text and its style, so each consumer
// interprets scalars in its own dialect (see dialect.hpp). Aliases point at the anchored node;
// merge keys (`<<`) are resolved into the mapping's pairs; duplicate keys are diagnostics.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace coconut::yaml {

// 1-based line and column; {0,0} means "no position" (e.g. a node made by a merge).
struct Mark {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(const Mark&, const Mark&) = default;
};

enum class Kind : std::uint8_t { Scalar, Sequence, Mapping };

enum class Style : std::uint8_t {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    Block,  // block collection
    Flow,   // flow collection ([..] / {..})
};

struct Node;

struct Pair {
    const Node* key = nullptr;
    const Node* value = nullptr;
};

struct Node {
    Kind kind = Kind::Scalar;
    Style style = Style::Plain;
    Mark start;                 // where the node begins (for a scalar: its first character)
    Mark end;
    std::string text;           // scalar value after escape/folding processing; empty otherwise
    std::string tag;            // explicit tag as written ("!!str", "!Ref"), empty when none
    std::vector<const Node*> items;  // Sequence
    std::vector<Pair> pairs;         // Mapping, in source order, merge keys resolved

    [[nodiscard]] bool is_scalar() const { return kind == Kind::Scalar; }
    [[nodiscard]] bool is_sequence() const { return kind == Kind::Sequence; }
    [[nodiscard]] bool is_mapping() const { return kind == Kind::Mapping; }
    [[nodiscard]] bool is_quoted() const { return style == Style::SingleQuoted || style == Style::DoubleQuoted; }
    // A plain scalar that every dialect reads as null: "", "~", "null", "Null", "NULL".
    [[nodiscard]] bool is_null() const;
    // Mapping lookup by scalar key text; nullptr when absent or not a mapping.
    [[nodiscard]] const Node* find(std::string_view key) const;
    // The key node of `key` (for positions of keys); nullptr when absent.
    [[nodiscard]] const Node* find_key(std::string_view key) const;
};

struct Diagnostic {
    Mark mark;
    std::string message;
};

// One document of a stream. Owns its nodes; pointers stay valid for its lifetime.
class Document {
public:
    Document() = default;
    Document(Document&&) noexcept = default;
    Document& operator=(Document&&) noexcept = default;
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    [[nodiscard]] const Node* root() const { return m_root; }
    Node* make_node() { return &m_arena.emplace_back(); }
    void set_root(const Node* root) { m_root = root; }

private:
    std::deque<Node> m_arena;
    const Node* m_root = nullptr;
};

struct Stream {
    std::string file;                    // as given to parse(), used in messages
    std::vector<Document> documents;
    std::vector<Diagnostic> errors;      // parse errors, duplicate keys, bad aliases, binary input
    [[nodiscard]] bool ok() const { return errors.empty(); }
};

struct ParseOptions {
    bool allow_duplicate_keys = false;   // when false, a repeated key is an error (first wins)
    std::size_t max_depth = 512;         // deeper nesting is an error, not a stack overflow
    // Accept what go-yaml (kubectl), PyYAML and ruamel accept although YAML 1.2 forbids it: flow
    // collections whose items or closing bracket are indented less than their parent, and quoted
    // scalars continued at or left of their key's column. false: YAML 1.2 to the letter (the
    // YAML Test Suite's verdicts).
    bool lenient_indentation = true;
    // Hostile input must not exhaust memory or time: after this many problems the rest of the
    // input is not read (one more diagnostic says so). 20 MB of repeated keys would otherwise
    // make millions of diagnostics.
    std::size_t max_errors = 1000;
};

// Parses a whole YAML stream. Never throws on bad input and never prints: every problem is a
// Diagnostic with a position. Binary input (NUL bytes, invalid UTF-8) is rejected up front.
// Stops early (with a diagnostic) after options.max_errors problems, and when SIGINT/SIGTERM
// arrived (util::interrupted()), so a huge input never delays Ctrl-C or `timeout`.
// After a syntax error, parsing resumes at the next `---` line: the broken document stays in
// `documents` with no root, the documents after it are there with their own positions.
Stream parse(std::string_view text, std::string file, const ParseOptions& options = {});

// "FILE:LINE:COL" for messages.
std::string format_mark(std::string_view file, Mark mark);

}  // namespace coconut::yaml
