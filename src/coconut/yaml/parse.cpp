// Builds the document model from libfyaml's event API (DESIGN §3). libfyaml's document API
// (0.7.12) has no start marks for collections, so we build our own compact tree from events:
// an arena per document, positions everywhere, merge keys and duplicate keys handled here.
#include <libfyaml.h>

#include <cstdio>
#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "coconut/yaml/node.hpp"
#include "coconut/util/signals.hpp"

namespace coconut::yaml {

bool Node::is_null() const {
    if (kind != Kind::Scalar || style != Style::Plain) return false;
    if (!tag.empty()) return tag == "!!null";
    return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

const Node* Node::find(std::string_view key) const {
    if (kind != Kind::Mapping) return nullptr;
    for (const auto& p : pairs)
        if (p.key->kind == Kind::Scalar && p.key->text == key) return p.value;
    return nullptr;
}

const Node* Node::find_key(std::string_view key) const {
    if (kind != Kind::Mapping) return nullptr;
    for (const auto& p : pairs)
        if (p.key->kind == Kind::Scalar && p.key->text == key) return p.key;
    return nullptr;
}

std::string format_mark(std::string_view file, Mark mark) {
    return std::string(file) + ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
}

namespace {

// Returns the position of the first byte that makes `text` not YAML text: a NUL byte or an
// invalid UTF-8 sequence. nullopt when the text is fine.
struct BadByte {
    std::size_t offset;
    bool nul;
};

std::optional<BadByte> find_bad_byte(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0) return BadByte{i, true};
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return BadByte{i, false};
        }
        if (i + len > n) return BadByte{i, false};
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return BadByte{i, false};
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and out-of-range code points are invalid.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return BadByte{i, false};
        i += len;
    }
    return std::nullopt;
}

Mark mark_of_offset(std::string_view s, std::size_t offset) {
    Mark m{1, 1};
    for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
        if (s[i] == '\n') {
            ++m.line;
            m.column = 1;
        } else if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            ++m.column;
        }
    }
    return m;
}

std::string token_text(fy_token* t) {
    if (!t) return {};
    size_t len = 0;
    const char* s = fy_token_get_text(t, &len);
    return s ? std::string(s, len) : std::string();
}

// Handles that a %TAG directive of the current document redefines, with their prefixes.
using TagDirectives = std::unordered_map<std::string, std::string>;

TagDirectives tag_directives(fy_document_state* state) {
    TagDirectives out;
    if (!state || !fy_document_state_tags_explicit(state)) return out;
    void* iter = nullptr;
    while (const fy_tag* t = fy_document_state_tag_directive_iterate(state, &iter))
        if (t->handle && t->prefix && !fy_document_state_tag_is_default(state, t)) out[t->handle] = t->prefix;
    return out;
}

// The tag as written ("!!str", "!Ref", "!<tag:x>" gives "tag:x"), except that a handle a %TAG
// directive redefines is resolved to its prefix: under `%TAG ! tag:example.com,2000:app/`,
// `!foo` is tag:example.com,2000:app/foo, not the local tag !foo. The non-specific tag `!`
// (suffix empty) stays "!" whatever the directives say.
std::string tag_text(fy_token* t, const TagDirectives& directives) {
    if (!t) return {};
    size_t hl = 0, sl = 0;
    const char* h = fy_tag_token_handle(t, &hl);
    const char* s = fy_tag_token_suffix(t, &sl);
    std::string handle = h ? std::string(h, hl) : std::string();
    std::string suffix = s ? std::string(s, sl) : std::string();
    if (!handle.empty() && !suffix.empty()) {
        if (auto it = directives.find(handle); it != directives.end()) return it->second + suffix;
    }
    std::string out = handle + suffix;
    if (out.empty()) out = token_text(t);
    return out;
}

Style scalar_style(fy_token* t) {
    switch (fy_token_scalar_style(t)) {
        case FYSS_SINGLE_QUOTED: return Style::SingleQuoted;
        case FYSS_DOUBLE_QUOTED: return Style::DoubleQuoted;
        case FYSS_LITERAL: return Style::Literal;
        case FYSS_FOLDED: return Style::Folded;
        default: return Style::Plain;
    }
}

void silent_output(struct fy_diag*, void*, const char*, size_t) {}

struct Frame {
    Node* node;
    Node* pending_key = nullptr;
    // A mapping's scalar keys so far: a repeated key is reported (and, first wins, not kept)
    // as it arrives, so millions of repeats never pile up in memory.
    std::unordered_map<std::string_view, Mark> keys = {};
};

class Builder {
public:
    Builder(Stream& out, const ParseOptions& opts) : m_out(out), m_opts(opts) {}

    void error(Mark m, std::string msg) {
        if (m_stopped) return;
        if (m_out.errors.size() >= m_opts.max_errors) {
            m_out.errors.push_back(Diagnostic{m, "too many problems (" + std::to_string(m_opts.max_errors) +
                                                     "): the rest of the input was not read"});
            m_stopped = true;
            return;
        }
        m_out.errors.push_back(Diagnostic{m, std::move(msg)});
    }
    // Set when the error budget is spent or the run was interrupted: parsing stops.
    [[nodiscard]] bool stopped() const { return m_stopped; }
    void stop(Mark m, std::string msg) {
        if (m_stopped) return;
        m_out.errors.push_back(Diagnostic{m, std::move(msg)});
        m_stopped = true;
    }

    // A new libfyaml run over the input from absolute line `base + 1` on.
    void start_segment(std::uint32_t base) {
        m_line_base = base;
        m_segment_doc = nullptr;
    }
    // A libfyaml mark as a 1-based Mark in the whole input.
    [[nodiscard]] Mark mark(const fy_mark* m) const {
        if (!m) return {};
        return Mark{static_cast<std::uint32_t>(m->line + 1) + m_line_base, static_cast<std::uint32_t>(m->column + 1)};
    }

    void begin_document() {
        m_out.documents.emplace_back();
        m_doc = &m_out.documents.back();
        m_segment_doc = m_doc;
        m_ended_implicitly = false;
        m_anchors.clear();
        m_stack.clear();
        m_has_alias = false;
        m_node_count = 0;
    }

    void end_document(bool implicit) {
        if (m_doc && m_doc->root() && m_has_alias) check_expansion();
        m_doc = nullptr;
        m_ended_implicitly = implicit;
    }

    // The input broke off inside a document: it keeps its place in the stream (so later
    // documents keep their index) but has no root, so nobody reads half a tree. That is the open
    // document, or the one libfyaml ended implicitly just before reporting the error (it does so
    // for `--- a: b: c`); after an explicit `...` the error is in a new document, and an empty
    // one stands for it.
    void abandon_document() {
        if (!m_doc && m_segment_doc && m_ended_implicitly) m_doc = m_segment_doc;
        if (!m_doc) begin_document();
        m_doc->set_root(nullptr);
        m_stack.clear();
        m_doc = nullptr;
        m_segment_doc = nullptr;
    }

    // Attaches a finished-or-open node to its parent.
    void attach(const Node* n) {
        if (m_stack.empty()) {
            m_doc->set_root(n);
            return;
        }
        Frame& f = m_stack.back();
        if (f.node->kind == Kind::Sequence) {
            f.node->items.push_back(n);
        } else if (!f.pending_key) {
            f.pending_key = const_cast<Node*>(n);
        } else {
            Pair p{f.pending_key, n};
            f.pending_key = nullptr;
            if (!m_opts.allow_duplicate_keys && p.key->kind == Kind::Scalar && !is_merge_key(p.key)) {
                auto [it, inserted] = f.keys.emplace(p.key->text, key_mark(p, *f.node));
                if (!inserted) {
                    error(key_mark(p, *f.node), "duplicate key '" + p.key->text + "' (first defined at line " +
                                                    std::to_string(it->second.line) + ", column " +
                                                    std::to_string(it->second.column) + ")");
                    return;   // the first wins
                }
            }
            f.node->pairs.push_back(p);
        }
    }

    Node* new_node(Kind k, Mark start) {
        Node* n = m_doc->make_node();
        n->kind = k;
        n->start = start;
        ++m_node_count;
        return n;
    }

    void anchor(fy_token* a, const Node* n) {
        if (a) m_anchors[token_text(a)] = n;
    }

    bool open(Node* n) {
        if (m_stack.size() >= m_opts.max_depth) {
            error(n->start, "nesting deeper than " + std::to_string(m_opts.max_depth) + " levels");
            return false;
        }
        m_stack.push_back(Frame{n});
        return true;
    }

    void close(Mark end) {
        if (m_stack.empty()) return;
        Frame f = m_stack.back();
        m_stack.pop_back();
        f.node->end = end;
        if (f.node->kind == Kind::Mapping) finish_mapping(*f.node);
    }

    const Node* alias(const std::string& name, Mark at) {
        auto it = m_anchors.find(name);
        m_has_alias = true;
        if (it == m_anchors.end()) {
            error(at, "unknown alias '*" + name + "' (no anchor '&" + name + "' before it)");
            Node* n = new_node(Kind::Scalar, at);
            return n;
        }
        for (const auto& f : m_stack)
            if (f.node == it->second) {
                error(at, "alias '*" + name + "' refers to a node that contains it (recursive alias)");
                return new_node(Kind::Scalar, at);
            }
        return it->second;
    }

    Document* doc() { return m_doc; }
    // The outermost flow collection ([..] or {..}) still open; nullptr when none.
    [[nodiscard]] const Node* outermost_open_flow() const {
        for (const auto& f : m_stack)
            if (f.node->style == Style::Flow) return f.node;
        return nullptr;
    }
    std::size_t depth() const { return m_stack.size(); }

private:
    bool m_stopped = false;
    static bool is_merge_key(const Node* k) {
        return k->kind == Kind::Scalar && k->style == Style::Plain && k->text == "<<" &&
               (k->tag.empty() || k->tag == "!!merge");
    }

    // Where a key is, for messages: an empty key (`: value`) has no position of its own, so
    // its value's (or failing that the mapping's) stands in.
    static Mark key_mark(const Pair& p, const Node& mapping) {
        if (p.key->start.line != 0) return p.key->start;
        if (p.value->start.line != 0) return p.value->start;
        return mapping.start;
    }

    void finish_mapping(Node& m) {
        bool has_merge = false;
        for (const auto& p : m.pairs) has_merge = has_merge || is_merge_key(p.key);
        std::vector<Pair> out;
        out.reserve(m.pairs.size());
        // Own keys first determine precedence; detect duplicates among them.
        std::unordered_map<std::string_view, Mark> seen;
        seen.reserve(m.pairs.size() * 2);
        // (Repeated own keys were reported, and dropped, as they arrived: see attach().)
        for (const auto& p : m.pairs) {
            if (is_merge_key(p.key) || p.key->kind != Kind::Scalar) continue;
            seen.emplace(p.key->text, key_mark(p, m));
        }
        if (!has_merge && (m_opts.allow_duplicate_keys || seen.size() == m.pairs.size())) return;
        std::unordered_map<std::string_view, bool> placed;
        for (const auto& p : m.pairs) {
            if (!is_merge_key(p.key)) {
                if (p.key->kind == Kind::Scalar) {
                    if (placed.count(p.key->text)) {
                        if (m_opts.allow_duplicate_keys) {
                            // last one wins, as PyYAML and libyaml-based readers do
                            for (auto& q : out)
                                if (q.key->kind == Kind::Scalar && q.key->text == p.key->text) q.value = p.value;
                        }
                        continue;  // otherwise the first wins; the duplicate was reported
                    }
                    placed[p.key->text] = true;
                }
                out.push_back(p);
                continue;
            }
            std::vector<const Node*> sources;
            if (p.value->kind == Kind::Mapping) {
                sources.push_back(p.value);
            } else if (p.value->kind == Kind::Sequence) {
                for (const auto* s : p.value->items) {
                    if (s->kind != Kind::Mapping) {
                        error(s->start, "merge key '<<' expects a mapping or a list of mappings");
                        continue;
                    }
                    sources.push_back(s);
                }
            } else {
                error(p.value->start, "merge key '<<' expects a mapping or a list of mappings");
                continue;
            }
            for (const auto* src : sources) {
                for (const auto& q : src->pairs) {
                    if (q.key->kind == Kind::Scalar) {
                        if (seen.count(q.key->text) || placed.count(q.key->text)) continue;
                        placed[q.key->text] = true;
                    }
                    out.push_back(q);
                }
            }
        }
        m.pairs = std::move(out);
    }

    // Aliases share nodes, so a small document can stand for an enormous tree ("billion laughs").
    // Consumers walk the expanded tree, so refuse documents whose expansion is far beyond their size.
    void check_expansion() {
        const std::uint64_t limit = std::max<std::uint64_t>(1'000'000, 4 * m_node_count);
        std::unordered_map<const Node*, std::uint64_t> memo;
        std::uint64_t total = weight(m_doc->root(), memo, limit);
        if (total > limit) {
            error(m_doc->root()->start, "aliases expand this document to more than " + std::to_string(limit) +
                                            " nodes (alias bomb?); refusing to expand it");
            m_doc->set_root(nullptr);
        }
    }

    static std::uint64_t weight(const Node* n, std::unordered_map<const Node*, std::uint64_t>& memo,
                                std::uint64_t limit) {
        // iterative post-order would avoid recursion; depth is bounded by max_depth, so recursion is fine
        auto it = memo.find(n);
        if (it != memo.end()) return it->second;
        std::uint64_t w = 1;
        for (const auto* c : n->items) {
            w += weight(c, memo, limit);
            if (w > limit) break;
        }
        for (const auto& p : n->pairs) {
            w += weight(p.key, memo, limit) + weight(p.value, memo, limit);
            if (w > limit) break;
        }
        memo[n] = w;
        return w;
    }

    Stream& m_out;
    const ParseOptions& m_opts;
    Document* m_doc = nullptr;
    Document* m_segment_doc = nullptr;  // the last document begun in this segment
    bool m_ended_implicitly = false;    // ... and it ended without `...`
    std::uint32_t m_line_base = 0;
    std::vector<Frame> m_stack;
    std::unordered_map<std::string, const Node*> m_anchors;
    bool m_has_alias = false;
    std::uint64_t m_node_count = 0;
};

struct ParserDeleter {
    void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
// libfyaml 0.7.12 (Debian 12) corrupts its indent list on one error path and then crashes in
// fy_parser_destroy (fy_parse_cleanup -> fy_indent_vacuum_internal): an explicit key whose
// implicit mapping value starts after a tab with a block indicator (`? x:<TAB>-`, `? x: <TAB>?`;
// found by fuzz/yaml.cpp, reproducer in tests/unit/yaml_test.cpp). It is fixed neither in our
// reach nor upstream in a version Debian ships, so a parser that stopped on an error in a segment
// that can hold that pattern (a tab and a `?`) is never destroyed: it is parked here, reachable
// (so LeakSanitizer does not report it), and never used again. A few KiB each; past
// k_max_parked, such a segment is refused before libfyaml sees it (see parse_segment).
constexpr std::size_t k_max_parked = 4096;
struct ParkedParsers {
    std::mutex mutex;
    std::vector<fy_parser*> parsers;
};
ParkedParsers& parked() {
    static ParkedParsers p;
    return p;
}
bool parking_full() {
    std::lock_guard lock(parked().mutex);
    return parked().parsers.size() >= k_max_parked;
}
void park(fy_parser* parser) {
    std::lock_guard lock(parked().mutex);
    parked().parsers.push_back(parser);
}
bool may_corrupt_libfyaml(std::string_view segment) {
    return segment.find('\t') != std::string_view::npos && segment.find('?') != std::string_view::npos;
}

// fy_diag_destroy, not fy_diag_unref: in libfyaml 0.7.12 only destroy frees the diagnostics
// it collected (about 540 bytes per syntax error, leaked with unref; seen with valgrind). The
// parser, which holds a reference, is destroyed first.
struct DiagDeleter {
    void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

// The offset where the line after the one holding offset `i` begins; npos on the last line.
// Line breaks are LF, CRLF or a lone CR (YAML 1.2 b-break), as libfyaml counts them.
std::size_t next_line(std::string_view text, std::size_t i) {
    const std::size_t nl = text.find_first_of("\r\n", i);
    if (nl == std::string_view::npos) return nl;
    return nl + ((text[nl] == '\r' && nl + 1 < text.size() && text[nl + 1] == '\n') ? 2 : 1);
}

// libfyaml 0.7.12 defect (found by fuzzing, fuzz/corpus/yaml/libfyaml-empty-block-scalar-*):
// a block scalar with an auto-detected indentation whose next non-empty line is NOT indented
// more than the scalar's parent collection is empty, and that line is the parent's next entry
// (`  a: |` followed by `  b: 1` gives a: "" and b: 1, as PyYAML and go-yaml read it). Inside a
// nested collection libfyaml instead swallows the following lines as the scalar's content, and
// its two passes over the text then disagree on the length: fy_token_get_text() returns bytes it
// never wrote, or writes past its buffer. Giving such a scalar the explicit indentation
// indicator `1` (content indented one more than the parent, so the next line ends it) makes
// libfyaml read it right. Lexical and conservative: only a line that ends in a block indicator
// after `key:` or `- ` is considered (the parent's indentation is then the key's or the last
// dash's column), content lines of other block scalars are skipped, and a line that already has
// an indentation indicator is left alone. The insertion shifts only what follows the indicator
// on its line (a comment). Returns the rewritten text, or nullopt when nothing needs it.
std::optional<std::string> make_empty_block_scalars_explicit(std::string_view text) {
    if (text.find('|') == std::string_view::npos && text.find('>') == std::string_view::npos) return std::nullopt;
    struct Line {
        std::size_t begin, end;  // [begin, end) without the line break
    };
    std::vector<Line> lines;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t e = text.find_first_of("\r\n", i);
        if (e == std::string_view::npos) e = text.size();
        lines.push_back({i, e});
        const std::size_t n = next_line(text, i);
        if (n == std::string_view::npos) break;
        i = n;
    }
    auto indent_of = [&](const Line& l) -> std::optional<std::size_t> {  // nullopt: blank line
        std::size_t i = l.begin;
        while (i < l.end && text[i] == ' ') ++i;
        if (i == l.end) return std::nullopt;
        if (text[i] == '\t' && text.find_first_not_of(" \t", i) >= l.end) return std::nullopt;
        return i - l.begin;
    };
    std::vector<std::size_t> inserts;  // offsets after which '1' goes
    for (std::size_t li = 0; li < lines.size(); ++li) {
        const Line& l = lines[li];
        const std::string_view line = text.substr(l.begin, l.end - l.begin);
        // The header: [indent][- ]*[key:<space>][!tag |&anchor ]*(|>)[chomp][#comment]
        std::size_t ind_pos = std::string_view::npos;
        {
            std::size_t e = line.size();
            if (const std::size_t hash = line.find(" #"); hash != std::string_view::npos) e = hash;
            while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t')) --e;
            std::size_t k = e;
            while (k > 0 && (line[k - 1] == '+' || line[k - 1] == '-' || (line[k - 1] >= '0' && line[k - 1] <= '9'))) --k;
            if (k == 0 || (line[k - 1] != '|' && line[k - 1] != '>')) continue;
            if (line.substr(k, e - k).find_first_of("0123456789") != std::string_view::npos) continue;  // explicit
            if (e - k > 1) continue;  // at most one chomping indicator
            ind_pos = k - 1;
        }
        // Before the indicator: a space, then optional tag/anchor words, then `key:` or a dash.
        std::size_t j = ind_pos;
        if (j == 0 || line[j - 1] != ' ') continue;
        auto word_start = [&](std::size_t end) {
            std::size_t b = end;
            while (b > 0 && line[b - 1] != ' ') --b;
            return b;
        };
        while (j > 0 && line[j - 1] == ' ') --j;
        while (j > 0) {  // tags and anchors
            const std::size_t b = word_start(j);
            if (line[b] != '!' && line[b] != '&') break;
            j = b;
            while (j > 0 && line[j - 1] == ' ') --j;
        }
        if (j == 0) continue;
        std::size_t parent_indent;
        if (line[j - 1] == ':') {
            // `key:` — the key starts after the last "- " or at the line's indentation; quoted keys
            // and plain keys without ": " inside are what this recognises.
            std::size_t b = 0;
            while (b < j && line[b] == ' ') ++b;
            while (b + 1 < j && line[b] == '-' && line[b + 1] == ' ') {
                b += 2;
                while (b < j && line[b] == ' ') ++b;
            }
            const std::string_view key = line.substr(b, j - 1 - b);
            if (key.empty() || key.find(": ") != std::string_view::npos || key.front() == '{' || key.front() == '[' ||
                key.front() == '?' || key.front() == '#')
                continue;
            parent_indent = b;
        } else if (line[j - 1] == '-' && (j == 1 || line[j - 2] == ' ')) {
            std::size_t b = 0;
            while (b < j && line[b] == ' ') ++b;
            for (std::size_t x = b; x < j; ++x)
                if (line[x] != '-' && line[x] != ' ') {
                    b = std::string_view::npos;
                    break;
                }
            if (b == std::string_view::npos) continue;
            parent_indent = j - 1;  // the last dash
        } else {
            continue;
        }
        // The first non-blank line after the header decides.
        std::size_t next = li + 1;
        std::optional<std::size_t> content_indent;
        for (; next < lines.size(); ++next)
            if ((content_indent = indent_of(lines[next]))) break;
        if (!content_indent) break;  // nothing follows: an empty scalar at the end, read right
        if (*content_indent <= parent_indent) {
            inserts.push_back(l.begin + ind_pos + 1);
            continue;  // the next line is the parent's next entry: look at it too
        }
        // A non-empty block scalar: skip its content lines (they may look like headers).
        while (next + 1 < lines.size()) {
            const auto ind = indent_of(lines[next + 1]);
            if (ind && *ind < *content_indent) break;
            ++next;
        }
        li = next;
    }
    if (inserts.empty()) return std::nullopt;
    std::string out;
    out.reserve(text.size() + inserts.size());
    std::size_t from = 0;
    for (const std::size_t at : inserts) {
        out.append(text.substr(from, at - from));
        out.push_back('1');
        from = at;
    }
    out.append(text.substr(from));
    return out;
}

// The character at 1-based (line, column) of `text`, columns counted in code points as libfyaml
// counts them; '\0' when there is none.
char char_at(std::string_view text, std::uint32_t line, std::uint32_t column) {
    std::size_t i = 0;
    for (std::uint32_t l = 1; l < line; ++l)
        if ((i = next_line(text, i)) == std::string_view::npos) return '\0';
    for (std::uint32_t c = 1; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
        if (text[i] == '\n' || text[i] == '\r') return '\0';
        if (c++ == column) return text[i];
    }
    return '\0';
}

// How one libfyaml run over a part of the input ended.
struct SegmentEnd {
    bool stop = false;          // the error budget is spent or the run was interrupted: read no more
    bool failed = false;        // a syntax error (or our nesting limit) stopped it
    std::uint32_t doc_line = 0; // absolute line where the document being read when it stopped began
};

// Parses `segment` (which starts at the beginning of absolute line `line_base + 1`) into `b`.
// `previous_errors`: where the errors of the previous run begin in out.errors.
SegmentEnd parse_segment(std::string_view segment, std::uint32_t line_base, Builder& b, Stream& out,
                         const ParseOptions& options, std::size_t previous_errors) {
    SegmentEnd end;
    end.doc_line = line_base + 1;
    const bool risky = may_corrupt_libfyaml(segment);
    if (risky && parking_full()) {
        out.errors.push_back(Diagnostic{Mark{end.doc_line, 1},
                                        "not parsed: too many YAML syntax errors with tabs and explicit keys ('?') "
                                        "in this run (a libfyaml 0.7.12 defect is avoided by not reading more)"});
        end.failed = true;
        end.stop = true;
        return end;
    }
    const std::optional<std::string> explicit_text = make_empty_block_scalars_explicit(segment);
    const std::string_view input = explicit_text ? std::string_view(*explicit_text) : segment;
    fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = nullptr;
    dcfg.output_fn = silent_output;  // libfyaml must never write to stderr; we collect instead
    dcfg.level = FYET_ERROR;
    std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&dcfg));
    fy_diag_set_collect_errors(diag.get(), true);

    fy_parse_cfg cfg{};
    unsigned flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE |
                     FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_DISABLE_DEPTH_LIMIT;
    // Flow collections whose items or closing bracket sit left of where YAML 1.2 wants them,
    // and quoted scalars continued at (or left of) their key's column: go-yaml (kubectl), PyYAML
    // and ruamel accept both, and real manifests are full of them (`command: [` ... `]` at the
    // key's column). libfyaml's sloppy mode covers exactly these; the rest of its checks stay.
    if (options.lenient_indentation) flags |= FYPCF_SLOPPY_FLOW_INDENTATION;
    cfg.flags = static_cast<fy_parse_cfg_flags>(flags);
    cfg.diag = diag.get();
    std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
    if (!parser) {
        out.errors.push_back(Diagnostic{{}, "internal error: cannot create the YAML parser"});
        return end;
    }
    // libfyaml keeps a pointer to the input; `segment` and `explicit_text` outlive the parser.
    if (fy_parser_set_string(parser.get(), input.data(), input.size()) != 0) {
        out.errors.push_back(Diagnostic{{}, "internal error: cannot set the YAML parser input"});
        return end;
    }

    b.start_segment(line_base);
    bool implicit_doc = false;  // the document has no `---`: it begins at its first node
    TagDirectives directives;
    std::size_t events = 0;
    while (!end.failed) {
        // Ctrl-C / SIGTERM are honoured within a few thousand events, not after the whole file.
        if ((++events & 4095) == 0 && util::interrupted()) b.stop({line_base + 1, 1}, "interrupted");
        if (b.stopped()) {
            end.failed = true;
            end.stop = true;
            break;
        }
        fy_event* ev = fy_parser_parse(parser.get());
        if (!ev) break;
        const Mark start = b.mark(fy_event_start_mark(ev));
        if (implicit_doc && start.line != 0 && ev->type != FYET_DOCUMENT_START) {
            end.doc_line = start.line;
            implicit_doc = false;
        }
        switch (ev->type) {
            case FYET_DOCUMENT_START:
                b.begin_document();
                directives = tag_directives(ev->document_start.document_state);
                implicit_doc = start.line == 0;  // libfyaml gives no mark for an implicit start
                if (!implicit_doc) end.doc_line = start.line;
                break;
            case FYET_DOCUMENT_END: b.end_document(ev->document_end.implicit); break;
            case FYET_SCALAR: {
                if (!b.doc()) break;
                // An empty scalar (`key:` with no value) has no position: {0,0} (see Mark).
                Node* n = b.new_node(Kind::Scalar, start);
                n->style = scalar_style(ev->scalar.value);
                // libfyaml marks a quoted scalar at its first character inside the quotes;
                // users (and our messages) point at the opening quote.
                if (n->is_quoted() && n->start.column > 1) --n->start.column;
                n->text = token_text(ev->scalar.value);
                n->tag = tag_text(ev->scalar.tag, directives);
                n->end = b.mark(fy_event_end_mark(ev));
                b.anchor(ev->scalar.anchor, n);
                b.attach(n);
                break;
            }
            case FYET_ALIAS: {
                if (!b.doc()) break;
                // libfyaml marks an alias after its '*'; point at the '*'
                Mark at = start;
                if (at.column > 1) --at.column;
                b.attach(b.alias(token_text(ev->alias.anchor), at));
                break;
            }
            case FYET_SEQUENCE_START:
            case FYET_MAPPING_START: {
                if (!b.doc()) break;
                const bool seq = ev->type == FYET_SEQUENCE_START;
                Node* n = b.new_node(seq ? Kind::Sequence : Kind::Mapping, start);
                n->style = fy_event_get_node_style(ev) == FYNS_FLOW ? Style::Flow : Style::Block;
                n->tag = tag_text(seq ? ev->sequence_start.tag : ev->mapping_start.tag, directives);
                b.anchor(seq ? ev->sequence_start.anchor : ev->mapping_start.anchor, n);
                b.attach(n);
                if (!b.open(n)) end.failed = true;
                break;
            }
            case FYET_SEQUENCE_END:
            case FYET_MAPPING_END: b.close(b.mark(fy_event_end_mark(ev))); break;
            default: break;
        }
        fy_parser_event_free(parser.get(), ev);
    }

    // libfyaml's own diagnostics (syntax errors) carry line:column.
    bool syntax_error = false;
    void* iter = nullptr;
    while (fy_diag_error* e = fy_diag_errors_iterate(diag.get(), &iter)) {
        if (e->type < FYET_ERROR) continue;
        // fy_diag_error positions are already 1-based (unlike fy_mark's)
        Mark rel{static_cast<std::uint32_t>(e->line > 0 ? e->line : 1),
                 static_cast<std::uint32_t>(e->column > 0 ? e->column : 1)};
        std::string message = e->msg ? e->msg : "invalid YAML";
        // libfyaml puts an unclosed quote's error on the character after the quote; point at
        // the quote itself, as we do for quoted scalars.
        if (message.find("quoted scalar without closing quote") != std::string::npos && rel.column > 1) {
            char before = char_at(segment, rel.line, rel.column - 1);
            if (before == '"' || before == '\'') --rel.column;
        }
        // A flow collection left open is reported where the parser gives up, often lines later
        // (lenient indentation lets it run on): name the bracket that is still open. (Not for
        // a closing bracket that is merely indented wrongly: that one is there.)
        if (!syntax_error && message.find("wrongly indented") == std::string::npos) {
            if (const Node* flow = b.outermost_open_flow(); flow && flow->start.line < rel.line + line_base) {
                const char bracket = char_at(segment, flow->start.line - line_base, flow->start.column);
                if (bracket == '[' || bracket == '{')
                    message += std::string(" (the '") + bracket + "' at line " + std::to_string(flow->start.line) +
                               ", column " + std::to_string(flow->start.column) + " is still open here)";
            }
        }
        syntax_error = true;
        Diagnostic d{Mark{line_base + rel.line, rel.column}, std::move(message)};
        // After a resynchronisation the same error can be met again: report it once. (Only the
        // previous run's errors can repeat; looking no further keeps this linear.)
        if (std::find_if(out.errors.begin() + static_cast<std::ptrdiff_t>(previous_errors), out.errors.end(),
                         [&d](const Diagnostic& x) { return x.mark == d.mark && x.message == d.message; }) ==
            out.errors.end())
            out.errors.push_back(std::move(d));
    }
    if (fy_parser_get_stream_error(parser.get())) {
        // libfyaml stopped without saying why (seen with `--- |0`): point at the document
        if (!syntax_error) out.errors.push_back(Diagnostic{Mark{end.doc_line, 1}, "invalid YAML"});
        end.failed = true;
    }
    // A document cut short by an error is incomplete: drop its root so nobody reads half a tree.
    if (end.failed) b.abandon_document();
    if (risky && end.failed) park(parser.release());
    return end;
}

// A line that starts with a document start marker (`---` followed by a space, a tab or a line
// break): the only place where a new document can begin whatever came before, since the marker
// is forbidden inside any node (YAML 1.2 §9.1.2).
struct MarkerLine {
    std::size_t offset;
    std::uint32_t line;  // 1-based
};

// The first marker line after line `after_line`, scanning from `from` (the start of line
// `from_line`).
std::optional<MarkerLine> next_marker_after(std::string_view text, std::size_t from, std::uint32_t from_line,
                                            std::uint32_t after_line) {
    for (std::size_t i = from; i < text.size(); i = next_line(text, i), ++from_line) {
        if (from_line > after_line && text.compare(i, 3, "---") == 0 &&
            (i + 3 == text.size() || text[i + 3] == ' ' || text[i + 3] == '\t' || text[i + 3] == '\n' ||
             text[i + 3] == '\r'))
            return MarkerLine{i, from_line};
    }
    return std::nullopt;
}

}  // namespace

Stream parse(std::string_view text, std::string file, const ParseOptions& options) {
    Stream out;
    out.file = std::move(file);
    if (auto bad = find_bad_byte(text)) {
        Mark m = mark_of_offset(text, bad->offset);
        out.errors.push_back(Diagnostic{
            m, bad->nul ? "binary input: NUL byte at offset " + std::to_string(bad->offset) + "; expected YAML text"
                        : "invalid UTF-8 at offset " + std::to_string(bad->offset) + "; expected YAML text"});
        return out;
    }

    // libfyaml stops at the first syntax error. So that one broken document does not hide the
    // rest of a stream (a privileged pod after an odd one must still be checked), parsing goes on
    // from the next `---` line after the start of the broken document, with a fresh parser over
    // the rest of the text; its positions are shifted back to lines of the whole input.
    Builder b(out, options);
    std::size_t offset = 0;
    std::uint32_t line_base = 0;
    std::size_t previous_errors = 0;
    while (true) {
        const std::size_t errors_before = out.errors.size();
        const SegmentEnd end = parse_segment(text.substr(offset), line_base, b, out, options, previous_errors);
        previous_errors = errors_before;
        if (!end.failed || end.stop || b.stopped()) break;
        auto next = next_marker_after(text, offset, line_base + 1, std::max(end.doc_line, line_base + 1));
        if (!next) break;
        // Syntax errors count against the error budget too: a stream of broken documents stops.
        if (out.errors.size() >= options.max_errors) {
            out.errors.push_back(Diagnostic{Mark{next->line, 1}, "too many problems (" + std::to_string(options.max_errors) +
                                                                     "): the rest of the input was not read"});
            break;
        }
        offset = next->offset;
        line_base = next->line - 1;
    }
    return out;
}

}  // namespace coconut::yaml
