// validate.pattern with Kyverno's semantics (anchors, operators, arrays, null handling).
//
// Mirrors the order Kyverno evaluates a map: global and conditional anchors first (so a
// skipped condition wins over a failure next to it), then the other anchors, then plain keys
// (those whose value holds anchors first, the rest alphabetically). A conditional anchor that
// does not hold skips the enclosing array element; when no element of an array applies, the
// skip travels up and, at the root, skips the rule.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coconut/policy/kyverno/model.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::kyverno {

const char* to_string(Status s) {
    switch (s) {
        case Status::Pass: return "pass";
        case Status::Fail: return "fail";
        case Status::Skip: return "skip";
        case Status::Error: return "error";
    }
    return "error";
}

namespace {

// ---------------------------------------------------------------- anchors

enum class Anchor : std::uint8_t { None, Condition, Global, Equality, Negation, Existence, Add };

struct Key {
    Anchor anchor = Anchor::None;
    std::string name;
};

Key parse_key(const std::string& k) {
    auto inner = [&](std::size_t prefix) { return k.substr(prefix + 1, k.size() - prefix - 2); };
    if (k.size() >= 3 && k.back() == ')') {
        if (k.front() == '(') return {Anchor::Condition, inner(0)};
        if (k.size() >= 4 && k[1] == '(') {
            switch (k[0]) {
                case '<': return {Anchor::Global, inner(1)};
                case '=': return {Anchor::Equality, inner(1)};
                case 'X': return {Anchor::Negation, inner(1)};
                case '^': return {Anchor::Existence, inner(1)};
                case '+': return {Anchor::Add, inner(1)};
                default: break;
            }
        }
    }
    return {Anchor::None, k};
}

bool has_anchors(const yaml::Node& n) {
    if (n.is_mapping()) {
        for (const auto& p : n.pairs) {
            if (parse_key(p.key->text).anchor != Anchor::None) return true;
            if (has_anchors(*p.value)) return true;
        }
    } else if (n.is_sequence()) {
        for (const auto* i : n.items)
            if (has_anchors(*i)) return true;
    }
    return false;
}

// ---------------------------------------------------------------- scalar values

struct Scalar {
    enum class T : std::uint8_t { Null, Bool, Int, Float, String, Map, Array };
    T t = T::Null;
    bool b = false;
    std::int64_t i = 0;
    double d = 0;
    std::string s;
};

Scalar scalar_of(const yaml::Node* n) {
    Scalar v;
    if (n == nullptr) return v;
    if (n->is_mapping()) {
        v.t = Scalar::T::Map;
        return v;
    }
    if (n->is_sequence()) {
        v.t = Scalar::T::Array;
        return v;
    }
    switch (yaml::resolve(*n, yaml::Dialect::Kubernetes)) {
        case yaml::ScalarType::Null: v.t = Scalar::T::Null; break;
        case yaml::ScalarType::Bool:
            v.t = Scalar::T::Bool;
            v.b = yaml::as_bool(*n, yaml::Dialect::Kubernetes).value_or(false);
            break;
        case yaml::ScalarType::Int:
            if (auto x = yaml::as_int(*n, yaml::Dialect::Kubernetes)) {
                v.t = Scalar::T::Int;
                v.i = *x;
            } else {
                v.t = Scalar::T::Float;
                v.d = yaml::as_float(*n, yaml::Dialect::Kubernetes).value_or(0);
            }
            break;
        case yaml::ScalarType::Float:
            v.t = Scalar::T::Float;
            v.d = yaml::as_float(*n, yaml::Dialect::Kubernetes).value_or(0);
            break;
        case yaml::ScalarType::Timestamp:
        case yaml::ScalarType::String:
            v.t = Scalar::T::String;
            v.s = n->text;
            break;
    }
    return v;
}

Scalar scalar_of(const Json& j) {
    Scalar v;
    if (j.is_null()) return v;
    if (j.is_boolean()) {
        v.t = Scalar::T::Bool;
        v.b = j.get<bool>();
    } else if (j.is_number_integer()) {
        v.t = Scalar::T::Int;
        v.i = j.get<std::int64_t>();
    } else if (j.is_number()) {
        v.t = Scalar::T::Float;
        v.d = j.get<double>();
    } else if (j.is_string()) {
        v.t = Scalar::T::String;
        v.s = j.get<std::string>();
    } else {
        v.t = Scalar::T::String;  // a map/list substituted into a scalar position: compare its JSON
        v.s = j.dump();
    }
    return v;
}

std::string trim_spaces(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && s[b] == ' ') ++b;
    while (e > b && s[e - 1] == ' ') --e;
    return std::string(s.substr(b, e - b));
}

std::vector<std::string> split_on(std::string_view s, std::string_view sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.emplace_back(s.substr(start));
            return out;
        }
        out.emplace_back(s.substr(start, pos - start));
        start = pos + sep.size();
    }
}

enum class Op : std::uint8_t { Equal, NotEqual, More, Less, MoreEqual, LessEqual, InRange, NotInRange };

// ^(\d+(\.\d+)?)([^-]*)(-|!-)(\d+(\.\d+)?)([^-]*)$
bool is_range(std::string_view p, std::string_view sep) {
    auto number_then_suffix = [](std::string_view part) {
        std::size_t i = 0;
        while (i < part.size() && std::isdigit(static_cast<unsigned char>(part[i])) != 0) ++i;
        if (i == 0) return false;
        if (i < part.size() && part[i] == '.') {
            std::size_t j = i + 1;
            while (j < part.size() && std::isdigit(static_cast<unsigned char>(part[j])) != 0) ++j;
            if (j > i + 1) i = j;
        }
        return part.substr(i).find('-') == std::string_view::npos;
    };
    std::size_t pos = p.find(sep);
    if (pos == std::string_view::npos) return false;
    std::string_view left = p.substr(0, pos), right = p.substr(pos + sep.size());
    if (sep == "-" && !left.empty() && left.back() == '!') return false;
    return number_then_suffix(left) && number_then_suffix(right);
}

Op operator_of(std::string_view p, std::size_t& len) {
    len = 0;
    if (p.size() < 2) return Op::Equal;
    // Longest first: ">=" before ">".
    static constexpr std::array<std::pair<std::string_view, Op>, 5> k_prefixes = {{
        {">=", Op::MoreEqual},
        {"<=", Op::LessEqual},
        {">", Op::More},
        {"<", Op::Less},
        {"!", Op::NotEqual},
    }};
    for (const auto& [prefix, op] : k_prefixes) {
        if (p.starts_with(prefix)) {
            len = prefix.size();
            return op;
        }
    }
    if (is_range(p, "!-")) return Op::NotInRange;
    if (is_range(p, "-")) return Op::InRange;
    return Op::Equal;
}

bool validate_string(const Scalar& v, const std::string& pattern, Op op) {
    if (op != Op::Equal && op != Op::NotEqual) return false;  // >, < do not apply to strings
    std::string str;
    switch (v.t) {
        case Scalar::T::String: str = v.s; break;
        case Scalar::T::Int: str = std::to_string(v.i); break;
        case Scalar::T::Bool: str = v.b ? "true" : "false"; break;
        case Scalar::T::Float: {
            // Go's strconv.FormatFloat(v, 'E', -1, 64)
            char buf[64];
            auto r = std::to_chars(buf, buf + sizeof buf, v.d, std::chars_format::scientific);
            std::string t(buf, r.ptr);
            auto e = t.find('e');
            if (e != std::string::npos) {
                std::string mant = t.substr(0, e), ex = t.substr(e + 1);
                char sign = '+';
                if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) {
                    sign = ex[0];
                    ex = ex.substr(1);
                }
                while (ex.size() > 1 && ex[0] == '0') ex.erase(0, 1);
                if (ex.size() < 2) ex = "0" + ex;
                t = mant + "E" + sign + ex;
            }
            str = t;
            break;
        }
        default: return false;  // null, maps and lists never match a string pattern
    }
    bool m = wildcard_match(pattern, str);
    return op == Op::NotEqual ? !m : m;
}

bool compare_values(long double value, long double pattern, Op op) {
    switch (op) {
        case Op::Equal: return value == pattern;
        case Op::NotEqual: return value != pattern;
        case Op::More: return value > pattern;
        case Op::Less: return value < pattern;
        case Op::MoreEqual: return value >= pattern;
        case Op::LessEqual: return value <= pattern;
        default: return false;
    }
}

bool validate_number_with_str(const Scalar& v, const std::string& pattern, Op op) {
    std::string text;
    switch (v.t) {
        case Scalar::T::Null: text = "0"; break;
        case Scalar::T::String: text = v.s; break;
        case Scalar::T::Int: text = std::to_string(v.i); break;
        case Scalar::T::Float: {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%f", v.d);
            text = buf;
            break;
        }
        default: return false;
    }
    if (auto pd = parse_duration_seconds(pattern)) {
        if (auto vd = parse_duration_seconds(text)) return compare_values(*vd, *pd, op);
    }
    if (auto pq = parse_quantity(pattern)) {
        auto vq = parse_quantity(text);
        if (!vq) return false;
        return compare_values(*vq, *pq, op);
    }
    return validate_string(v, pattern, op);
}

bool validate_string_pattern(const Scalar& v, std::string pattern) {
    std::size_t len = 0;
    Op op = operator_of(pattern, len);
    if (op == Op::InRange) {
        auto ends = split_on(pattern, "-");
        if (!validate_string_pattern(v, ">=" + ends[0])) return false;
        pattern = "<=" + ends[1];
        op = Op::LessEqual;
        len = 2;
    } else if (op == Op::NotInRange) {
        auto ends = split_on(pattern, "!-");
        if (validate_string_pattern(v, "<" + ends[0])) return true;
        pattern = ">" + ends[1];
        op = Op::More;
        len = 1;
    }
    std::string rest = trim_spaces(std::string_view(pattern).substr(len));
    // ^(\d*(\.\d+)?)(.*)$ : does the operand start with a number?
    std::size_t i = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) != 0) ++i;
    if (i < rest.size() && rest[i] == '.') {
        std::size_t j = i + 1;
        while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j])) != 0) ++j;
        if (j > i + 1) i = j;
    }
    if (i == 0) return validate_string(v, rest, op);
    return validate_number_with_str(v, rest, op);
}

bool validate_string_patterns(const Scalar& v, const std::string& pattern) {
    if (v.t == Scalar::T::String && v.s == pattern) return true;
    for (const auto& alt : split_on(pattern, "|")) {
        bool all = true;
        for (const auto& part : split_on(trim_spaces(alt), "&")) {
            if (!validate_string_pattern(v, trim_spaces(part))) {
                all = false;
                break;
            }
        }
        if (all) return true;
    }
    return false;
}

bool parse_go_int(const std::string& s, std::int64_t& out) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data() + (s[0] == '+' ? 1 : 0), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool validate_value(const Scalar& v, const Scalar& p) {
    switch (p.t) {
        case Scalar::T::Bool: return v.t == Scalar::T::Bool && v.b == p.b;
        case Scalar::T::Int:
            switch (v.t) {
                case Scalar::T::Int: return v.i == p.i;
                case Scalar::T::Float: return v.d == std::trunc(v.d) && static_cast<std::int64_t>(v.d) == p.i;
                case Scalar::T::String: {
                    std::int64_t x = 0;
                    return parse_go_int(v.s, x) && x == p.i;
                }
                default: return false;
            }
        case Scalar::T::Float:
            switch (v.t) {
                case Scalar::T::Int: return p.d == std::trunc(p.d) && static_cast<std::int64_t>(p.d) == v.i;
                case Scalar::T::Float: return v.d == p.d;
                case Scalar::T::String: {
                    char* end = nullptr;
                    double x = std::strtod(v.s.c_str(), &end);
                    return !v.s.empty() && end == v.s.c_str() + v.s.size() && x == p.d;
                }
                default: return false;
            }
        case Scalar::T::Null:
            switch (v.t) {
                case Scalar::T::Null: return true;
                case Scalar::T::Float: return v.d == 0.0;
                case Scalar::T::Int: return v.i == 0;
                case Scalar::T::String: return v.s.empty();
                case Scalar::T::Bool: return !v.b;
                default: return false;
            }
        case Scalar::T::String: return validate_string_patterns(v, p.s);
        default: return false;
    }
}

// ---------------------------------------------------------------- structural matching

struct Err {
    enum class Kind : std::uint8_t { None, Conditional, Negation, Other, Eval };
    Kind kind = Kind::None;
    std::string path;
    const yaml::Node* at = nullptr;
    std::string message;
    explicit operator bool() const { return kind != Kind::None; }
};

class Matcher {
public:
    explicit Matcher(const RequestContext& ctx) : m_ctx(ctx) {}

    // `parent_key`: the key node whose value is `parent` (null for list items and the root);
    // a missing field is reported there, at the `key:` line, rather than at the parent
    // mapping's first key.
    Err element(const yaml::Node* res, const yaml::Node* parent, const yaml::Node* parent_key, const yaml::Node& pat,
                const std::string& path) {
        const yaml::Node* here = res != nullptr ? res : (parent_key != nullptr ? parent_key : parent);
        if (pat.is_mapping()) {
            if (res == nullptr || !res->is_mapping())
                return {Err::Kind::Other, path, here, "expected a map at " + path};
            return map(*res, here_key(res, parent), pat, path);
        }
        if (pat.is_sequence()) {
            if (res == nullptr || !res->is_sequence())
                return {Err::Kind::Other, path, here, "expected a list at " + path};
            return array(*res, pat, path);
        }
        Scalar p;
        if (auto e = pattern_scalar(pat, path, here, p)) return e;
        if (res != nullptr && res->is_sequence()) {
            for (const auto* item : res->items)
                if (!validate_value(scalar_of(item), p))
                    return {Err::Kind::Other, path, item, "value does not match " + pat.text};
            return {};
        }
        if (!validate_value(scalar_of(res), p))
            return {Err::Kind::Other, path, here, "value does not match " + pat.text};
        return {};
    }

private:
    const RequestContext& m_ctx;

    Err pattern_scalar(const yaml::Node& pat, const std::string& path, const yaml::Node* here, Scalar& out) {
        if (yaml::resolve(pat, yaml::Dialect::Kubernetes) == yaml::ScalarType::String &&
            pat.text.find("{{") != std::string::npos) {
            std::string err;
            auto t = parse_template(pat.text, err);
            if (!t) return {Err::Kind::Eval, path, here, err};
            auto r = substitute(*t, m_ctx);
            if (!r.error.empty()) return {Err::Kind::Eval, path, here, r.error};
            out = scalar_of(r.value);
            return {};
        }
        out = scalar_of(&pat);
        return {};
    }

    static bool is_star(const yaml::Node& pat) {
        return pat.is_scalar() && pat.text == "*" &&
               yaml::resolve(pat, yaml::Dialect::Kubernetes) == yaml::ScalarType::String;
    }

    static bool present(const yaml::Node& map, const std::string& key) { return map.find_key(key) != nullptr; }

    // The key node of `child` in mapping `parent`, if any.
    static const yaml::Node* here_key(const yaml::Node* child, const yaml::Node* parent) {
        if (parent == nullptr || !parent->is_mapping()) return nullptr;
        for (const auto& p : parent->pairs)
            if (p.value == child) return p.key;
        return nullptr;
    }

    Err map(const yaml::Node& res, const yaml::Node* res_key, const yaml::Node& pat, const std::string& path) {
        const yaml::Node* missing_at = res_key != nullptr ? res_key : &res;
        struct Entry {
            Key key;
            const yaml::Node* value;
        };
        std::vector<Entry> entries;
        bool metadata_map = path.ends_with("/metadata/labels/") || path.ends_with("/metadata/annotations/");
        for (const auto& p : pat.pairs) {
            Key k = parse_key(p.key->text);
            if (metadata_map && k.name.find_first_of("*?") != std::string::npos) {
                // Kyverno expands wildcard keys of metadata.labels / annotations patterns.
                bool any = false;
                for (const auto& rp : res.pairs)
                    if (wildcard_match(k.name, rp.key->text)) {
                        entries.push_back({{k.anchor, rp.key->text}, p.value});
                        any = true;
                    }
                if (any) continue;
            }
            entries.push_back({std::move(k), p.value});
        }
        auto rank = [](const Entry& e) {
            switch (e.key.anchor) {
                case Anchor::Global: return 0;
                case Anchor::Condition: return 1;
                case Anchor::Negation:
                case Anchor::Equality:
                case Anchor::Existence:
                case Anchor::Add: return 2;
                case Anchor::None: return has_anchors(*e.value) ? 3 : 4;
            }
            return 4;
        };
        std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
            int ra = rank(a), rb = rank(b);
            if (ra != rb) return ra < rb;
            return ra >= 3 && a.key.name < b.key.name;
        });

        for (const auto& e : entries) {
            const std::string& name = e.key.name;
            std::string child = path + name + "/";
            const yaml::Node* value = res.find(name);
            bool has = present(res, name);
            switch (e.key.anchor) {
                case Anchor::Condition:
                case Anchor::Global: {
                    if (!has)
                        return {Err::Kind::Conditional, child, missing_at,
                                "conditional anchor key " + name + " not present"};
                    Err r = element(value, &res, res_key, *e.value, child);
                    if (r.kind == Err::Kind::Eval) return r;
                    if (r) return {Err::Kind::Conditional, r.path, r.at, "conditional anchor mismatch: " + r.message};
                    break;
                }
                case Anchor::Equality: {
                    if (!has) break;
                    if (Err r = element(value, &res, res_key, *e.value, child)) return r;
                    break;
                }
                case Anchor::Negation: {
                    if (has) return {Err::Kind::Negation, child, res.find_key(name), child + " is not allowed"};
                    break;
                }
                case Anchor::Existence: {
                    if (!has) break;
                    if (value == nullptr || !value->is_sequence())
                        return {Err::Kind::Other, child, value != nullptr ? value : missing_at,
                                "existence anchor ^() needs a list at " + child};
                    for (const auto* pmap : e.value->items) {
                        bool found = false;
                        for (std::size_t i = 0; i < value->items.size() && !found; ++i) {
                            Err r = element(value->items[i], value, nullptr, *pmap, child + std::to_string(i) + "/");
                            if (r.kind == Err::Kind::Eval) return r;
                            found = !r;
                        }
                        if (!found)
                            return {Err::Kind::Other, child, value,
                                    "existence anchor validation failed at path " + child};
                    }
                    break;
                }
                case Anchor::Add: break;  // add-if-not-present: mutation only
                case Anchor::None: {
                    if (is_star(*e.value)) {
                        if (value == nullptr || value->is_null())
                            return {Err::Kind::Other, path, missing_at, path + name + " not found"};
                        break;
                    }
                    if (Err r = element(value, &res, res_key, *e.value, child)) return r;
                    break;
                }
            }
        }
        return {};
    }

    Err array(const yaml::Node& res, const yaml::Node& pat, const std::string& path) {
        if (pat.items.empty()) return {Err::Kind::Other, path, &res, "pattern list is empty"};
        const yaml::Node& first = *pat.items[0];
        if (first.is_mapping()) {
            std::size_t applied = 0;
            Err skipped;
            for (std::size_t i = 0; i < res.items.size(); ++i) {
                Err r = element(res.items[i], &res, nullptr, first, path + std::to_string(i) + "/");
                if (r.kind == Err::Kind::Conditional) {
                    if (!skipped) skipped = r;
                    continue;
                }
                if (r) return r;
                ++applied;
            }
            if (applied == 0 && skipped) return {Err::Kind::Conditional, path, &res, skipped.message};
            return {};
        }
        if (first.is_scalar()) return element(&res, nullptr, nullptr, first, path);
        // A list of lists: element-wise.
        if (res.items.size() < pat.items.size())
            return {Err::Kind::Other, path, &res,
                    "list length mismatch: resource has " + std::to_string(res.items.size()) + ", pattern " +
                        std::to_string(pat.items.size())};
        for (std::size_t i = 0; i < pat.items.size(); ++i) {
            Err r = element(res.items[i], &res, nullptr, *pat.items[i], path + std::to_string(i) + "/");
            if (r.kind == Err::Kind::Conditional) continue;
            if (r) return r;
        }
        return {};
    }
};

}  // namespace

PatternOutcome match_pattern(const yaml::Node* resource, const yaml::Node* parent, const yaml::Node& pattern,
                             const std::string& base_path, const RequestContext& ctx) {
    Matcher m(ctx);
    Err e = m.element(resource, parent, nullptr, pattern, base_path);
    PatternOutcome out;
    out.path = e.path;
    out.at = e.at;
    out.error = e.message;
    switch (e.kind) {
        case Err::Kind::None: out.status = Status::Pass; break;
        case Err::Kind::Conditional: out.status = Status::Skip; break;
        case Err::Kind::Eval: out.status = Status::Error; break;
        case Err::Kind::Negation:
        case Err::Kind::Other: out.status = Status::Fail; break;
    }
    return out;
}

std::optional<std::string> check_pattern(const yaml::Node& pattern, const yaml::Node*& at) {
    if (pattern.is_mapping()) {
        for (const auto& p : pattern.pairs) {
            const std::string& k = p.key->text;
            Key key = parse_key(k);
            if (key.anchor == Anchor::None && k.size() >= 3 && k.back() == ')' && k.find('(') != std::string::npos &&
                k.find('(') <= 1) {
                at = p.key;
                return "unknown anchor `" + k + "` (supported: (key), =(key), X(key), ^(key), <(key), +(key))";
            }
            if (key.anchor != Anchor::None && key.name.empty()) {
                at = p.key;
                return "anchor `" + k + "` has no key";
            }
            if (key.anchor == Anchor::Existence) {
                bool ok = p.value->is_sequence() && !p.value->items.empty();
                if (ok)
                    for (const auto* i : p.value->items) ok = ok && i->is_mapping();
                if (!ok) {
                    at = p.value;
                    return "existence anchor `" + k + "` needs a list of maps";
                }
            }
            if (k.find("{{") != std::string::npos) {
                at = p.key;
                return "variables in pattern keys are not supported (`" + k + "`)";
            }
            if (auto e = check_pattern(*p.value, at)) return e;
        }
        return std::nullopt;
    }
    if (pattern.is_sequence()) {
        if (pattern.items.empty()) {
            at = &pattern;
            return "empty list in pattern (Kyverno rejects it: \"pattern Array empty\")";
        }
        for (const auto* i : pattern.items)
            if (auto e = check_pattern(*i, at)) return e;
        return std::nullopt;
    }
    if (pattern.text.find("{{") != std::string::npos &&
        yaml::resolve(pattern, yaml::Dialect::Kubernetes) == yaml::ScalarType::String) {
        std::string err;
        if (!parse_template(pattern.text, err)) {
            at = &pattern;
            return err;
        }
    }
    return std::nullopt;
}

}  // namespace coconut::policy::kyverno
