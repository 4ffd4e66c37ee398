// Validation of coconut.yaml: the structural walk over the descriptor table, then the rules that
// relate fields to each other. Every problem is collected; nothing stops at the first one.
#include "coconut/spec/validate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "coconut/spec/quantity.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::spec::detail {

using schema::Format;
using schema::Kind;
using schema::Type;
using yaml::Dialect;
using yaml::Node;

std::string Path::str() const {
    std::string out;
    for (const auto& p : m_parts) {
        if (!out.empty() && !(p.size() > 1 && p.front() == '[' && p.back() == ']')) out += '.';
        out += p;
    }
    return out;
}

const Node* value_of(const Node* mapping, std::string_view key) {
    if (!mapping || !mapping->is_mapping()) return nullptr;
    const Node* v = mapping->find(key);
    if (!v || v->is_null()) return nullptr;
    return v;
}

namespace {

constexpr std::size_t k_echo_limit = 64;

std::string escape_text(std::string_view s) {
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && ++chars > k_echo_limit) {
            out += "...";
            break;
        }
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) out += "?";
        else out += static_cast<char>(c);
    }
    return out;
}

std::string sorted_list(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return util::join(names, ", ");
}

}  // namespace

std::string quote(std::string_view s) { return "'" + escape_text(s) + "'"; }

std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
    if (auto m = util::closest_match(word, candidates)) return m;
    // An abbreviation: `prod` for `production`. Only when exactly one candidate starts with it.
    if (word.size() < 2) return std::nullopt;
    const std::string w = util::to_lower(word);
    std::optional<std::string> found;
    for (const auto& c : candidates) {
        if (!util::to_lower(c).starts_with(w)) continue;
        if (found) return std::nullopt;
        found = c;
    }
    return found;
}

std::string describe_value(const Node& n) {
    if (n.is_mapping()) return "a mapping";
    if (n.is_sequence()) return "a list";
    switch (yaml::resolve(n, Dialect::Core12)) {
        case yaml::ScalarType::Null: return "null";
        case yaml::ScalarType::Bool: return "boolean " + escape_text(n.text);
        case yaml::ScalarType::Int: return "integer " + escape_text(n.text);
        case yaml::ScalarType::Float: return "number " + escape_text(n.text);
        case yaml::ScalarType::Timestamp:
        case yaml::ScalarType::String: break;
    }
    return "string \"" + escape_text(n.text) + "\"";
}

std::string unknown_name_message(std::string_view what, std::string_view name, const std::vector<std::string>& known,
                                 std::string_view plural) {
    std::string msg = "unknown " + std::string(what) + " " + quote(name);
    if (known.empty()) {
        msg += " (no " + std::string(plural) + " are defined)";
        return msg;
    }
    msg += " (" + std::string(plural) + " are: " + sorted_list(known) + ")";
    if (auto m = suggest(name, known)) msg += "; did you mean '" + *m + "'?";
    return msg;
}

namespace {

bool is_env_var_name(std::string_view s) {
    if (s.empty()) return false;
    auto ok = [](char c, bool first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    };
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!ok(s[i], i == 0)) return false;
    return true;
}

// A DNS-1123 label close to `s` (lowercased, separators turned into '-'), when there is one.
std::optional<std::string> dns_label_fix(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
        else if (c == '-' || c == '_' || c == '.' || c == ' ') {
            if (!out.empty() && out.back() != '-') out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.size() > 63 || !util::is_dns1123_label(out) || out == s) return std::nullopt;
    return out;
}

std::string dns_label_problem(std::string_view s, std::string_view what) {
    std::string msg = quote(s) + " is not a valid " + std::string(what);
    if (s.size() > 63) return msg + ": at most 63 characters (got " + std::to_string(s.size()) + ")";
    msg += ": use lowercase letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label)";
    if (auto fix = dns_label_fix(s)) msg += "; did you mean '" + *fix + "'?";
    return msg;
}

bool is_hostname(std::string_view s) {
    if (s.starts_with("*.")) s.remove_prefix(2);
    return util::is_dns1123_subdomain(s);
}

bool has_space(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The problem with `s` in `format`, or nullopt. `what` names the thing for messages.
std::optional<std::string> format_problem(Format format, std::string_view s, std::string_view what) {
    switch (format) {
        case Format::None: return std::nullopt;
        case Format::Dns1123Label:
            if (util::is_dns1123_label(s)) return std::nullopt;
            return dns_label_problem(s, what);
        case Format::Dns1123Subdomain:
            if (util::is_dns1123_subdomain(s)) return std::nullopt;
            return quote(s) + " is not a valid " + std::string(what) +
                   ": use lowercase DNS-1123 labels (letters, digits and '-') separated by dots";
        case Format::Hostname:
            if (is_hostname(s)) return std::nullopt;
            return quote(s) + " is not a valid host name: use lowercase DNS-1123 labels separated by dots, e.g. "
                              "'shop.example.com' (no scheme, port or path)";
        case Format::EnvVarName: {
            if (is_env_var_name(s)) return std::nullopt;
            std::string msg = quote(s) + " is not a valid " + std::string(what) +
                              ": use letters, digits and '_', not starting with a digit";
            std::string fix;
            for (char c : s) fix += is_env_var_name(std::string(1, c)) || (c >= '0' && c <= '9') ? c : '_';
            if (is_env_var_name(fix) && fix != s) msg += "; did you mean '" + fix + "'?";
            return msg;
        }
        case Format::AbsolutePath:
            if (s.starts_with("/")) return std::nullopt;
            return "must be an absolute path (got " + quote(s) + ")";
        case Format::UrlPath:
            if (s.starts_with("/")) return std::nullopt;
            return "must start with '/' (got " + quote(s) + ")";
        case Format::NoSpaces:
            if (!has_space(s)) return std::nullopt;
            return "must not contain spaces (got " + quote(s) + ")";
    }
    return std::nullopt;
}

std::string range_message(const Type& t, std::optional<std::int64_t> v, std::string_view got) {
    const bool has_max = t.max_int && *t.max_int < 2147483647;
    if (t.min_int && has_max)
        return "must be " + std::to_string(*t.min_int) + ".." + std::to_string(*t.max_int) + " (got " +
               std::string(got) + ")";
    const bool below = v ? (t.min_int && *v < *t.min_int) : got.starts_with("-");
    if (t.min_int && below) return "must be at least " + std::to_string(*t.min_int) + " (got " + std::string(got) + ")";
    if (t.max_int) return "must be at most " + std::to_string(*t.max_int) + " (got " + std::string(got) + ")";
    return "integer out of range (got " + std::string(got) + ")";
}

std::string number_text(double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", d);
    return buf;
}

// ---- the structural walk ----

class Walker {
public:
    explicit Walker(std::vector<Issue>& out) : m_out(out) {}

    // An empty value (`KEY:` with nothing after it) has no position of its own: such problems
    // are reported at the key.
    void error(const Node& n, const Path& p, std::string msg) {
        const yaml::Mark mark = n.start.line > 0 || !m_key ? n.start : m_key->start;
        m_out.push_back(Issue{&n, mark, p, std::move(msg)});
    }

    void type_error(const Type& t, const Node& n, const Path& p) {
        std::string msg = "expected " + schema::describe_expected(t) + ", got " + describe_value(n);
        const auto string_item = [](const Type* item) {
            if (!item) return false;
            if (item->kind == Kind::String) return true;
            return item->kind == Kind::OneOf &&
                   std::any_of(item->alternatives.begin(), item->alternatives.end(),
                               [](const Type* a) { return a->kind == Kind::String; });
        };
        if (t.kind == Kind::List && n.is_scalar() && string_item(t.item))
            msg += " (write [" + escape_text(n.text) + "] for a list of one)";
        error(n, p, std::move(msg));
    }

    void check(const Type& t, const Node& n, const Path& p, std::string_view what = "name") {
        if (n.is_null() && t.kind != Kind::Object) {
            if (t.kind == Kind::String) {
                if (t.non_empty) error(n, p, "must not be empty");
                return;  // an empty string
            }
            error(n, p, "expected " + schema::describe_expected(t) + ", got null");
            return;
        }
        switch (t.kind) {
            case Kind::String: return check_string(t, n, p, what);
            case Kind::Integer: return check_integer(t, n, p);
            case Kind::Number: return check_number(t, n, p);
            case Kind::Boolean:
                if (!n.is_scalar() || !(yaml::as_bool(n, Dialect::Core12) || yaml::as_bool(n, Dialect::Yaml11)))
                    type_error(t, n, p);
                return;
            case Kind::Duration: {
                if (!n.is_scalar()) return type_error(t, n, p);
                auto ms = parse_duration_ms(n.text);
                if (!ms) return error(n, p, duration_error(n.text));
                if (t.positive && *ms == 0) error(n, p, "must be greater than 0 (got " + escape_text(n.text) + ")");
                return;
            }
            case Kind::Cpu:
                if (!n.is_scalar()) return type_error(t, n, p);
                if (!parse_cpu_millis(n.text)) error(n, p, cpu_error(n.text));
                return;
            case Kind::Memory:
                if (!n.is_scalar()) return type_error(t, n, p);
                if (!parse_memory_bytes(n.text)) error(n, p, memory_error(n.text));
                return;
            case Kind::Enum: {
                if (!n.is_scalar()) return type_error(t, n, p);
                if (std::find(t.values.begin(), t.values.end(), n.text) != t.values.end()) return;
                std::string msg = "must be one of " + util::join(t.values, ", ") + " (got " + quote(n.text) + ")";
                if (auto m = suggest(n.text, t.values)) msg += "; did you mean '" + *m + "'?";
                return error(n, p, std::move(msg));
            }
            case Kind::Const:
                if (!n.is_scalar()) return type_error(t, n, p);
                if (!t.values.empty() && n.text != t.values.front())
                    error(n, p, "must be " + t.values.front() + " (got " + quote(n.text) + ")");
                return;
            case Kind::Cron: {
                if (!n.is_scalar()) return type_error(t, n, p);
                if (n.text.empty()) return error(n, p, "must not be empty");
                if (auto why = cron_problem(n.text))
                    error(n, p, "invalid cron expression \"" + escape_text(n.text) + "\": " + *why);
                return;
            }
            case Kind::List: return check_list(t, n, p);
            case Kind::Map: return check_map(t, n, p);
            case Kind::Object: return check_object(t, n, p);
            case Kind::OneOf: return check_one_of(t, n, p);
        }
    }

private:
    void check_string(const Type& t, const Node& n, const Path& p, std::string_view what) {
        if (!n.is_scalar()) return type_error(t, n, p);
        if (n.text.empty()) {
            if (t.non_empty) error(n, p, "must not be empty");
            return;
        }
        if (auto why = format_problem(t.format, n.text, what)) error(n, p, *why);
    }

    void check_integer(const Type& t, const Node& n, const Path& p) {
        if (!n.is_scalar() || yaml::resolve(n, Dialect::Core12) != yaml::ScalarType::Int) return type_error(t, n, p);
        auto v = yaml::as_int(n, Dialect::Core12);
        if (!v || (t.min_int && *v < *t.min_int) || (t.max_int && *v > *t.max_int))
            error(n, p, range_message(t, v, escape_text(n.text)));
    }

    void check_number(const Type& t, const Node& n, const Path& p) {
        if (!n.is_scalar()) return type_error(t, n, p);
        auto kind = yaml::resolve(n, Dialect::Core12);
        if (kind != yaml::ScalarType::Int && kind != yaml::ScalarType::Float) return type_error(t, n, p);
        auto v = yaml::as_float(n, Dialect::Core12);
        if (!v || !std::isfinite(*v)) return error(n, p, "must be a finite number (got " + escape_text(n.text) + ")");
        const bool below = t.min_num && (t.exclusive_min ? *v <= *t.min_num : *v < *t.min_num);
        const bool above = t.max_num && (t.exclusive_max ? *v >= *t.max_num : *v > *t.max_num);
        if (!below && !above) return;
        std::string msg;
        if (t.min_num && t.max_num) {
            msg = "must be " + std::string(t.exclusive_min ? "greater than " : "at least ") + number_text(*t.min_num) +
                  " and " + (t.exclusive_max ? "less than " : "at most ") + number_text(*t.max_num);
        } else if (t.min_num) {
            msg = "must be " + std::string(t.exclusive_min ? "greater than " : "at least ") + number_text(*t.min_num);
        } else {
            msg = "must be " + std::string(t.exclusive_max ? "less than " : "at most ") + number_text(*t.max_num);
        }
        error(n, p, msg + " (got " + escape_text(n.text) + ")");
    }

    void check_list(const Type& t, const Node& n, const Path& p) {
        if (!n.is_sequence()) return type_error(t, n, p);
        if (n.items.empty() && t.non_empty) return error(n, p, "must not be empty");
        if (!t.item) return;
        for (std::size_t i = 0; i < n.items.size(); ++i) check(*t.item, *n.items[i], p.index(i));
    }

    void check_map(const Type& t, const Node& n, const Path& p) {
        if (!n.is_mapping()) return type_error(t, n, p);
        if (n.pairs.empty() && t.non_empty) {
            if (t.key_name == "service") return error(n, p, "must define at least one service");
            return error(n, p, "must not be empty");
        }
        const std::string what = (t.key_name.empty() ? std::string("name") : t.key_name + " name");
        for (const auto& pair : n.pairs) {
            if (!pair.key->is_scalar()) {
                error(*pair.key, p, "keys must be strings (got " + describe_value(*pair.key) + ")");
                continue;
            }
            const Path child = p.key(pair.key->text);
            if (auto why = format_problem(t.key_format, pair.key->text, what)) error(*pair.key, child, *why);
            m_key = pair.key;
            if (t.item) check(*t.item, *pair.value, child);
        }
    }

    void check_object(const Type& t, const Node& n, const Path& p) {
        if (n.is_null()) return check_required(t, n, p);  // `web:` with nothing: an empty mapping
        if (!n.is_mapping()) return type_error(t, n, p);
        const bool overlay = &t == &schema::environment();
        for (const auto& pair : n.pairs) {
            if (!pair.key->is_scalar()) {
                error(*pair.key, p, "keys must be strings (got " + describe_value(*pair.key) + ")");
                continue;
            }
            const schema::Field* f = t.field(pair.key->text);
            if (!f) {
                // `x-...` keys at the top level hold YAML anchors for reuse (as in docker-compose)
                if (&t == &schema::root() && pair.key->text.starts_with("x-")) continue;
                unknown_field(t, *pair.key, p, overlay);
                continue;
            }
            // Environment overrides are validated after merging (load.cpp), not here.
            if (overlay || !f->type || pair.value->is_null()) continue;
            m_key = pair.key;
            std::string what = f->name;
            std::replace(what.begin(), what.end(), '_', ' ');
            check(*f->type, *pair.value, p.key(f->name), what);
        }
        if (!overlay) check_required(t, n, p);
    }

    void check_required(const Type& t, const Node& n, const Path& p) {
        for (const auto& f : t.fields)
            if (f.required && !value_of(&n, f.name)) error(n, p, "missing required field '" + f.name + "'");
    }

    void unknown_field(const Type& t, const Node& key, const Path& p, bool overlay) {
        const auto names = t.field_names();
        std::string msg = "unknown field " + quote(key.text);
        if (auto m = suggest(key.text, names)) {
            msg += "; did you mean '" + *m + "'?";
        } else if (overlay) {
            msg += " (an environment can override: " + util::join(names, ", ") + ")";
        } else {
            msg += " (fields are: " + util::join(names, ", ") + ")";
        }
        error(key, p.key(key.text), std::move(msg));
    }

    void check_one_of(const Type& t, const Node& n, const Path& p) {
        for (const Type* alt : t.alternatives) {
            const bool fits = (n.is_mapping() && (alt->kind == Kind::Object || alt->kind == Kind::Map)) ||
                              (n.is_sequence() && alt->kind == Kind::List) ||
                              (n.is_scalar() && alt->kind == Kind::String) ||
                              (n.is_scalar() && alt->kind == Kind::Integer &&
                               yaml::resolve(n, Dialect::Core12) == yaml::ScalarType::Int);
            if (fits) return check(*alt, n, p);
        }
        error(n, p, "expected " + schema::describe_expected(t) + ", got " + describe_value(n));
    }

    std::vector<Issue>& m_out;
    const Node* m_key = nullptr;  // the key of the value being checked
};

// ---- the cross-field rules ----

std::optional<std::int64_t> int_of(const Node* n) {
    if (!n) return std::nullopt;
    return yaml::as_int(*n, Dialect::Core12);
}

std::optional<bool> bool_of(const Node* n) {
    if (!n || !n->is_scalar()) return std::nullopt;
    if (auto b = yaml::as_bool(*n, Dialect::Core12)) return b;
    return yaml::as_bool(*n, Dialect::Yaml11);
}

// The text of a scalar, or nullopt.
std::optional<std::string> text_of(const Node* n) {
    if (!n || !n->is_scalar()) return std::nullopt;
    return n->text;
}

std::string line_ref(const Node& n) { return "line " + std::to_string(n.start.line); }

class Rules {
public:
    Rules(const Node& root, const ValidateOptions& options, std::vector<Issue>& out)
        : m_root(root), m_options(options), m_out(out) {}

    void run() {
        const Node* services = value_of(&m_root, "services");
        if (services && services->is_mapping()) {
            for (const auto& pair : services->pairs)
                if (pair.key->is_scalar()) m_services.push_back(pair.key->text);
            const Path base = Path().key("services");
            for (const auto& pair : services->pairs) {
                if (!pair.key->is_scalar()) continue;
                check_service(pair.key->text, *pair.key, *pair.value, base.key(pair.key->text));
            }
            check_cycles(*services);
        }
        check_deploy();
        check_policies();
    }

private:
    void error(const Node& n, const Path& p, std::string msg) {
        m_out.push_back(Issue{&n, n.start, p, std::move(msg)});
    }

    void check_service(const std::string& name, const Node& key, const Node& svc, const Path& p) {
        // `web:` with no value: report at the key (the value has no useful position)
        const Node& at = svc.is_mapping() ? svc : key;
        if (!svc.is_mapping() && !svc.is_null()) return;  // a type error was reported
        const Node* s = svc.is_mapping() ? &svc : nullptr;

        std::string type = "backend";
        bool type_known = true;
        if (const Node* t = value_of(s, "type")) {
            type = t->is_scalar() ? t->text : "";
            type_known = type == "web" || type == "backend" || type == "worker" || type == "job";
        }

        // build XOR image
        const Node* build = value_of(s, "build");
        const Node* image = value_of(s, "image");
        if (build && image) {
            const Node* later = image->start.line > build->start.line ||
                                        (image->start.line == build->start.line && image->start.column > build->start.column)
                                    ? image
                                    : build;
            error(*later, p.key(later == image ? "image" : "build"), "set either 'build' or 'image', not both");
        } else if (!build && !image) {
            error(at, p, "needs either 'build' (build from source) or 'image' (a prebuilt image)");
        }
        if (build && build->is_mapping()) check_build(*build, p.key("build"));

        // schedule
        const Node* schedule = value_of(s, "schedule");
        if (type_known && type == "job" && !schedule)
            error(at, p, "missing required field 'schedule' (a job runs on a schedule)");
        if (type_known && type != "job" && schedule)
            error(*schedule, p.key("schedule"), "only jobs have a schedule (type is '" + type + "'); set 'type: job'");

        // ports
        const bool has_port = value_of(s, "port") != nullptr || (type_known && type == "web");
        if (const Node* ingress = value_of(s, "ingress")) {
            if (type_known && (type == "worker" || type == "job")) {
                error(*ingress, p.key("ingress"),
                      "a " + type + " has no ingress (only web and backend services do)");
            } else if (type_known && !has_port) {
                error(*ingress, p.key("ingress"), "needs a port: set 'port' on the service");
            }
            if (ingress->is_mapping() && bool_of(value_of(ingress, "tls")).value_or(false) &&
                !value_of(ingress, "host"))
                error(*ingress->find("tls"), p.key("ingress").key("tls"), "TLS needs a 'host'");
        }
        if (const Node* health = value_of(s, "health")) {
            const bool exec = health->is_mapping() && value_of(health, "command");
            if (exec && value_of(health, "path"))
                error(*health->find("path"), p.key("health").key("path"),
                      "set either 'command' (a check run in the container) or 'path' (an HTTP check), not both");
            if (type_known && !has_port && !exec && health->is_mapping() && !value_of(health, "port"))
                error(*health, p.key("health"),
                      "needs a port: set 'port' on the service or 'health.port', or a 'command' to run in the container");
        }

        if (const Node* replicas = value_of(s, "replicas"); replicas && replicas->is_mapping()) {
            auto min = int_of(value_of(replicas, "min"));
            auto max = int_of(value_of(replicas, "max"));
            const bool min_ok = !value_of(replicas, "min") || min;
            const bool max_ok = !value_of(replicas, "max") || max;
            if (min_ok && max_ok && max && min.value_or(1) > *max)
                error(*replicas, p.key("replicas"),
                      "min (" + std::to_string(min.value_or(1)) + ") must not be greater than max (" +
                          std::to_string(*max) + ")");
        }

        if (const Node* res = value_of(s, "resources"); res && res->is_mapping()) check_resources(*res, p.key("resources"));
        if (const Node* vols = value_of(s, "volumes"); vols && vols->is_sequence()) check_volumes(*vols, p.key("volumes"));

        // env vs secrets
        const Node* env = value_of(s, "env");
        const Node* secrets = value_of(s, "secrets");
        if (env && secrets && env->is_mapping() && secrets->is_mapping()) {
            for (const auto& pair : secrets->pairs) {
                if (!pair.key->is_scalar() || !env->find(pair.key->text)) continue;
                error(*pair.key, p.key("secrets").key(pair.key->text),
                      quote(pair.key->text) + " is also set in env; a variable comes from either env or secrets");
            }
        }

        check_command(s, p);

        // depends_on
        if (const Node* deps = value_of(s, "depends_on"); deps && deps->is_sequence()) {
            std::set<std::string> seen;
            for (std::size_t i = 0; i < deps->items.size(); ++i) {
                const Node& d = *deps->items[i];
                if (!d.is_scalar() || d.text.empty()) continue;
                const Path dp = p.key("depends_on").index(i);
                if (d.text == name) {
                    error(d, dp, "a service cannot depend on itself");
                } else if (std::find(m_services.begin(), m_services.end(), d.text) == m_services.end()) {
                    error(d, dp, unknown_name_message("service", d.text, m_services, "services"));
                } else if (!seen.insert(d.text).second) {
                    error(d, dp, quote(d.text) + " is listed twice");
                }
            }
        }
    }

    void check_command(const Node* s, const Path& p) {
        for (const char* key : {"command", "args"}) {
            const Node* c = value_of(s, key);
            if (c && c->is_scalar() && !split_words(c->text))
                error(*c, p.key(key), std::string("unterminated quote in ") + key + " " + quote(c->text));
        }
    }

    void check_build(const Node& build, const Path& p) {
        std::string runtime = "static";
        if (auto r = text_of(value_of(&build, "runtime"))) runtime = *r;
        if (const Node* df = value_of(&build, "dockerfile"); df && runtime != "dockerfile")
            error(*df, p.key("dockerfile"), "only used with runtime 'dockerfile' (runtime is '" + runtime + "')");
        if (const Node* bin = value_of(&build, "binary"); bin && runtime != "static")
            error(*bin, p.key("binary"), "only used with runtime 'static' (runtime is '" + runtime + "')");
        if (const Node* hc = value_of(&build, "healthcheck"); hc && hc->is_scalar() && !split_words(hc->text))
            error(*hc, p.key("healthcheck"), "unterminated quote in healthcheck " + quote(hc->text));
    }

    void check_resources(const Node& res, const Path& p) {
        auto compare = [&](const char* request_key, const char* limit_key, auto parse) {
            const Node* limit = value_of(&res, limit_key);
            const Node* request = value_of(&res, request_key);
            if (!limit || !request || !limit->is_scalar() || !request->is_scalar()) return;
            auto l = parse(limit->text);
            auto r = parse(request->text);
            if (l && r && *l < *r)
                error(*limit, p.key(limit_key),
                      "must not be lower than " + std::string(request_key) + " (got " + escape_text(limit->text) +
                          ", " + request_key + " is " + escape_text(request->text) + ")");
        };
        compare("cpu", "cpu_limit", [](std::string_view s) { return parse_cpu_millis(s); });
        compare("memory", "memory_limit", [](std::string_view s) { return parse_memory_bytes(s); });
    }

    void check_volumes(const Node& vols, const Path& p) {
        std::map<std::string, const Node*> names;
        std::map<std::string, std::string> paths;  // mount path -> volume name
        for (std::size_t i = 0; i < vols.items.size(); ++i) {
            const Node& v = *vols.items[i];
            if (!v.is_mapping()) continue;
            const Path vp = p.index(i);
            const Node* name = value_of(&v, "name");
            const std::string vname = name && name->is_scalar() ? name->text : "";
            if (name && name->is_scalar()) {
                auto [it, inserted] = names.emplace(name->text, name);
                if (!inserted)
                    error(*name, vp.key("name"),
                          "duplicate volume name " + quote(name->text) + " (first used at " + line_ref(*it->second) + ")");
            }
            if (const Node* path = value_of(&v, "path"); path && path->is_scalar()) {
                std::string norm = path->text;
                while (norm.size() > 1 && norm.back() == '/') norm.pop_back();
                auto [it, inserted] = paths.emplace(norm, vname);
                if (!inserted)
                    error(*path, vp.key("path"),
                          "duplicate mount path " + quote(path->text) + " (also used by volume " + quote(it->second) +
                              ")");
            }
            if (const Node* sc = value_of(&v, "storage_class"); sc && !value_of(&v, "size"))
                error(*sc, vp.key("storage_class"), "needs 'size' (only persistent volumes have a storage class)");
        }
    }

    // One report per strongly connected component of the depends_on graph: the shortest cycle
    // through its earliest-declared service, at that service's depends_on entry.
    void check_cycles(const Node& services) {
        const std::size_t n = m_services.size();
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < n; ++i) index.emplace(m_services[i], i);
        struct Edge {
            std::size_t to;
            const Node* node;
            std::size_t position;
        };
        std::vector<std::vector<Edge>> edges(n);
        std::vector<const Node*> svc_nodes(n, nullptr);
        std::size_t k = 0;
        for (const auto& pair : services.pairs) {
            if (!pair.key->is_scalar()) continue;
            const std::size_t from = k++;
            if (from >= n) break;
            svc_nodes[from] = pair.value;
            const Node* deps = value_of(pair.value, "depends_on");
            if (!deps || !deps->is_sequence()) continue;
            for (std::size_t i = 0; i < deps->items.size(); ++i) {
                const Node* d = deps->items[i];
                if (!d->is_scalar()) continue;
                auto it = index.find(d->text);
                if (it == index.end() || it->second == from) continue;
                edges[from].push_back(Edge{it->second, d, i});
            }
        }
        // Tarjan's SCC, iterative (no recursion depth limits on big graphs).
        std::vector<int> idx(n, -1), low(n, 0), comp(n, -1);
        std::vector<bool> on_stack(n, false);
        std::vector<std::size_t> stack;
        int counter = 0, comps = 0;
        for (std::size_t s = 0; s < n; ++s) {
            if (idx[s] >= 0) continue;
            std::vector<std::pair<std::size_t, std::size_t>> work{{s, 0}};
            while (!work.empty()) {
                auto& [v, ei] = work.back();
                if (ei == 0 && idx[v] < 0) {
                    idx[v] = low[v] = counter++;
                    stack.push_back(v);
                    on_stack[v] = true;
                }
                if (ei < edges[v].size()) {
                    std::size_t w = edges[v][ei++].to;
                    if (idx[w] < 0) {
                        work.emplace_back(w, 0);
                    } else if (on_stack[w]) {
                        low[v] = std::min(low[v], idx[w]);
                    }
                    continue;
                }
                if (low[v] == idx[v]) {
                    while (true) {
                        std::size_t w = stack.back();
                        stack.pop_back();
                        on_stack[w] = false;
                        comp[w] = comps;
                        if (w == v) break;
                    }
                    ++comps;
                }
                const std::size_t done = v;
                work.pop_back();
                if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
            }
        }
        std::vector<std::size_t> comp_size(static_cast<std::size_t>(comps), 0);
        for (std::size_t v = 0; v < n; ++v) ++comp_size[static_cast<std::size_t>(comp[v])];
        std::vector<bool> reported(static_cast<std::size_t>(comps), false);
        for (std::size_t start = 0; start < n; ++start) {
            const auto c = static_cast<std::size_t>(comp[start]);
            if (comp_size[c] < 2 || reported[c]) continue;
            reported[c] = true;
            // BFS inside the component for the shortest path back to `start`.
            std::vector<long> parent(n, -1);
            std::vector<const Edge*> via(n, nullptr);
            std::vector<std::size_t> queue{start};
            const Edge* closing = nullptr;
            std::size_t last = start;
            for (std::size_t qi = 0; qi < queue.size() && !closing; ++qi) {
                std::size_t v = queue[qi];
                for (const auto& e : edges[v]) {
                    if (static_cast<std::size_t>(comp[e.to]) != c) continue;
                    if (e.to == start) {
                        closing = &e;
                        last = v;
                        break;
                    }
                    if (parent[e.to] < 0 && e.to != start) {
                        parent[e.to] = static_cast<long>(v);
                        via[e.to] = &e;
                        queue.push_back(e.to);
                    }
                }
            }
            if (!closing) continue;
            std::vector<std::size_t> cycle{last};
            while (cycle.back() != start) cycle.push_back(static_cast<std::size_t>(parent[cycle.back()]));
            std::reverse(cycle.begin(), cycle.end());
            // edge j goes from cycle[j] to the next service on the cycle
            std::vector<const Edge*> cycle_edges;
            for (std::size_t j = 1; j < cycle.size(); ++j) cycle_edges.push_back(via[cycle[j]]);
            cycle_edges.push_back(closing);
            // Report at the earliest-declared service's edge, or at the first edge an environment
            // overlay wrote (that is where the cycle was made).
            std::size_t r = 0;
            if (m_options.preferred)
                for (std::size_t j = 0; j < cycle_edges.size(); ++j)
                    if (m_options.preferred->count(cycle_edges[j]->node)) {
                        r = j;
                        break;
                    }
            std::string text;
            for (std::size_t j = 0; j < cycle.size(); ++j) text += m_services[cycle[(r + j) % cycle.size()]] + " -> ";
            text += m_services[cycle[r]];
            error(*cycle_edges[r]->node,
                  Path().key("services").key(m_services[cycle[r]]).key("depends_on").index(cycle_edges[r]->position),
                  "dependency cycle: " + text);
        }
    }

    void check_deploy() {
        const Node* deploy = value_of(&m_root, "deploy");
        const Node* canary = value_of(deploy, "canary");
        if (!canary || !canary->is_mapping()) return;
        const Path cp = Path().key("deploy").key("canary");
        if (const Node* steps = value_of(canary, "steps"); steps && steps->is_sequence() && !steps->items.empty()) {
            std::vector<std::int64_t> values;
            for (const auto* item : steps->items) {
                auto v = int_of(item);
                if (!v || *v < 1 || *v > 100) return;  // reported by the structural walk
                values.push_back(*v);
            }
            bool increasing = true;
            for (std::size_t i = 1; i < values.size(); ++i) {
                if (values[i] <= values[i - 1]) {
                    increasing = false;
                    error(*steps->items[i], cp.key("steps").index(i),
                          "must be greater than the previous step (" + std::to_string(values[i - 1]) + ")");
                }
            }
            if (increasing && values.back() != 100)
                error(*steps->items.back(), cp.key("steps").index(values.size() - 1),
                      "the last step must be 100 (got " + std::to_string(values.back()) + ")");
        }
        if (const Node* analysis = value_of(canary, "analysis"); analysis && analysis->is_sequence()) {
            for (std::size_t i = 0; i < analysis->items.size(); ++i) {
                const Node& m = *analysis->items[i];
                if (!m.is_mapping()) continue;
                const Node* min = value_of(&m, "min");
                const Node* max = value_of(&m, "max");
                if (!min && !max) {
                    error(m, cp.key("analysis").index(i), "needs 'max' or 'min' (the acceptable range of the query)");
                    continue;
                }
                auto lo = min ? yaml::as_float(*min, Dialect::Core12) : std::nullopt;
                auto hi = max ? yaml::as_float(*max, Dialect::Core12) : std::nullopt;
                if (lo && hi && *lo > *hi)
                    error(*min, cp.key("analysis").index(i).key("min"),
                          "must not be greater than max (got " + escape_text(min->text) + ", max is " +
                              escape_text(max->text) + ")");
            }
        }
    }

    void check_policies() {
        const Node* exceptions = value_of(value_of(&m_root, "policies"), "exceptions");
        if (!exceptions || !exceptions->is_sequence()) return;
        const Path ep = Path().key("policies").key("exceptions");
        for (std::size_t i = 0; i < exceptions->items.size(); ++i) {
            const Node& e = *exceptions->items[i];
            if (!e.is_mapping()) continue;
            if (const Node* svc = value_of(&e, "service"); svc && svc->is_scalar() && !svc->text.empty() &&
                                                            std::find(m_services.begin(), m_services.end(), svc->text) ==
                                                                m_services.end())
                error(*svc, ep.index(i).key("service"), unknown_name_message("service", svc->text, m_services, "services"));
            const auto& envs = m_options.environment_names;
            if (const Node* env = value_of(&e, "environment");
                env && env->is_scalar() && !env->text.empty() &&
                std::find(envs.begin(), envs.end(), env->text) == envs.end())
                error(*env, ep.index(i).key("environment"),
                      unknown_name_message("environment", env->text, envs, "environments"));
        }
    }

    const Node& m_root;
    const ValidateOptions& m_options;
    std::vector<Issue>& m_out;
    std::vector<std::string> m_services;
};

}  // namespace

namespace {

std::vector<std::pair<std::string, TargetCheck>>& target_checks() {
    static std::vector<std::pair<std::string, TargetCheck>> checks;
    return checks;
}

}  // namespace

TargetCheckRegistration::TargetCheckRegistration(const char* target, TargetCheck check) {
    auto& checks = target_checks();
    checks.emplace_back(target, check);
    // Registration order is the static-initialisation order (unspecified): sort by target so the
    // order of reported issues never depends on the link order.
    std::sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void validate_root(const Node& root, const ValidateOptions& options, std::vector<Issue>& out) {
    if (!root.is_mapping()) {
        out.push_back(Issue{&root, root.start, Path(), "expected a mapping at the top level, got " + describe_value(root)});
        return;
    }
    Walker(out).check(schema::root(), root, Path());
    Rules(root, options, out).run();
    for (const auto& [target, check] : target_checks()) check(root, out);
}


}  // namespace coconut::spec::detail
