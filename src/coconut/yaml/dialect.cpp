// Scalar resolution per dialect. Hand-written matchers instead of std::regex: std::regex is
// slow and this runs for every plain scalar we read and every string we emit.
#include "coconut/yaml/dialect.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace coconut::yaml {

const char* to_string(ScalarType t) {
    switch (t) {
        case ScalarType::Null: return "null";
        case ScalarType::Bool: return "bool";
        case ScalarType::Int: return "int";
        case ScalarType::Float: return "float";
        case ScalarType::Timestamp: return "timestamp";
        case ScalarType::String: return "string";
    }
    return "string";
}

const char* to_string(Dialect d) {
    switch (d) {
        case Dialect::Core12: return "yaml-1.2";
        case Dialect::Yaml11: return "yaml-1.1";
        case Dialect::Kubernetes: return "kubernetes";
    }
    return "yaml-1.2";
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool one_of(std::string_view s, std::initializer_list<std::string_view> set) {
    for (auto v : set)
        if (s == v) return true;
    return false;
}

// All characters of s (non-empty) satisfy pred.
template <class P>
bool all(std::string_view s, P pred) {
    if (s.empty()) return false;
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

std::string_view strip_sign(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    return s;
}

bool is_null_text(std::string_view s) { return one_of(s, {"", "~", "null", "Null", "NULL"}); }
bool is_inf_nan(std::string_view s) {
    auto u = strip_sign(s);
    if (one_of(u, {".inf", ".Inf", ".INF"})) return true;
    return one_of(s, {".nan", ".NaN", ".NAN"});
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?   (YAML 1.2 core and go-yaml)
bool is_core_float(std::string_view s, bool require_exp_sign = false) {
    s = strip_sign(s);
    std::size_t i = 0, n = s.size();
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < n && is_digit(s[i])) ++i, ++int_digits;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && is_digit(s[i])) ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        else if (require_exp_sign) return false;
        std::size_t e = 0;
        while (i < n && is_digit(s[i])) ++i, ++e;
        if (e == 0) return false;
    }
    return i == n;
}

// --- YAML 1.2 core ---
ScalarType classify_core(std::string_view s) {
    if (is_null_text(s)) return ScalarType::Null;
    if (one_of(s, {"true", "True", "TRUE", "false", "False", "FALSE"})) return ScalarType::Bool;
    if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && all(s.substr(2), [](char c) { return c >= '0' && c <= '7'; }))
        return ScalarType::Int;
    if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && all(s.substr(2), is_hex)) return ScalarType::Int;
    if (all(strip_sign(s), is_digit)) return ScalarType::Int;
    if (is_core_float(s) || is_inf_nan(s)) return ScalarType::Float;
    return ScalarType::String;
}

// --- YAML 1.1 as PyYAML reads it ---
bool digits_underscores(std::string_view s, bool (*digit)(char)) {
    if (s.empty()) return false;
    for (char c : s)
        if (!(digit(c) || c == '_')) return false;
    return true;
}
bool bin_digit(char c) { return c == '0' || c == '1'; }
bool oct_digit(char c) { return c >= '0' && c <= '7'; }
bool dec_digit(char c) { return is_digit(c); }
bool hex_digit(char c) { return is_hex(c); }

// [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+  (base 60 int; a float's integer part may start with 0)
bool is_sexagesimal_int(std::string_view s, bool leading_zero_ok = false) {
    s = strip_sign(s);
    auto colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    auto head = s.substr(0, colon);
    const char lo = leading_zero_ok ? '0' : '1';
    if (!(head[0] >= lo && head[0] <= '9') || !digits_underscores(head, dec_digit)) return false;
    auto rest = s.substr(colon);
    while (!rest.empty()) {
        if (rest[0] != ':') return false;
        rest.remove_prefix(1);
        std::size_t k = 0;
        while (k < rest.size() && k < 2 && is_digit(rest[k])) ++k;
        if (k == 0) return false;
        if (k == 2 && rest[0] > '5') return false;
        rest.remove_prefix(k);
    }
    return true;
}

bool is_yaml11_int(std::string_view s) {
    auto u = strip_sign(s);
    if (u.size() > 2 && u[0] == '0' && u[1] == 'b') return digits_underscores(u.substr(2), bin_digit);
    if (u.size() > 2 && u[0] == '0' && u[1] == 'x') return digits_underscores(u.substr(2), hex_digit);
    if (u.size() > 1 && u[0] == '0') return digits_underscores(u.substr(1), oct_digit);
    if (u == "0") return true;
    if (!u.empty() && u[0] >= '1' && u[0] <= '9' && digits_underscores(u, dec_digit)) return true;
    return is_sexagesimal_int(s);
}

// PyYAML: [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
//        | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?        (PyYAML's resolver also allows a sign here)
//        | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
//        | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
bool is_yaml11_float(std::string_view s) {
    if (is_inf_nan(s)) return true;
    auto u = strip_sign(s);
    auto dot = u.find('.');
    if (dot == std::string_view::npos) return false;
    auto head = u.substr(0, dot);
    auto tail = u.substr(dot + 1);
    auto e = tail.find_first_of("eE");
    auto frac = tail.substr(0, e);
    if (e != std::string_view::npos) {
        auto exp = tail.substr(e + 1);
        if (exp.size() < 2 || (exp[0] != '+' && exp[0] != '-') || !all(exp.substr(1), is_digit)) return false;
    }
    if (!frac.empty() && !digits_underscores(frac, dec_digit)) return false;
    if (head.empty()) return !frac.empty() && is_digit(frac[0]);
    if (digits_underscores(head, dec_digit) && is_digit(head[0])) return true;
    // base 60 float: 190:20:30.15
    return e == std::string_view::npos && head.find(':') != std::string_view::npos && is_sexagesimal_int(head, true);
}

// YYYY-MM-DD or YYYY-M-D[Tt ]H:MM:SS[.frac][Z|±HH[:MM]]
bool is_timestamp(std::string_view s, bool go_style) {
    std::size_t i = 0, n = s.size();
    auto digits = [&](std::size_t min, std::size_t max) {
        std::size_t k = 0;
        while (i < n && k < max && is_digit(s[i])) ++i, ++k;
        return k >= min;
    };
    if (!digits(4, 4) || i >= n || s[i++] != '-') return false;
    if (!digits(1, 2) || i >= n || s[i++] != '-') return false;
    std::size_t day_start = i;
    if (!digits(1, 2)) return false;
    if (i == n) return go_style || (i - day_start == 2 && s[5] != '-' && s.size() == 10);
    if (s[i] == 'T' || s[i] == 't') {
        ++i;
    } else if (s[i] == ' ' || s[i] == '\t') {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
    } else {
        return false;
    }
    if (!digits(1, 2) || i >= n || s[i++] != ':') return false;
    if (!digits(2, 2) || i >= n || s[i++] != ':') return false;
    if (!digits(2, 2)) return false;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && is_digit(s[i])) ++i;
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == n) return true;
    if (s[i] == 'Z') return i + 1 == n;
    if (s[i] == '+' || s[i] == '-') {
        ++i;
        if (!digits(1, 2)) return false;
        if (i < n && s[i] == ':') {
            ++i;
            if (!digits(2, 2)) return false;
        }
        return i == n;
    }
    return false;
}

ScalarType classify_yaml11(std::string_view s) {
    if (is_null_text(s)) return ScalarType::Null;
    if (one_of(s, {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on",
                   "On", "ON", "off", "Off", "OFF"}))
        return ScalarType::Bool;
    if (is_yaml11_int(s)) return ScalarType::Int;
    if (is_yaml11_float(s)) return ScalarType::Float;
    if (is_timestamp(s, false)) return ScalarType::Timestamp;
    return ScalarType::String;
}

// --- Kubernetes: sigs.k8s.io/yaml on go-yaml v2 ---
bool is_go_int(std::string_view s) {
    // go-yaml v2 strips '_' and calls strconv.ParseInt(s, 0, 64) (plus its own 0b handling).
    std::string plain;
    for (char c : s)
        if (c != '_') plain += c;
    std::string_view u = strip_sign(plain);
    if (u.empty()) return false;
    if (u.size() > 2 && u[0] == '0' && (u[1] == 'x' || u[1] == 'X')) return all(u.substr(2), is_hex);
    if (u.size() > 2 && u[0] == '0' && (u[1] == 'b' || u[1] == 'B')) return all(u.substr(2), bin_digit);
    if (u.size() > 2 && u[0] == '0' && (u[1] == 'o' || u[1] == 'O')) return all(u.substr(2), oct_digit);
    if (u.size() > 1 && u[0] == '0') return all(u.substr(1), oct_digit);
    return all(u, is_digit);
}

ScalarType classify_kubernetes(std::string_view s) {
    if (is_null_text(s)) return ScalarType::Null;
    if (one_of(s, {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
                   "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}))
        return ScalarType::Bool;
    if (is_go_int(s)) return ScalarType::Int;
    if (is_core_float(s) || is_inf_nan(s)) return ScalarType::Float;
    if (!s.empty() && is_digit(s[0]) && is_timestamp(s, true)) return ScalarType::Timestamp;
    return ScalarType::String;
}

}  // namespace

ScalarType classify_plain(std::string_view text, Dialect dialect) {
    switch (dialect) {
        case Dialect::Core12: return classify_core(text);
        case Dialect::Yaml11: return classify_yaml11(text);
        case Dialect::Kubernetes: return classify_kubernetes(text);
    }
    return ScalarType::String;
}

ScalarType resolve(const Node& node, Dialect dialect) {
    if (!node.tag.empty()) {
        const std::string& t = node.tag;
        if (t == "!!str" || t == "tag:yaml.org,2002:str") return ScalarType::String;
        if (t == "!!int" || t == "tag:yaml.org,2002:int") return ScalarType::Int;
        if (t == "!!float" || t == "tag:yaml.org,2002:float") return ScalarType::Float;
        if (t == "!!bool" || t == "tag:yaml.org,2002:bool") return ScalarType::Bool;
        if (t == "!!null" || t == "tag:yaml.org,2002:null") return ScalarType::Null;
        if (t == "!!timestamp" || t == "tag:yaml.org,2002:timestamp") return ScalarType::Timestamp;
        if (t == "!") return ScalarType::String;  // non-specific tag: a string
    }
    if (node.style != Style::Plain) return ScalarType::String;
    return classify_plain(node.text, dialect);
}

std::optional<bool> as_bool(const Node& node, Dialect dialect) {
    if (!node.is_scalar() || resolve(node, dialect) != ScalarType::Bool) return std::nullopt;
    const auto& s = node.text;
    return one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"});
}

std::optional<std::int64_t> as_int(const Node& node, Dialect dialect) {
    if (!node.is_scalar() || resolve(node, dialect) != ScalarType::Int) return std::nullopt;
    std::string s;
    for (char c : node.text)
        if (c != '_') s += c;
    bool neg = false;
    std::string_view v = s;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    if (v.find(':') != std::string_view::npos) {  // base 60 (YAML 1.1)
        std::int64_t acc = 0;
        std::size_t start = 0;
        while (true) {
            auto c = v.find(':', start);
            auto piece = v.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start);
            std::int64_t x = 0;
            std::from_chars(piece.data(), piece.data() + piece.size(), x);
            acc = acc * 60 + x;
            if (c == std::string_view::npos) break;
            start = c + 1;
        }
        return neg ? -acc : acc;
    }
    int base = 10;
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) base = 16, v.remove_prefix(2);
    else if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'O')) base = 8, v.remove_prefix(2);
    else if (v.size() > 2 && v[0] == '0' && (v[1] == 'b' || v[1] == 'B')) base = 2, v.remove_prefix(2);
    else if (v.size() > 1 && v[0] == '0' && dialect != Dialect::Core12) base = 8, v.remove_prefix(1);
    std::uint64_t u = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), u, base);
    if (ec != std::errc() || p != v.data() + v.size()) return std::nullopt;  // overflow
    if (!neg && u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    if (neg && u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1) return std::nullopt;
    return neg ? static_cast<std::int64_t>(0 - u) : static_cast<std::int64_t>(u);
}

std::optional<double> as_float(const Node& node, Dialect dialect) {
    if (!node.is_scalar()) return std::nullopt;
    auto t = resolve(node, dialect);
    if (t == ScalarType::Int) {
        auto i = as_int(node, dialect);
        if (i) return static_cast<double>(*i);
        return std::nullopt;
    }
    if (t != ScalarType::Float) return std::nullopt;
    std::string s;
    for (char c : node.text)
        if (c != '_') s += c;
    std::string_view v = s;
    bool neg = false;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    if (one_of(v, {".inf", ".Inf", ".INF"})) return neg ? -HUGE_VAL : HUGE_VAL;
    if (one_of(v, {".nan", ".NaN", ".NAN"})) return std::nan("");
    if (v.find(':') != std::string_view::npos) {  // base 60 float
        double acc = 0;
        std::size_t start = 0;
        while (true) {
            auto c = v.find(':', start);
            auto piece = std::string(v.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
            acc = acc * 60 + std::strtod(piece.c_str(), nullptr);
            if (c == std::string_view::npos) break;
            start = c + 1;
        }
        return neg ? -acc : acc;
    }
    double d = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() && ec != std::errc::result_out_of_range) return std::nullopt;
    (void)p;
    return neg ? -d : d;
}

nlohmann::ordered_json to_json(const Node& node, Dialect dialect) {
    using J = nlohmann::ordered_json;
    switch (node.kind) {
        case Kind::Sequence: {
            J arr = J::array();
            for (const auto* c : node.items) arr.push_back(to_json(*c, dialect));
            return arr;
        }
        case Kind::Mapping: {
            J obj = J::object();
            for (const auto& p : node.pairs) {
                std::string key = p.key->is_scalar() ? p.key->text : std::string("<complex key>");
                obj[key] = to_json(*p.value, dialect);
            }
            return obj;
        }
        case Kind::Scalar: break;
    }
    switch (resolve(node, dialect)) {
        case ScalarType::Null: return nullptr;
        case ScalarType::Bool: return *as_bool(node, dialect);
        case ScalarType::Int:
            if (auto i = as_int(node, dialect)) return *i;
            if (auto f = as_float(node, dialect)) return *f;
            return node.text;
        case ScalarType::Float:
            if (auto f = as_float(node, dialect)) return *f;
            return node.text;
        case ScalarType::Timestamp:
        case ScalarType::String: return node.text;
    }
    return node.text;
}

}  // namespace coconut::yaml
