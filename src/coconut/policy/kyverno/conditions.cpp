// Variables (`{{ request.object.… }}`, a JMESPath subset) and deny/precondition operators.
//
// The JMESPath subset is hand-written rather than a dependency: Debian ships no C++ JMESPath
// library, and Kyverno's dialect differs from the standard on the one point that matters most
// (a missing key outside a projection is an error, `Unknown key`, which `||` catches).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "coconut/policy/kyverno/model.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::kyverno {

// ---------------------------------------------------------------- wildcard / quantities

bool wildcard_match(std::string_view pattern, std::string_view text) {
    // Iterative glob with backtracking on the last `*`.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

namespace {

// Reads [0-9]+(\.[0-9]*)? | \.[0-9]+ at `i`; false when no digits.
bool read_decimal(std::string_view s, std::size_t& i, long double& out) {
    std::size_t start = i;
    long double v = 0;
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
        v = v * 10 + (s[i] - '0');
        ++i;
        digits = true;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        long double scale = 0.1L;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
            v += (s[i] - '0') * scale;
            scale /= 10;
            ++i;
            digits = true;
        }
    }
    if (!digits) {
        i = start;
        return false;
    }
    out = v;
    return true;
}

// An optional leading + or - at s[i] (consumed): the sign it gives.
long double read_sign(std::string_view s, std::size_t& i) {
    if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return 1;
    return s[i++] == '-' ? -1 : 1;
}

}  // namespace

std::optional<long double> parse_quantity(std::string_view s) {
    std::size_t i = 0;
    const long double sign = read_sign(s, i);
    long double v = 0;
    if (!read_decimal(s, i, v)) return std::nullopt;
    std::string_view suffix = s.substr(i);
    struct Suffix {
        std::string_view name;
        long double factor;
    };
    static constexpr Suffix k_suffixes[] = {
        {"", 1.0L},
        {"n", 1e-9L},
        {"u", 1e-6L},
        {"m", 1e-3L},
        {"k", 1e3L},
        {"M", 1e6L},
        {"G", 1e9L},
        {"T", 1e12L},
        {"P", 1e15L},
        {"E", 1e18L},
        {"Ki", 1024.0L},
        {"Mi", 1048576.0L},
        {"Gi", 1073741824.0L},
        {"Ti", 1099511627776.0L},
        {"Pi", 1125899906842624.0L},
        {"Ei", 1152921504606846976.0L},
    };
    for (const auto& suf : k_suffixes)
        if (suffix == suf.name) return sign * v * suf.factor;
    // Decimal exponent: 1e3, 1E-2.
    if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E')) {
        std::size_t j = 1;
        int esign = 1;
        if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) {
            if (suffix[j] == '-') esign = -1;
            ++j;
        }
        if (j >= suffix.size()) return std::nullopt;
        int e = 0;
        for (; j < suffix.size(); ++j) {
            if (std::isdigit(static_cast<unsigned char>(suffix[j])) == 0) return std::nullopt;
            e = e * 10 + (suffix[j] - '0');
            if (e > 400) return std::nullopt;
        }
        return sign * v * std::pow(10.0L, static_cast<long double>(esign * e));
    }
    return std::nullopt;
}

std::optional<long double> parse_duration_seconds(std::string_view s) {
    // Go's time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ ; "0" alone is allowed.
    std::size_t i = 0;
    const long double sign = read_sign(s, i);
    if (s.substr(i) == "0") return 0.0L;
    if (i >= s.size()) return std::nullopt;
    long double total = 0;
    while (i < s.size()) {
        long double v = 0;
        if (!read_decimal(s, i, v)) return std::nullopt;
        std::size_t u = i;
        while (u < s.size() &&
               (std::isalpha(static_cast<unsigned char>(s[u])) != 0 || static_cast<unsigned char>(s[u]) >= 0x80))
            ++u;
        std::string_view unit = s.substr(i, u - i);
        long double f = 0;
        if (unit == "ns")
            f = 1e-9L;
        else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs")
            f = 1e-6L;
        else if (unit == "ms")
            f = 1e-3L;
        else if (unit == "s")
            f = 1;
        else if (unit == "m")
            f = 60;
        else if (unit == "h")
            f = 3600;
        else
            return std::nullopt;
        total += v * f;
        i = u;
    }
    return sign * total;
}

// ---------------------------------------------------------------- expression parser

namespace {

class ExprParser {
public:
    ExprParser(std::string_view text, std::string& error) : m_s(text), m_error(error) {}

    std::optional<Expr> parse() {
        auto e = parse_or();
        if (!e) return std::nullopt;
        skip_ws();
        if (m_i != m_s.size()) return fail_unsupported();
        return e;
    }

private:
    std::string_view m_s;
    std::size_t m_i = 0;
    std::string& m_error;

    void skip_ws() {
        while (m_i < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_i])) != 0) ++m_i;
    }
    bool eat(std::string_view tok) {
        skip_ws();
        if (m_s.substr(m_i, tok.size()) == tok) {
            m_i += tok.size();
            return true;
        }
        return false;
    }
    std::optional<Expr> fail(std::string msg) {
        if (m_error.empty()) m_error = std::move(msg);
        return std::nullopt;
    }
    std::optional<Expr> fail_unsupported() {
        skip_ws();
        std::string rest(m_s.substr(m_i, 20));
        std::string what = "`" + rest + "`";
        if (rest.starts_with("|") && !rest.starts_with("||"))
            what = "the pipe expression `|`";
        else if (rest.starts_with("[?"))
            what = "filter expressions `[?…]`";
        else if (rest.starts_with("&&"))
            what = "the `&&` operator";
        else if (rest.starts_with("==") || rest.starts_with("!=") || rest.starts_with("<") || rest.starts_with(">"))
            what = "JMESPath comparisons";
        else if (rest.starts_with("["))
            what = "multi-select lists / slices `[…]`";
        else if (rest.starts_with("{"))
            what = "multi-select hashes `{…}`";
        return fail("unsupported JMESPath in variable `" + std::string(m_s) + "`: " + what +
                    " (supported: request.object paths, [] and [*] projections, [N], ||, length(), literals)");
    }

    std::optional<Expr> parse_or() {
        auto lhs = parse_primary();
        if (!lhs) return std::nullopt;
        while (true) {
            skip_ws();
            if (m_s.substr(m_i, 2) != "||") break;
            m_i += 2;
            auto rhs = parse_primary();
            if (!rhs) return std::nullopt;
            Expr e;
            e.type = Expr::Type::Or;
            e.args.push_back(std::move(*lhs));
            e.args.push_back(std::move(*rhs));
            lhs = std::move(e);
        }
        return lhs;
    }

    std::string read_ident() {
        std::size_t start = m_i;
        while (m_i < m_s.size() && (std::isalnum(static_cast<unsigned char>(m_s[m_i])) != 0 || m_s[m_i] == '_')) ++m_i;
        return std::string(m_s.substr(start, m_i - start));
    }

    std::optional<Expr> parse_primary() {
        skip_ws();
        if (m_i >= m_s.size()) return fail("empty JMESPath expression in variable `" + std::string(m_s) + "`");
        char c = m_s[m_i];
        if (c == '`') {
            std::size_t end = m_s.find('`', m_i + 1);
            if (end == std::string_view::npos) return fail("unterminated JSON literal in `" + std::string(m_s) + "`");
            std::string body(m_s.substr(m_i + 1, end - m_i - 1));
            m_i = end + 1;
            Expr e;
            e.type = Expr::Type::Literal;
            e.literal = Json::parse(body, nullptr, false);
            if (e.literal.is_discarded()) e.literal = Json(body);  // JMESPath: an invalid literal is a string
            return e;
        }
        if (c == '\'') {
            std::string body;
            ++m_i;
            while (m_i < m_s.size() && m_s[m_i] != '\'') {
                if (m_s[m_i] == '\\' && m_i + 1 < m_s.size() && m_s[m_i + 1] == '\'') ++m_i;
                body += m_s[m_i++];
            }
            if (m_i >= m_s.size()) return fail("unterminated raw string in `" + std::string(m_s) + "`");
            ++m_i;
            Expr e;
            e.type = Expr::Type::Literal;
            e.literal = Json(body);
            return e;
        }
        if (c == '(') {
            ++m_i;
            auto e = parse_or();
            if (!e) return std::nullopt;
            if (!eat(")")) return fail_unsupported();
            return e;
        }
        if (c == '@')
            return fail("the current-node `@` (used with foreach / filters) is not supported in `" + std::string(m_s) +
                        "`");
        if (c == '$') return fail("`$` is not supported in `" + std::string(m_s) + "`");
        if (std::isalpha(static_cast<unsigned char>(c)) == 0 && c != '_' && c != '"') return fail_unsupported();

        std::size_t save = m_i;
        std::string ident = read_ident();
        skip_ws();
        if (m_i < m_s.size() && m_s[m_i] == '(') {
            if (ident != "length")
                return fail("JMESPath function `" + ident + "()` is not supported in `" + std::string(m_s) +
                            "` (supported: length)");
            ++m_i;
            auto arg = parse_or();
            if (!arg) return std::nullopt;
            if (!eat(")")) return fail("length() takes one argument in `" + std::string(m_s) + "`");
            Expr e;
            e.type = Expr::Type::Length;
            e.args.push_back(std::move(*arg));
            return e;
        }
        m_i = save;
        return parse_path();
    }

    std::optional<Expr> parse_path() {
        Expr e;
        e.type = Expr::Type::Path;
        std::string root = read_ident();
        if (root == "element" || root == "elementIndex")
            return fail("variable `" + root + "` is only defined in validate.foreach, which is not supported");
        if (root != "request")
            return fail("variable `" + std::string(m_s) +
                        "` is not supported (only request.object.* and "
                        "request.operation; context entries, images, serviceAccountName and "
                        "@ are not)");
        if (!eat(".")) return fail("variable `" + std::string(m_s) + "`: `request` alone is not supported");
        std::string second = read_ident();
        if (second != "object" && second != "operation")
            return fail("variable `request." + second +
                        "` is not supported (only request.object.* and "
                        "request.operation)");
        e.steps.push_back({Expr::Step::Kind::Field, second, 0});
        while (true) {
            skip_ws();
            if (m_i >= m_s.size()) break;
            if (m_s[m_i] == '.') {
                ++m_i;
                skip_ws();
                if (m_i < m_s.size() && m_s[m_i] == '"') {
                    std::string key;
                    ++m_i;
                    while (m_i < m_s.size() && m_s[m_i] != '"') {
                        if (m_s[m_i] == '\\' && m_i + 1 < m_s.size()) ++m_i;
                        key += m_s[m_i++];
                    }
                    if (m_i >= m_s.size()) return fail("unterminated quoted identifier in `" + std::string(m_s) + "`");
                    ++m_i;
                    e.steps.push_back({Expr::Step::Kind::Field, key, 0});
                } else if (m_i < m_s.size() && (m_s[m_i] == '[' || m_s[m_i] == '{')) {
                    return fail("multi-select expressions `.[…]` / `.{…}` are not supported in `" + std::string(m_s) +
                                "`");
                } else if (m_i < m_s.size() && m_s[m_i] == '*') {
                    return fail("object wildcard `.*` is not supported in `" + std::string(m_s) + "`");
                } else {
                    std::string id = read_ident();
                    if (id.empty()) return fail_unsupported();
                    e.steps.push_back({Expr::Step::Kind::Field, id, 0});
                }
                continue;
            }
            if (m_s[m_i] == '[') {
                std::size_t save = m_i;
                ++m_i;
                skip_ws();
                if (m_i < m_s.size() && m_s[m_i] == ']') {
                    ++m_i;
                    e.steps.push_back({Expr::Step::Kind::Flatten, {}, 0});
                    continue;
                }
                if (m_i < m_s.size() && m_s[m_i] == '*') {
                    ++m_i;
                    if (!eat("]")) {
                        m_i = save;
                        return fail_unsupported();
                    }
                    e.steps.push_back({Expr::Step::Kind::Wildcard, {}, 0});
                    continue;
                }
                bool neg = false;
                if (m_i < m_s.size() && m_s[m_i] == '-') {
                    neg = true;
                    ++m_i;
                }
                std::size_t d = m_i;
                std::int64_t n = 0;
                while (m_i < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_i])) != 0)
                    n = n * 10 + (m_s[m_i++] - '0');
                if (d == m_i || !eat("]")) {
                    m_i = save;
                    return fail_unsupported();
                }
                e.steps.push_back({Expr::Step::Kind::Index, {}, neg ? -n : n});
                continue;
            }
            break;
        }
        return e;
    }
};

}  // namespace

std::optional<Expr> parse_expr(std::string_view text, std::string& error) {
    ExprParser p(text, error);
    return p.parse();
}

std::optional<Template> parse_template(std::string_view text, std::string& error) {
    Template t;
    std::size_t i = 0;
    std::string literal;
    while (i < text.size()) {
        if (text.substr(i, 3) == "\\{{") {  // escaped: kept literally
            literal += "{{";
            i += 3;
            continue;
        }
        if (text.substr(i, 2) == "{{") {
            std::size_t end = text.find("}}", i + 2);
            if (end == std::string_view::npos) {
                error = "unterminated variable `{{` in `" + std::string(text) + "`";
                return std::nullopt;
            }
            std::string_view inner = text.substr(i + 2, end - i - 2);
            if (!inner.empty() && inner.front() == '-') inner.remove_prefix(1);
            while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.front())) != 0)
                inner.remove_prefix(1);
            while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.back())) != 0)
                inner.remove_suffix(1);
            auto expr = parse_expr(inner, error);
            if (!expr) return std::nullopt;
            if (!literal.empty()) {
                t.parts.push_back({literal, false, {}, {}});
                literal.clear();
            }
            Template::Part part;
            part.is_var = true;
            part.expr = std::move(*expr);
            part.source = std::string(text.substr(i, end + 2 - i));
            t.parts.push_back(std::move(part));
            i = end + 2;
            continue;
        }
        literal += text[i++];
    }
    if (!literal.empty()) t.parts.push_back({literal, false, {}, {}});
    return t;
}

// ---------------------------------------------------------------- evaluation

namespace {

bool truthy(const Json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string()) return !v.get_ref<const std::string&>().empty();
    if (v.is_array() || v.is_object()) return !v.empty();
    return true;
}

// One run of steps without flatten, starting at `i` (wildcard projections recurse).
EvalResult eval_segment(const std::vector<Expr::Step>& steps, std::size_t i, std::size_t end, const Json& value,
                        bool in_projection) {
    if (i == end) return {value, {}};
    const auto& step = steps[i];
    switch (step.kind) {
        case Expr::Step::Kind::Field: {
            if (!value.is_object()) return {Json(), {}};
            auto it = value.find(step.field);
            if (it == value.end()) {
                if (in_projection) return {Json(), {}};
                return {Json(), "Unknown key \"" + step.field + "\" in path"};
            }
            return eval_segment(steps, i + 1, end, *it, in_projection);
        }
        case Expr::Step::Kind::Index: {
            if (!value.is_array()) return {Json(), {}};
            auto n = static_cast<std::int64_t>(value.size());
            std::int64_t idx = step.index < 0 ? n + step.index : step.index;
            if (idx < 0 || idx >= n) return {Json(), {}};
            return eval_segment(steps, i + 1, end, value[static_cast<std::size_t>(idx)], in_projection);
        }
        case Expr::Step::Kind::Wildcard: {
            if (!value.is_array()) return {Json(), {}};
            Json out = Json::array();
            for (const auto& e : value) {
                auto r = eval_segment(steps, i + 1, end, e, true);
                if (!r.value.is_null()) out.push_back(std::move(r.value));
            }
            return {std::move(out), {}};
        }
        case Expr::Step::Kind::Flatten: break;  // not reached: segments have no flatten
    }
    return {Json(), {}};
}

// JMESPath binds `[]` loosest: `a[].b[].c` is ((a[].b)[]).c, so split at the last flatten.
EvalResult eval_steps(const std::vector<Expr::Step>& steps, std::size_t begin, std::size_t end, const Json& value) {
    std::size_t k = end;
    for (std::size_t j = end; j > begin; --j)
        if (steps[j - 1].kind == Expr::Step::Kind::Flatten) {
            k = j - 1;
            break;
        }
    if (k == end) return eval_segment(steps, begin, end, value, false);
    auto left = eval_steps(steps, begin, k, value);
    if (!left.error.empty()) return left;
    if (!left.value.is_array()) return {Json(), {}};
    Json flat = Json::array();
    for (auto& e : left.value) {
        if (e.is_array())
            for (auto& x : e) flat.push_back(x);
        else
            flat.push_back(e);
    }
    Json out = Json::array();
    for (const auto& e : flat) {
        auto r = eval_segment(steps, k + 1, end, e, true);
        if (!r.value.is_null()) out.push_back(std::move(r.value));
    }
    return {std::move(out), {}};
}

const Json* template_root(const Json& object, Target target) {
    const Json* cur = &object;
    auto step = [&](const char* key) {
        if (cur == nullptr || !cur->is_object()) return;
        auto it = cur->find(key);
        cur = it == cur->end() ? nullptr : &*it;
    };
    if (target == Target::PodTemplate) {
        step("spec");
        step("template");
    } else if (target == Target::CronJobPodTemplate) {
        step("spec");
        step("jobTemplate");
        step("spec");
        step("template");
    }
    return cur;
}

}  // namespace

EvalResult eval_expr(const Expr& expr, const RequestContext& ctx) {
    switch (expr.type) {
        case Expr::Type::Literal: return {expr.literal, {}};
        case Expr::Type::Or: {
            auto lhs = eval_expr(expr.args[0], ctx);
            if (lhs.error.empty() && truthy(lhs.value)) return lhs;
            return eval_expr(expr.args[1], ctx);
        }
        case Expr::Type::Length: {
            auto arg = eval_expr(expr.args[0], ctx);
            if (!arg.error.empty()) return arg;
            if (arg.value.is_string()) {
                // JMESPath counts code points.
                std::size_t n = 0;
                for (unsigned char ch : arg.value.get_ref<const std::string&>())
                    if ((ch & 0xC0) != 0x80) ++n;
                return {Json(n), {}};
            }
            if (arg.value.is_array() || arg.value.is_object()) return {Json(arg.value.size()), {}};
            return {Json(), "invalid type for length(): " + std::string(arg.value.type_name())};
        }
        case Expr::Type::Path: {
            const auto& steps = expr.steps;
            if (steps.empty()) return {Json(), "empty path"};
            if (steps[0].field == "operation") {
                Json op("CREATE");
                return eval_steps(steps, 1, steps.size(), op);
            }
            if (ctx.object == nullptr) return {Json(), "request.object is not available"};
            // Kyverno's autogen rewrites request.object.spec / request.object.metadata to the
            // pod template's.
            if (ctx.target != Target::Object && steps.size() >= 2 && steps[1].kind == Expr::Step::Kind::Field &&
                (steps[1].field == "spec" || steps[1].field == "metadata")) {
                const Json* tpl = template_root(*ctx.object, ctx.target);
                if (tpl == nullptr) return {Json(), "Unknown key \"template\" in path"};
                return eval_steps(steps, 1, steps.size(), *tpl);
            }
            return eval_steps(steps, 1, steps.size(), *ctx.object);
        }
    }
    return {Json(), "unknown expression"};
}

EvalResult substitute(const Template& t, const RequestContext& ctx) {
    if (t.single_var()) {
        auto r = eval_expr(t.parts[0].expr, ctx);
        if (!r.error.empty()) r.error = "failed to substitute " + t.parts[0].source + ": " + r.error;
        return r;
    }
    std::string out;
    for (const auto& p : t.parts) {
        if (!p.is_var) {
            out += p.text;
            continue;
        }
        auto r = eval_expr(p.expr, ctx);
        if (!r.error.empty()) return {Json(), "failed to substitute " + p.source + ": " + r.error};
        if (r.value.is_string())
            out += r.value.get_ref<const std::string&>();
        else
            out += r.value.dump();
    }
    return {Json(out), {}};
}

EvalResult operand_value(const Operand& operand, const RequestContext& ctx) {
    if (operand.tmpl) return substitute(*operand.tmpl, ctx);
    if (operand.node == nullptr) return {Json(), {}};
    const yaml::Node& n = *operand.node;
    if (n.is_scalar()) {
        if (yaml::resolve(n, yaml::Dialect::Kubernetes) == yaml::ScalarType::String &&
            n.text.find("{{") != std::string::npos) {
            std::string err;
            auto t = parse_template(n.text, err);
            if (t) return substitute(*t, ctx);
        }
        return {yaml::to_json(n, yaml::Dialect::Kubernetes), {}};
    }
    if (n.is_sequence()) {
        Json arr = Json::array();
        for (const auto* item : n.items) {
            auto r = operand_value(Operand{item, std::nullopt}, ctx);
            if (!r.error.empty()) return r;
            arr.push_back(std::move(r.value));
        }
        return {std::move(arr), {}};
    }
    Json obj = Json::object();
    for (const auto& p : n.pairs) {
        auto r = operand_value(Operand{p.value, std::nullopt}, ctx);
        if (!r.error.empty()) return r;
        obj[p.key->text] = std::move(r.value);
    }
    return {std::move(obj), {}};
}

// ---------------------------------------------------------------- operators

namespace {

std::optional<long double> as_number(const Json& v) {
    if (v.is_number()) return v.get<long double>();
    if (v.is_string()) return parse_quantity(v.get_ref<const std::string&>());
    return std::nullopt;
}

// Ordering of two values the way Kyverno's numeric handlers compare them: numbers, then
// durations (both strings), then quantities.
std::optional<int> compare(const Json& a, const Json& b, bool durations_only) {
    auto cmp = [](long double x, long double y) { return x < y ? -1 : (x > y ? 1 : 0); };
    if (durations_only) {
        auto dur = [](const Json& v) -> std::optional<long double> {
            if (v.is_number()) return v.get<long double>();
            if (v.is_string()) return parse_duration_seconds(v.get_ref<const std::string&>());
            return std::nullopt;
        };
        auto x = dur(a), y = dur(b);
        if (x && y) return cmp(*x, *y);
        return std::nullopt;
    }
    if (a.is_string() && b.is_string()) {
        auto x = parse_duration_seconds(a.get_ref<const std::string&>());
        auto y = parse_duration_seconds(b.get_ref<const std::string&>());
        if (x && y) return cmp(*x, *y);
    }
    auto x = as_number(a), y = as_number(b);
    if (x && y) return cmp(*x, *y);
    return std::nullopt;
}

bool equals(const Json& k, const Json& v) {
    if (k.is_null()) return v.is_null();
    if (k.is_string()) {
        const auto& ks = k.get_ref<const std::string&>();
        if (v.is_string()) {
            const auto& vs = v.get_ref<const std::string&>();
            auto dk = parse_duration_seconds(ks), dv = parse_duration_seconds(vs);
            if (dk && dv) return *dk == *dv;
            auto qk = parse_quantity(ks), qv = parse_quantity(vs);
            if (qk && qv) return *qk == *qv;
            return wildcard_match(vs, ks);
        }
        if (v.is_number()) {
            auto qk = parse_quantity(ks);
            return qk && *qk == v.get<long double>();
        }
        if (v.is_boolean()) return ks == (v.get<bool>() ? "true" : "false");
        return false;
    }
    if (k.is_boolean()) {
        if (v.is_boolean()) return k.get<bool>() == v.get<bool>();
        if (v.is_string()) return v.get_ref<const std::string&>() == (k.get<bool>() ? "true" : "false");
        return false;
    }
    if (k.is_number()) {
        auto x = as_number(v);
        return x && *x == k.get<long double>();
    }
    return nlohmann::json(k) == nlohmann::json(v);  // unordered comparison of maps
}

// Membership as Kyverno's In/AnyIn handlers test it: wildcards either way for strings.
bool in_set(const Json& key, const Json& set) {
    for (const auto& e : set) {
        if (key.is_string() && e.is_string()) {
            const auto& ks = key.get_ref<const std::string&>();
            const auto& es = e.get_ref<const std::string&>();
            if (wildcard_match(es, ks) || wildcard_match(ks, es)) return true;
        } else if (equals(key, e)) {
            return true;
        }
    }
    return false;
}

Json as_set(const Json& value) {
    if (value.is_array()) return value;
    if (value.is_string()) {
        auto parsed = Json::parse(value.get_ref<const std::string&>(), nullptr, false);
        if (!parsed.is_discarded() && parsed.is_array()) return parsed;
    }
    Json arr = Json::array();
    arr.push_back(value);
    return arr;
}

Json as_keys(const Json& key) {
    if (key.is_array()) return key;
    Json arr = Json::array();
    arr.push_back(key);
    return arr;
}

// For the set operators: how many of the keys are in the value set, and how many keys there are.
std::pair<std::size_t, std::size_t> count_in(const Json& key, const Json& value) {
    const Json set = as_set(value);
    const Json keys = as_keys(key);
    std::size_t in = 0;
    for (const auto& k : keys)
        if (in_set(k, set)) ++in;
    return {in, keys.size()};
}

}  // namespace

bool eval_operator(Operator op, const Json& key, const Json& value) {
    switch (op) {
        case Operator::Equals: return equals(key, value);
        case Operator::NotEquals: return !equals(key, value);
        case Operator::In:
        case Operator::AllIn: {
            const auto [in, all] = count_in(key, value);
            return in == all;
        }
        case Operator::AnyIn: return count_in(key, value).first > 0;
        case Operator::NotIn: return !eval_operator(Operator::In, key, value);
        case Operator::AnyNotIn: {
            const auto [in, all] = count_in(key, value);
            return in < all;
        }
        case Operator::AllNotIn: return count_in(key, value).first == 0;
        case Operator::GreaterThan:
        case Operator::GreaterThanOrEquals:
        case Operator::LessThan:
        case Operator::LessThanOrEquals:
        case Operator::DurationGreaterThan:
        case Operator::DurationGreaterThanOrEquals:
        case Operator::DurationLessThan:
        case Operator::DurationLessThanOrEquals: {
            bool dur = op == Operator::DurationGreaterThan || op == Operator::DurationGreaterThanOrEquals ||
                       op == Operator::DurationLessThan || op == Operator::DurationLessThanOrEquals;
            auto c = compare(key, value, dur);
            if (!c) return false;
            switch (op) {
                case Operator::GreaterThan:
                case Operator::DurationGreaterThan: return *c > 0;
                case Operator::GreaterThanOrEquals:
                case Operator::DurationGreaterThanOrEquals: return *c >= 0;
                case Operator::LessThan:
                case Operator::DurationLessThan: return *c < 0;
                default: return *c <= 0;
            }
        }
    }
    return false;
}

CondResult eval_conditions(const Conditions& c, const RequestContext& ctx) {
    auto one = [&](const Condition& cond) -> CondResult {
        auto k = operand_value(cond.key, ctx);
        if (!k.error.empty()) return {false, k.error};
        auto v = operand_value(cond.value, ctx);
        if (!v.error.empty()) return {false, v.error};
        return {eval_operator(cond.op, k.value, v.value), {}};
    };
    bool any_ok = c.any.empty();
    for (const auto& cond : c.any) {
        auto r = one(cond);
        if (!r.error.empty()) return r;
        if (r.value) {
            any_ok = true;
            break;
        }
    }
    bool all_ok = true;
    for (const auto& cond : c.all) {
        auto r = one(cond);
        if (!r.error.empty()) return r;
        if (!r.value) {
            all_ok = false;
            break;
        }
    }
    return {any_ok && all_ok, {}};
}

}  // namespace coconut::policy::kyverno
