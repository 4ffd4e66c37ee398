#include "coconut/policy/dockerfile/parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <limits>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "coconut/util/strings.hpp"

namespace coconut::policy::dockerfile {

namespace {

using yaml::Mark;
using yaml::Node;

constexpr std::array<std::string_view, 18> k_keywords = {
    "ADD",        "ARG",    "CMD",  "COPY",        "ENTRYPOINT", "ENV",  "EXPOSE", "FROM",   "HEALTHCHECK",
    "LABEL",      "MAINTAINER", "ONBUILD", "RUN", "SHELL",    "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};

// Instructions whose arguments may be a JSON array (exec form).
constexpr std::array<std::string_view, 7> k_json_keywords = {"RUN", "CMD", "ENTRYPOINT", "SHELL",
                                                             "COPY", "ADD", "VOLUME"};
// Instructions that take heredocs (BuildKit, Dockerfile syntax 1.4+).
constexpr std::array<std::string_view, 3> k_heredoc_keywords = {"RUN", "COPY", "ADD"};

constexpr std::size_t k_max_shown = 40;   // characters of hostile text quoted in messages
constexpr std::size_t k_max_tree_words = 10000;   // shell-form `args` kept in the tree per instruction

std::uint32_t to_u32(std::size_t v) {
    return v > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                         : static_cast<std::uint32_t>(v);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

// Characters (UTF-8 code points: bytes that are not continuation bytes) in `s`.
std::size_t count_chars(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
    }
    return n;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim_view(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && is_space(s[b])) ++b;
    while (e > b && is_space(s[e - 1])) --e;
    return s.substr(b, e - b);
}

std::string shown(std::string_view s) { return printable(s, k_max_shown); }

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view s) {
    return std::find(set.begin(), set.end(), s) != set.end();
}

struct Line {
    std::size_t begin = 0;
    std::size_t end = 0;   // excludes '\n' and a trailing '\r'
};

// Position of byte `pos` of a joined string described by `segments`.
Mark mark_in(const std::vector<Segment>& segments, std::string_view joined, std::size_t pos) {
    if (segments.empty()) return {};
    auto it = std::upper_bound(segments.begin(), segments.end(), pos,
                               [](std::size_t p, const Segment& s) { return p < s.offset; });
    if (it != segments.begin()) --it;
    const Segment& seg = *it;
    std::size_t from = std::min(seg.offset, joined.size());
    std::size_t to = std::min(std::max(pos, from), joined.size());
    return {seg.line, to_u32(seg.column + count_chars(joined.substr(from, to - from)))};
}

// Segments of joined.substr(pos) (re-based to offset 0).
std::vector<Segment> rebase(const std::vector<Segment>& segments, std::string_view joined, std::size_t pos) {
    std::vector<Segment> out;
    if (segments.empty()) return out;
    Mark first = mark_in(segments, joined, pos);
    out.push_back({0, first.line, first.column});
    for (const Segment& s : segments) {
        if (s.offset > pos) out.push_back({s.offset - pos, s.line, s.column});
    }
    return out;
}

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text), m_df(std::make_unique<Dockerfile>()) {
        std::size_t b = 0;
        while (b <= text.size()) {
            std::size_t nl = text.find('\n', b);
            std::size_t e = nl == std::string_view::npos ? text.size() : nl;
            std::size_t content_end = e;
            if (content_end > b && text[content_end - 1] == '\r') --content_end;
            m_lines.push_back({b, content_end});
            if (nl == std::string_view::npos) break;
            b = nl + 1;
        }
        // A trailing newline does not start another line.
        if (!m_lines.empty() && m_lines.back().begin == text.size() && text.size() > 0) m_lines.pop_back();
    }

    std::unique_ptr<Dockerfile> run() {
        parse_lines();
        finish_stages();
        build_tree();
        return std::move(m_df);
    }

private:
    std::string_view line_text(std::size_t i) const {
        return m_text.substr(m_lines[i].begin, m_lines[i].end - m_lines[i].begin);
    }

    Mark mark_of(std::size_t line, std::size_t byte) const {
        std::size_t b = m_lines[line].begin;
        return {to_u32(line + 1), to_u32(1 + count_chars(m_text.substr(b, byte - b)))};
    }

    void error(Mark mark, std::string message) {
        auto& errors = m_df->errors;
        if (errors.size() < k_max_errors) {
            errors.push_back({mark, std::move(message)});
        } else if (errors.size() == k_max_errors) {
            errors.push_back({mark, "too many errors; further problems are not reported"});
        }
    }

    bool is_blank(std::size_t i) const { return trim_view(line_text(i)).empty(); }
    bool is_comment(std::size_t i) const {
        std::string_view t = trim_view(line_text(i));
        return !t.empty() && t.front() == '#';
    }
    void add_comment(std::size_t i) {
        std::string_view t = trim_view(line_text(i));
        m_df->comments.push_back({to_u32(i + 1), std::string(trim_view(t.substr(1)))});
    }

    // `# name=value` at the top of the file; false when the line is not a directive.
    bool parse_directive(std::size_t i) {
        std::string_view t = line_text(i);
        std::size_t p = 0;
        if (p >= t.size() || t[p] != '#') return false;
        ++p;
        while (p < t.size() && is_space(t[p])) ++p;
        std::size_t name_begin = p;
        if (p >= t.size() || !std::isalpha(static_cast<unsigned char>(t[p]))) return false;
        while (p < t.size() && std::isalnum(static_cast<unsigned char>(t[p]))) ++p;
        std::string name = util::to_lower(t.substr(name_begin, p - name_begin));
        while (p < t.size() && is_space(t[p])) ++p;
        if (p >= t.size() || t[p] != '=') return false;
        ++p;
        std::string_view value = trim_view(t.substr(p));
        if (value.empty()) return false;
        if (name != "syntax" && name != "escape" && name != "check") return false;
        Mark mark = mark_of(i, m_lines[i].begin);
        for (const Directive& d : m_df->directives) {
            if (d.name == name) {
                error(mark, "only one \"" + name + "\" parser directive can be used");
                return true;
            }
        }
        if (name == "escape") {
            if (value == "\\" || value == "`") {
                m_df->escape = value.front();
            } else {
                error(mark, "invalid escape directive \"" + shown(value) + "\": must be ` or \\");
            }
        }
        m_df->directives.push_back({name, std::string(value), mark});
        return true;
    }

    void parse_lines() {
        const std::size_t n = m_lines.size();
        bool directives = true;
        for (std::size_t i = 0; i < n; ++i) {
            if (directives) {
                if (parse_directive(i)) continue;
                directives = false;
            }
            if (is_blank(i)) continue;
            if (is_comment(i)) {
                add_comment(i);
                continue;
            }
            if (m_df->instructions.size() >= k_max_instructions) {
                error(mark_of(i, m_lines[i].begin),
                      "more than " + std::to_string(k_max_instructions) +
                          " instructions; the rest of the file is not checked");
                return;
            }
            i = parse_instruction(i);
        }
    }

    // Parses the instruction starting on line `first`; returns the index of its last line.
    std::size_t parse_instruction(std::size_t first) {
        const std::size_t n = m_lines.size();
        const char esc = m_df->escape;
        std::string logical;
        std::vector<Segment> segs;
        auto append = [&](std::size_t line, std::size_t from, std::size_t to) {
            if (to <= from) return;
            Mark m = mark_of(line, from);
            segs.push_back({logical.size(), m.line, m.column});
            logical.append(m_text.substr(from, to - from));
        };

        std::size_t i = first;
        std::size_t last = first;
        std::size_t from = m_lines[i].begin;
        while (from < m_lines[i].end && is_space(m_text[from])) ++from;
        while (true) {
            last = i;
            std::size_t e = m_lines[i].end;
            while (e > from && is_space(m_text[e - 1])) --e;
            if (e > from && m_text[e - 1] == esc) {
                append(i, from, e - 1);
                ++i;
                // Blank and comment lines inside a continuation are dropped (as BuildKit does).
                while (i < n && (is_blank(i) || is_comment(i))) {
                    if (is_comment(i)) add_comment(i);
                    ++i;
                }
                if (i >= n) {
                    last = n - 1;
                    break;
                }
                from = m_lines[i].begin;
                continue;
            }
            append(i, from, m_lines[i].end);
            break;
        }

        Instruction ins;
        ins.end_line = to_u32(last + 1);
        ins.mark = segs.empty() ? mark_of(first, m_lines[first].begin) : Mark{segs[0].line, segs[0].column};

        // Keyword: the first word.
        std::size_t p = 0;
        while (p < logical.size() && !is_space(logical[p])) ++p;
        std::string_view word = std::string_view(logical).substr(0, p);
        ins.keyword = upper(word.substr(0, std::min<std::size_t>(word.size(), 64)));
        bool known = one_of(k_keywords, ins.keyword);
        if (!known) error(ins.mark, "unknown instruction \"" + shown(word) + "\"");
        while (p < logical.size() && is_space(logical[p])) ++p;

        // Flags: leading `--name[=value]` words (ONBUILD's belong to its trigger instruction).
        if (known && ins.keyword != "ONBUILD") {
            while (p + 1 < logical.size() && logical[p] == '-' && logical[p + 1] == '-') {
                Flag flag;
                flag.mark = mark_in(segs, logical, p);
                std::size_t q = p + 2;
                std::string text;
                char quote = 0;
                for (; q < logical.size(); ++q) {
                    char c = logical[q];
                    if (quote) {
                        if (c == quote) quote = 0;
                        else text.push_back(c);
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                    } else if (is_space(c)) {
                        break;
                    } else {
                        text.push_back(c);
                    }
                }
                std::size_t eq = text.find('=');
                flag.name = util::to_lower(text.substr(0, eq));
                if (eq != std::string::npos) flag.value = text.substr(eq + 1);
                ins.flags.push_back(std::move(flag));
                p = q;
                while (p < logical.size() && is_space(logical[p])) ++p;
            }
        }

        std::size_t args_end = logical.size();
        while (args_end > p && is_space(logical[args_end - 1])) --args_end;
        ins.arguments = logical.substr(p, args_end - p);
        ins.segments = rebase(segs, logical, p);
        ins.args_mark = mark_in(segs, logical, p);

        // Exec (JSON) form.
        std::string_view json_text;
        if (one_of(k_json_keywords, ins.keyword)) {
            json_text = ins.arguments;
        } else if (ins.keyword == "HEALTHCHECK" && ins.arguments.size() > 3 &&
                   upper(std::string_view(ins.arguments).substr(0, 3)) == "CMD" && is_space(ins.arguments[3])) {
            json_text = trim_view(std::string_view(ins.arguments).substr(3));
        }
        if (!json_text.empty() && json_text.front() == '[') {
            auto json = nlohmann::json::parse(json_text, nullptr, false);
            if (!json.is_discarded() && json.is_array() &&
                std::all_of(json.begin(), json.end(), [](const nlohmann::json& v) { return v.is_string(); })) {
                ins.json_form = true;
                for (const auto& v : json) ins.json_args.push_back(v.get<std::string>());
            }
        }

        if (one_of(k_heredoc_keywords, ins.keyword) && !ins.json_form) {
            find_heredocs(ins);
            if (!ins.heredocs.empty()) {
                last = read_heredoc_bodies(ins, last + 1);
                ins.end_line = to_u32(last + 1);
            }
        }

        add_instruction(std::move(ins));
        return last;
    }

    // `<<WORD`, `<<-WORD`, `<<"WORD"`, `<<'WORD'` words of the arguments, outside quotes.
    void find_heredocs(Instruction& ins) {
        const std::string& a = ins.arguments;
        char quote = 0;
        for (std::size_t p = 0; p < a.size(); ++p) {
            char c = a[p];
            if (quote) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"') ++p;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            if (c == '\\') {
                ++p;
                continue;
            }
            if (c != '<' || p + 1 >= a.size() || a[p + 1] != '<') continue;
            if (p > 0 && !is_space(a[p - 1]) && !std::isdigit(static_cast<unsigned char>(a[p - 1]))) {
                ++p;
                continue;
            }
            std::size_t start = p;
            std::size_t q = p + 2;
            if (q < a.size() && a[q] == '<') {   // <<< here-string
                p = q;
                continue;
            }
            Heredoc h;
            if (q < a.size() && a[q] == '-') {
                h.strip_tabs = true;
                ++q;
            }
            if (q < a.size() && (a[q] == '"' || a[q] == '\'')) {
                char qc = a[q];
                std::size_t close = a.find(qc, q + 1);
                if (close == std::string::npos) {
                    p = a.size();
                    continue;
                }
                h.delimiter = a.substr(q + 1, close - q - 1);
                h.quoted = true;
                q = close + 1;
            } else {
                std::size_t b = q;
                while (q < a.size() && !is_space(a[q]) && std::string_view("<>|;&()'\"").find(a[q]) == std::string_view::npos)
                    ++q;
                h.delimiter = a.substr(b, q - b);
            }
            p = q == 0 ? 0 : q - 1;
            if (h.delimiter.empty()) continue;
            h.mark = ins.mark_at(start);
            ins.heredocs.push_back(std::move(h));
        }
    }

    // Reads the bodies of ins.heredocs from line `next` on; returns the last line consumed.
    std::size_t read_heredoc_bodies(Instruction& ins, std::size_t next) {
        const std::size_t n = m_lines.size();
        std::size_t li = next;
        std::size_t last = next == 0 ? 0 : next - 1;
        for (Heredoc& h : ins.heredocs) {
            h.body_line = to_u32(li + 1);
            bool found = false;
            bool any = false;
            while (li < n) {
                std::string_view line = line_text(li);
                std::size_t tabs = 0;
                if (h.strip_tabs) {
                    while (tabs < line.size() && line[tabs] == '\t') ++tabs;
                    line = line.substr(tabs);
                }
                last = li;
                ++li;
                if (line == h.delimiter) {
                    found = true;
                    break;
                }
                if (any) h.body.push_back('\n');
                any = true;
                h.body.append(line);
                if (h.strip_tabs) h.stripped.push_back(to_u32(tabs));
            }
            if (!found) {
                h.terminated = false;
                error(h.mark, "unterminated heredoc: no line \"" + shown(h.delimiter) +
                                  "\" before the end of the file");
            }
        }
        return last;
    }

    void add_instruction(Instruction ins) {
        auto& df = *m_df;
        if (ins.keyword == "FROM") {
            start_stage(ins);
        } else if (df.stages.empty() && ins.keyword != "ARG") {
            error(ins.mark, shown(ins.keyword) + " before the first FROM (only ARG may precede FROM)");
        }
        ins.stage = df.stages.empty() ? -1 : static_cast<int>(df.stages.size() - 1);
        df.instructions.push_back(std::move(ins));
    }

    void start_stage(const Instruction& ins) {
        auto& df = *m_df;
        std::size_t index = df.instructions.size();
        if (!df.stages.empty()) df.stages.back().end_instruction = index;
        Stage st;
        st.index = static_cast<int>(df.stages.size());
        st.from_instruction = index;
        st.mark = ins.mark;
        st.image_mark = ins.args_mark;
        if (const Flag* f = ins.flag("platform")) st.platform = f->value;

        std::vector<std::string_view> words;
        std::string_view a = ins.arguments;
        std::size_t p = 0;
        while (p < a.size()) {
            while (p < a.size() && is_space(a[p])) ++p;
            std::size_t b = p;
            while (p < a.size() && !is_space(a[p])) ++p;
            if (p > b) words.push_back(a.substr(b, p - b));
        }
        if (words.empty()) {
            error(ins.mark, "FROM requires an image reference");
        } else {
            st.image = std::string(words[0]);
            if (words.size() == 3 && util::to_lower(words[1]) == "as") {
                st.name = util::to_lower(words[2]);
            } else if (words.size() != 1) {
                error(ins.args_mark, "FROM expects `FROM [--platform=…] IMAGE [AS NAME]`, found \"" +
                                         shown(ins.arguments) + "\"");
            }
        }
        ImageParts parts = split_image(st.image);
        st.repository = std::move(parts.repository);
        st.tag = std::move(parts.tag);
        st.digest = std::move(parts.digest);
        st.scratch = util::to_lower(st.image) == "scratch";
        if (auto it = m_stage_names.find(util::to_lower(st.image)); it != m_stage_names.end()) {
            st.from_stage = true;
            st.parent = it->second;   // the latest earlier stage of that name
        }
        if (!st.name.empty()) m_stage_names[st.name] = st.index;
        df.stages.push_back(std::move(st));
    }

    void finish_stages() {
        auto& df = *m_df;
        if (!df.stages.empty()) df.stages.back().end_instruction = df.instructions.size();
        if (df.stages.empty() && !df.instructions.empty()) {
            error(df.instructions.front().mark, "no FROM instruction: a Dockerfile must start a build stage");
        }
    }

    // ---- the normalised tree -------------------------------------------------------------
    Node* scalar(std::string text, Mark m, yaml::Style style = yaml::Style::DoubleQuoted) {
        Node* n = m_df->tree.make_node();
        n->kind = yaml::Kind::Scalar;
        n->style = style;
        n->start = m;
        n->end = m;
        n->text = std::move(text);
        return n;
    }
    Node* integer(std::size_t v, Mark m) { return scalar(std::to_string(v), m, yaml::Style::Plain); }
    Node* null_scalar(Mark m) { return scalar("", m, yaml::Style::Plain); }
    Node* string_or_null(const std::string& s, Mark m) { return s.empty() ? null_scalar(m) : scalar(s, m); }
    Node* collection(yaml::Kind kind, Mark m) {
        Node* n = m_df->tree.make_node();
        n->kind = kind;
        n->style = yaml::Style::Block;
        n->start = m;
        n->end = m;
        return n;
    }
    void put(Node* map, std::string_view key, Mark key_mark, const Node* value) {
        map->pairs.push_back({scalar(std::string(key), key_mark, yaml::Style::Plain), value});
    }

    const Node* instruction_node(const Instruction& ins) {
        Node* m = collection(yaml::Kind::Mapping, ins.mark);
        m->pairs.reserve(9);
        put(m, "instruction", ins.mark, scalar(ins.keyword, ins.mark));
        put(m, "line", ins.mark, integer(ins.mark.line, ins.mark));
        put(m, "column", ins.mark, integer(ins.mark.column, ins.mark));
        Node* flags = collection(yaml::Kind::Mapping, ins.mark);
        // A repeated flag (several --mount) becomes a sequence of its values.
        std::map<std::string_view, std::vector<const Flag*>> by_name;
        std::vector<std::string_view> order;
        for (const Flag& f : ins.flags) {
            auto& same = by_name[f.name];
            if (same.empty()) order.push_back(f.name);
            same.push_back(&f);
        }
        for (std::string_view name : order) {
            const auto& same = by_name[name];
            const Flag& f = *same.front();
            if (same.size() == 1) {
                put(flags, f.name, f.mark, scalar(f.value, f.mark));
            } else {
                Node* seq = collection(yaml::Kind::Sequence, f.mark);
                for (const Flag* g : same) seq->items.push_back(scalar(g->value, g->mark));
                put(flags, f.name, f.mark, seq);
            }
        }
        put(m, "flags", ins.mark, flags);
        put(m, "arguments", ins.args_mark, scalar(ins.arguments, ins.args_mark));
        put(m, "form", ins.args_mark, scalar(ins.json_form ? "exec" : "shell", ins.args_mark, yaml::Style::Plain));
        Node* args = collection(yaml::Kind::Sequence, ins.args_mark);
        args->items.reserve(ins.json_form ? ins.json_args.size() : 8);
        if (ins.json_form) {
            for (const std::string& s : ins.json_args) args->items.push_back(scalar(s, ins.args_mark));
        } else {
            // Shell form: the words, split at unquoted blanks, quotes removed.
            const std::string& a = ins.arguments;
            std::string word;
            std::size_t word_start = 0;
            bool in_word = false;
            char quote = 0;
            auto flush = [&]() {
                if (in_word && args->items.size() < k_max_tree_words) {
                    args->items.push_back(scalar(word, ins.mark_at(word_start)));
                }
                word.clear();
                in_word = false;
            };
            for (std::size_t p = 0; p < a.size(); ++p) {
                char c = a[p];
                if (!quote && is_space(c)) {
                    flush();
                    continue;
                }
                if (!in_word) {
                    in_word = true;
                    word_start = p;
                }
                if (quote) {
                    if (c == quote) quote = 0;
                    else word.push_back(c);
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    word.push_back(c);
                }
            }
            flush();
        }
        put(m, "args", ins.args_mark, args);
        Node* heredocs = collection(yaml::Kind::Sequence, ins.mark);
        for (const Heredoc& h : ins.heredocs) {
            Node* hn = collection(yaml::Kind::Mapping, h.mark);
            put(hn, "delimiter", h.mark, scalar(h.delimiter, h.mark));
            Mark body_mark{h.body_line, 1};
            put(hn, "body", body_mark, scalar(h.body, body_mark));
            put(hn, "line", h.mark, integer(h.body_line, h.mark));
            heredocs->items.push_back(hn);
        }
        put(m, "heredocs", ins.mark, heredocs);
        return m;
    }

    void build_tree() {
        auto& df = *m_df;
        Mark top{1, 1};
        Node* root = collection(yaml::Kind::Mapping, top);
        Node* directives = collection(yaml::Kind::Mapping, top);
        for (const Directive& d : df.directives) put(directives, d.name, d.mark, scalar(d.value, d.mark));
        put(root, "directives", top, directives);
        Node* args = collection(yaml::Kind::Sequence, top);
        for (const Instruction& ins : df.instructions) {
            if (ins.stage < 0) args->items.push_back(instruction_node(ins));
        }
        put(root, "args", top, args);
        Node* stages = collection(yaml::Kind::Sequence, top);
        for (const Stage& st : df.stages) {
            Node* s = collection(yaml::Kind::Mapping, st.mark);
            s->pairs.reserve(8);
            put(s, "index", st.mark, integer(static_cast<std::size_t>(st.index), st.mark));
            put(s, "name", st.mark, string_or_null(st.name, st.mark));
            put(s, "image", st.image_mark, scalar(st.image, st.image_mark));
            put(s, "repository", st.image_mark, scalar(st.repository, st.image_mark));
            put(s, "tag", st.image_mark, string_or_null(st.tag, st.image_mark));
            put(s, "digest", st.image_mark, string_or_null(st.digest, st.image_mark));
            put(s, "platform", st.mark, string_or_null(st.platform, st.mark));
            Node* list = collection(yaml::Kind::Sequence, st.mark);
            list->items.reserve(st.end_instruction - st.from_instruction);
            for (std::size_t i = st.from_instruction; i < st.end_instruction && i < df.instructions.size(); ++i) {
                list->items.push_back(instruction_node(df.instructions[i]));
            }
            put(s, "instructions", st.mark, list);
            stages->items.push_back(s);
        }
        put(root, "stages", top, stages);
        df.tree.set_root(root);
    }

    std::string_view m_text;
    std::vector<Line> m_lines;
    std::unique_ptr<Dockerfile> m_df;
    std::map<std::string, int, std::less<>> m_stage_names;
};

}  // namespace

yaml::Mark Heredoc::mark_at(std::size_t offset) const {
    offset = std::min(offset, body.size());
    std::size_t line_index = 0;
    std::size_t line_start = 0;
    for (std::size_t p = body.find('\n'); p != std::string::npos && p < offset; p = body.find('\n', p + 1)) {
        ++line_index;
        line_start = p + 1;
    }
    std::size_t col = 1 + count_chars(std::string_view(body).substr(line_start, offset - line_start));
    if (strip_tabs && line_index < stripped.size()) col += stripped[line_index];
    return {to_u32(body_line + line_index), to_u32(col)};
}

yaml::Mark Instruction::mark_at(std::size_t offset) const {
    if (segments.empty()) return args_mark;
    return mark_in(segments, arguments, offset);
}

const Flag* Instruction::flag(std::string_view name) const {
    for (const Flag& f : flags) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

std::string printable(std::string_view text, std::size_t max_chars) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t chars = 0;
    auto escape = [&](unsigned char b) {
        out += "\\x";
        out.push_back(k_hex[b >> 4U]);
        out.push_back(k_hex[b & 0xFU]);
    };
    for (std::size_t i = 0; i < text.size(); ++chars) {
        if (chars >= max_chars) {
            out += "…";
            break;
        }
        auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x80U) {
            if (b < 0x20U || b == 0x7FU) escape(b);
            else out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        std::size_t len = (b & 0xE0U) == 0xC0U ? 2 : (b & 0xF0U) == 0xE0U ? 3 : (b & 0xF8U) == 0xF0U ? 4 : 0;
        bool valid = len != 0 && i + len <= text.size() && b >= 0xC2U && b <= 0xF4U;
        for (std::size_t k = 1; valid && k < len; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0U) == 0x80U;
        }
        if (valid && len == 3) {   // no overlongs, no surrogates
            auto b1 = static_cast<unsigned char>(text[i + 1]);
            valid = !(b == 0xE0U && b1 < 0xA0U) && !(b == 0xEDU && b1 >= 0xA0U);
        }
        if (valid && len == 4) {
            auto b1 = static_cast<unsigned char>(text[i + 1]);
            valid = !(b == 0xF0U && b1 < 0x90U) && !(b == 0xF4U && b1 >= 0x90U);
        }
        if (!valid) {
            escape(b);
            ++i;
            continue;
        }
        out.append(text.substr(i, len));
        i += len;
    }
    return out;
}

ImageParts split_image(std::string_view image) {
    ImageParts parts;
    std::string_view rest = image;
    if (std::size_t at = rest.find('@'); at != std::string_view::npos) {
        parts.digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    std::size_t slash = rest.rfind('/');
    std::size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        parts.tag = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
    }
    parts.repository = std::string(rest);
    return parts;
}

std::unique_ptr<Dockerfile> parse(std::string_view text) { return Parser(text).run(); }

bool looks_like_dockerfile(std::string_view text) {
    constexpr std::size_t k_max_lines = 2000;
    std::size_t b = 0;
    bool continued = false;
    for (std::size_t n = 0; n < k_max_lines && b < text.size(); ++n) {
        std::size_t nl = text.find('\n', b);
        std::string_view line = text.substr(b, nl == std::string_view::npos ? std::string_view::npos : nl - b);
        b = nl == std::string_view::npos ? text.size() : nl + 1;
        std::string_view t = trim_view(line);
        if (!t.empty() && t.back() == '\r') t = trim_view(t.substr(0, t.size() - 1));
        bool was_continued = continued;
        continued = !t.empty() && (t.back() == '\\' || t.back() == '`');
        if (was_continued || t.empty() || t.front() == '#') continue;
        std::vector<std::string_view> words;
        std::size_t p = 0;
        while (p < t.size() && words.size() < 5) {
            while (p < t.size() && is_space(t[p])) ++p;
            std::size_t s = p;
            while (p < t.size() && !is_space(t[p])) ++p;
            if (p > s) words.push_back(t.substr(s, p - s));
        }
        std::string key = upper(words.front());
        if (key == "ARG" && words.size() >= 2) {
            continue;
        }
        if (key != "FROM") return false;
        std::size_t w = 1;
        while (w < words.size() && words[w].starts_with("--")) ++w;
        std::size_t rest = words.size() - w;
        if (rest == 1) return true;
        if (rest == 3 && upper(words[w + 1]) == "AS") return true;
        return false;
    }
    return false;
}

}  // namespace coconut::policy::dockerfile
