#include "coconut/yaml/emit.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "coconut/yaml/dialect.hpp"

namespace coconut::yaml {

using json = nlohmann::ordered_json;

namespace {

bool is_indicator(char c) {
    switch (c) {
        case '-': case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
        case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%': case '@':
        case '`':
            return true;
        default:
            return false;
    }
}

// Characters that force double quotes: control characters, DEL, and the Unicode line breaks
// and BOM that YAML readers treat specially.
bool has_special_chars(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return true;  // NEL
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
            return true;  // LS, PS
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
            static_cast<unsigned char>(s[i + 2]) == 0xBF)
            return true;  // BOM
    }
    return false;
}

void append_double_quoted(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\0': out += "\\0"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\x%02X", c);
                    out += buf;
                } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) {
                    out += "\\N";
                    ++i;
                } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                           (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                            static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
                    out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\L" : "\\P";
                    i += 2;
                } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
                           static_cast<unsigned char>(s[i + 2]) == 0xBF) {
                    out += "\\uFEFF";
                    i += 2;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

// A multi-line string reads best as a literal block, when the block can hold it exactly.
bool literal_block_ok(std::string_view s) {
    if (s.find('\n') == std::string_view::npos) return false;
    if (has_special_chars(s)) return false;
    // Lines that end in spaces are kept by literal blocks, but trailing-space-only lines before a
    // less-indented line confuse some readers; keep it simple and exact: the first non-empty line
    // may not start with a space or tab (readers take the block's indentation from it; that would
    // need an indentation indicator), and no whitespace-only last line.
    const std::size_t first = s.find_first_not_of('\n');
    if (first != std::string_view::npos && (s[first] == ' ' || s[first] == '\t')) return false;
    std::size_t last_nl = s.find_last_not_of('\n');
    if (last_nl == std::string_view::npos) return false;  // only newlines
    std::string_view body = s.substr(0, last_nl + 1);
    std::size_t ls = body.rfind('\n');
    std::string_view last = ls == std::string_view::npos ? body : body.substr(ls + 1);
    if (!last.empty() && last.find_first_not_of(" \t") == std::string_view::npos) return false;
    return true;
}

void append_literal_block(std::string& out, std::string_view s, int indent) {
    // chomping: one trailing newline -> "|", none -> "|-", several -> "|+"
    std::size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    out += trailing == 0 ? "|-" : trailing == 1 ? "|" : "|+";
    out += '\n';
    std::string_view body = s.substr(0, s.size() - trailing);
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t nl = body.find('\n', start);
        std::string_view line = body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (!line.empty()) out.append(static_cast<std::size_t>(indent < 2 ? 2 : indent), ' ');
        out += line;
        out += '\n';
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    for (std::size_t i = 1; i < trailing; ++i) out += '\n';
}

void append_number(std::string& out, const json& v) {
    char buf[64];
    if (v.is_number_integer() && !v.is_number_unsigned()) {
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get<std::int64_t>());
        out.append(buf, p);
        return;
    }
    if (v.is_number_unsigned()) {
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get<std::uint64_t>());
        out.append(buf, p);
        return;
    }
    double d = v.get<double>();
    if (std::isnan(d)) {
        out += ".nan";
        return;
    }
    if (std::isinf(d)) {
        out += d < 0 ? "-.inf" : ".inf";
        return;
    }
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    std::string_view s(buf, static_cast<std::size_t>(p - buf));
    // Keep it a float for every reader: "1" would read back as an int, and YAML 1.1 (PyYAML)
    // reads an exponent without a dot ("1e-04") as a string: write "1.0e-04".
    const std::size_t e = s.find_first_of("eE");
    if (s.find('.') != std::string_view::npos) {
        out += s;
    } else if (e != std::string_view::npos) {
        out += s.substr(0, e);
        out += ".0";
        out += s.substr(e);
    } else {
        out += s;
        out += ".0";
    }
}

void append_string(std::string& out, std::string_view s, int indent, bool is_key) {
    if (!is_key && literal_block_ok(s)) {
        append_literal_block(out, s, indent);
        return;
    }
    if (needs_quotes(s)) {
        append_double_quoted(out, s);
        return;
    }
    out += s;
}

void append_scalar(std::string& out, const json& v, int indent) {
    switch (v.type()) {
        case json::value_t::null: out += "null"; break;
        case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: append_number(out, v); break;
        case json::value_t::string: append_string(out, v.get_ref<const std::string&>(), indent, false); break;
        default: break;
    }
}

bool is_empty_collection(const json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

void emit_node(std::string& out, const json& v, int indent);

// Emits the value that follows "key:" or "- " on the current line.
void emit_after_indicator(std::string& out, const json& v, int indent, bool after_dash) {
    if ((v.is_object() || v.is_array()) && !v.empty()) {
        // After a dash the collection starts on the same line ("- key: value", following keys
        // aligned under the first); after "key:" on the next line, indented.
        if (!after_dash) {
            out += '\n';
            out.append(static_cast<std::size_t>(indent), ' ');
        }
        emit_node(out, v, indent);
    } else if (is_empty_collection(v)) {
        out += v.is_object() ? "{}" : "[]";
        out += '\n';
    } else {
        append_scalar(out, v, indent);
        if (out.back() != '\n') out += '\n';
    }
}

// Precondition: the cursor is at column `indent` of a fresh line (or after "- ").
void emit_node(std::string& out, const json& v, int indent) {
    if (v.is_object() && !v.empty()) {
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            if (!first) out.append(static_cast<std::size_t>(indent), ' ');
            first = false;
            append_string(out, it.key(), indent, true);
            out += ':';
            const json& child = it.value();
            if ((child.is_object() || child.is_array()) && !child.empty()) {
                emit_after_indicator(out, child, indent + 2, false);
            } else {
                out += ' ';
                emit_after_indicator(out, child, indent + 2, false);
            }
        }
    } else if (v.is_array() && !v.empty()) {
        bool first = true;
        for (const auto& item : v) {
            if (!first) out.append(static_cast<std::size_t>(indent), ' ');
            first = false;
            out += "- ";
            emit_after_indicator(out, item, indent + 2, true);
        }
    } else {
        emit_after_indicator(out, v, indent, false);
    }
}

}  // namespace

bool needs_quotes(std::string_view s) {
    if (s.empty()) return true;
    if (has_special_chars(s) || s.find('\n') != std::string_view::npos) return true;
    if (is_indicator(s.front())) return true;
    if (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t') return true;
    if (s.back() == ':') return true;
    if (s.find(": ") != std::string_view::npos || s.find(":\t") != std::string_view::npos) return true;
    if (s.find(" #") != std::string_view::npos || s.find("\t#") != std::string_view::npos) return true;
    if (s == "<<" || s == "=") return true;  // YAML 1.1 merge and value keys
    if (s.starts_with("---") || s.starts_with("...")) return true;
    for (auto d : {Dialect::Core12, Dialect::Yaml11, Dialect::Kubernetes})
        if (classify_plain(s, d) != ScalarType::String) return true;
    return false;
}

void emit_to(std::string& out, const json& value) { emit_node(out, value, 0); }

std::string emit(const json& value) {
    std::string out;
    emit_to(out, value);
    return out;
}

std::string emit_stream(const std::vector<json>& docs) {
    std::string out;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (i) out += "---\n";
        emit_to(out, docs[i]);
    }
    return out;
}

std::string emit_scalar(const json& value) {
    std::string out;
    if (value.is_object() || value.is_array()) {
        out = value.dump();
        return out;
    }
    append_scalar(out, value, 0);
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace coconut::yaml
