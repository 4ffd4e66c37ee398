#include "coconut/policy/schema/validator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "coconut/policy/inputs/kubernetes.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::schema {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// A compiled schema node.
struct Compiled {
    unsigned types = 0;   // bit set of Type; 0 = any
    std::vector<Json> enum_values;
    bool has_enum = false;
    std::map<std::string, std::unique_ptr<Compiled>, std::less<>> properties;
    bool additional_allowed = true;
    std::unique_ptr<Compiled> additional;   // schema for additional properties
    std::vector<std::string> required;
    std::unique_ptr<Compiled> items;
    std::vector<std::unique_ptr<Compiled>> one_of, any_of, all_of;
    std::unique_ptr<Compiled> not_schema;
    std::optional<double> minimum, maximum;
    std::optional<std::size_t> min_length, max_length, min_items, max_items;
    std::string format;
};

namespace {

enum Type : unsigned { Null = 1, Boolean = 2, Integer = 4, Number = 8, String = 16, Array = 32, Object = 64 };

unsigned type_bit(const std::string& t) {
    if (t == "null") return Null;
    if (t == "boolean") return Boolean;
    if (t == "integer") return Integer;
    if (t == "number") return Number | Integer;
    if (t == "string") return String;
    if (t == "array") return Array;
    if (t == "object") return Object;
    return 0;
}

std::unique_ptr<Compiled> compile(const Json& j) {
    auto c = std::make_unique<Compiled>();
    if (!j.is_object()) return c;   // `true` / `{}`: anything
    if (auto it = j.find("type"); it != j.end()) {
        if (it->is_string()) c->types = type_bit(*it);
        else if (it->is_array())
            for (const auto& t : *it)
                if (t.is_string()) c->types |= type_bit(t);
    }
    if (auto it = j.find("enum"); it != j.end() && it->is_array()) {
        c->has_enum = true;
        c->enum_values.assign(it->begin(), it->end());
    }
    if (auto it = j.find("const"); it != j.end()) {
        c->has_enum = true;
        c->enum_values.push_back(*it);
    }
    if (auto it = j.find("properties"); it != j.end() && it->is_object())
        for (const auto& [k, v] : it->items()) c->properties.emplace(k, compile(v));
    if (auto it = j.find("additionalProperties"); it != j.end()) {
        if (it->is_boolean()) c->additional_allowed = it->get<bool>();
        else c->additional = compile(*it);
    }
    if (auto it = j.find("required"); it != j.end() && it->is_array())
        for (const auto& r : *it)
            if (r.is_string()) c->required.push_back(r);
    if (auto it = j.find("items"); it != j.end() && it->is_object()) c->items = compile(*it);
    for (const auto& [key, list] : {std::pair<const char*, std::vector<std::unique_ptr<Compiled>>*>{"oneOf", &c->one_of},
                                    {"anyOf", &c->any_of}, {"allOf", &c->all_of}})
        if (auto it = j.find(key); it != j.end() && it->is_array())
            for (const auto& s : *it) list->push_back(compile(s));
    if (auto it = j.find("not"); it != j.end()) c->not_schema = compile(*it);
    auto number = [&](const char* key) -> std::optional<double> {
        auto it = j.find(key);
        return it != j.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    auto size = [&](const char* key) -> std::optional<std::size_t> {
        auto it = j.find(key);
        return it != j.end() && it->is_number_unsigned() ? std::optional<std::size_t>(it->get<std::size_t>()) : std::nullopt;
    };
    c->minimum = number("minimum");
    c->maximum = number("maximum");
    c->min_length = size("minLength");
    c->max_length = size("maxLength");
    c->min_items = size("minItems");
    c->max_items = size("maxItems");
    if (auto it = j.find("format"); it != j.end() && it->is_string()) c->format = *it;
    return c;
}

struct Problem {
    const yaml::Node* node;
    std::string path;
    std::string message;
};

unsigned node_type(const yaml::Node& n) {
    if (n.is_mapping()) return Object;
    if (n.is_sequence()) return Array;
    switch (yaml::resolve(n, yaml::Dialect::Kubernetes)) {
        case yaml::ScalarType::Null: return Null;
        case yaml::ScalarType::Bool: return Boolean;
        case yaml::ScalarType::Int: return Integer;
        case yaml::ScalarType::Float: return Number;
        case yaml::ScalarType::Timestamp:
        case yaml::ScalarType::String: return String;
    }
    return String;
}

std::string type_names(unsigned types) {
    std::vector<std::string> names;
    if (types & Object) names.emplace_back("object");
    if (types & Array) names.emplace_back("array");
    if (types & String) names.emplace_back("string");
    if ((types & Number) != 0) names.emplace_back("number");
    else if (types & Integer) names.emplace_back("integer");
    if (types & Boolean) names.emplace_back("boolean");
    if (types & Null) names.emplace_back("null");
    return util::join(names, " or ");
}

const char* type_name(unsigned t) {
    switch (t) {
        case Object: return "an object";
        case Array: return "an array";
        case String: return "a string";
        case Integer: return "an integer";
        case Number: return "a number";
        case Boolean: return "a boolean";
        case Null: return "null";
        default: return "a value";
    }
}

void validate_node(const Compiled& s, const yaml::Node& n, const std::string& path, std::vector<Problem>& out);

bool valid(const Compiled& s, const yaml::Node& n) {
    std::vector<Problem> scratch;
    validate_node(s, n, "", scratch);
    return scratch.empty();
}

void validate_node(const Compiled& s, const yaml::Node& n, const std::string& path, std::vector<Problem>& out) {
    const unsigned t = node_type(n);
    if (s.types != 0 && (s.types & t) == 0) {
        out.push_back({&n, path, "expected " + type_names(s.types) + ", found " + type_name(t)});
        return;
    }
    if (s.has_enum) {
        const Json value = yaml::to_json(n, yaml::Dialect::Kubernetes);
        if (std::find(s.enum_values.begin(), s.enum_values.end(), value) == s.enum_values.end()) {
            std::vector<std::string> allowed;
            for (const auto& e : s.enum_values) allowed.push_back(e.dump());
            out.push_back({&n, path, "value " + value.dump() + " is not one of " + util::join(allowed, ", ")});
        }
    }
    if (n.is_mapping()) {
        std::vector<std::string> known;
        for (const auto& pair : n.pairs) {
            const std::string& key = pair.key->text;
            const std::string child = path.empty() ? key : path + "." + key;
            if (auto it = s.properties.find(key); it != s.properties.end()) {
                validate_node(*it->second, *pair.value, child, out);
            } else if (s.additional) {
                validate_node(*s.additional, *pair.value, child, out);
            } else if (!s.additional_allowed) {
                if (known.empty())
                    for (const auto& [k, _] : s.properties) known.push_back(k);
                std::string msg = "unknown field \"" + child + "\"";
                if (auto near = util::closest_match(key, known)) msg += " (did you mean \"" + *near + "\"?)";
                out.push_back({pair.key, child, msg});
            }
        }
        for (const auto& r : s.required)
            if (n.find(r) == nullptr)
                out.push_back({&n, path, "missing required field \"" + (path.empty() ? r : path + "." + r) + "\""});
    }
    if (n.is_sequence()) {
        if (s.items)
            for (std::size_t i = 0; i < n.items.size(); ++i)
                validate_node(*s.items, *n.items[i], path + "[" + std::to_string(i) + "]", out);
        if (s.min_items && n.items.size() < *s.min_items)
            out.push_back({&n, path, "needs at least " + std::to_string(*s.min_items) + " items"});
        if (s.max_items && n.items.size() > *s.max_items)
            out.push_back({&n, path, "allows at most " + std::to_string(*s.max_items) + " items"});
    }
    if (t == Integer || t == Number) {
        if (auto v = yaml::as_float(n, yaml::Dialect::Kubernetes)) {
            if (s.minimum && *v < *s.minimum) out.push_back({&n, path, "must be >= " + Json(*s.minimum).dump()});
            if (s.maximum && *v > *s.maximum) out.push_back({&n, path, "must be <= " + Json(*s.maximum).dump()});
            if (s.format == "int32" && (*v < std::numeric_limits<std::int32_t>::min() || *v > std::numeric_limits<std::int32_t>::max()))
                out.push_back({&n, path, "does not fit in a 32-bit integer"});
        }
    }
    if (t == String) {
        const std::size_t len = n.text.size();
        if (s.min_length && len < *s.min_length) out.push_back({&n, path, "is shorter than " + std::to_string(*s.min_length)});
        if (s.max_length && len > *s.max_length) out.push_back({&n, path, "is longer than " + std::to_string(*s.max_length)});
    }
    for (const auto& sub : s.all_of) validate_node(*sub, n, path, out);
    if (!s.one_of.empty()) {
        std::size_t matches = 0;
        for (const auto& sub : s.one_of) matches += valid(*sub, n) ? 1 : 0;
        if (matches != 1) {
            unsigned alternatives = 0;
            for (const auto& sub : s.one_of) alternatives |= sub->types;
            out.push_back({&n, path, matches == 0 ? "expected " + type_names(alternatives) + ", found " + type_name(t)
                                                  : "matches more than one alternative (oneOf)"});
        }
    }
    if (!s.any_of.empty() &&
        std::none_of(s.any_of.begin(), s.any_of.end(), [&](const auto& sub) { return valid(*sub, n); }))
        out.push_back({&n, path, "matches none of the allowed alternatives (anyOf)"});
    if (s.not_schema && valid(*s.not_schema, n)) out.push_back({&n, path, "matches a forbidden schema (not)"});
}

// The schema "rule": registered so it is listed, documented and suppressible like any other.
class SchemaRule final : public BasicRule {
public:
    SchemaRule()
        : BasicRule(RuleInfo{
              .id = k_schema_rule,
              .title = "Object does not match its Kubernetes schema",
              .severity = Severity::High,
              .input = inputs::k_kubernetes,
              .kinds = {"-"},
              .description = "With `--schemas DIR`, every Kubernetes object is validated against the JSON schema "
                             "of its kind and apiVersion (kubeconform's directory layout, standalone strict "
                             "schemas): wrong types, missing required fields, values outside an enum, and unknown "
                             "fields — a misspelled field is silently dropped by the API server or rejected at "
                             "apply time. Objects whose schema is not in DIR are reported at info severity.",
              .remediation = "Fix the field at the reported position; for an unknown field check the spelling "
                             "(the message suggests the closest known field) and the apiVersion.",
              .aliases = {"kube-linter:schema-validation"},
              .compliance = {{"soc2", "CC8.1"}},
              .no_compliance_reason = {},
          }) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(SchemaRule);

}  // namespace

SchemaSet::~SchemaSet() = default;

util::Expected<std::shared_ptr<SchemaSet>> SchemaSet::open(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return util::fail(util::ErrorCode::Usage, "--schemas " + dir.string() + ": not a directory");
    return std::shared_ptr<SchemaSet>(new SchemaSet(dir));
}

std::string SchemaSet::file_name(const std::string& kind, const std::string& api_version) {
    std::string group, version = api_version;
    if (const auto slash = api_version.find('/'); slash != std::string::npos) {
        group = api_version.substr(0, slash);
        version = api_version.substr(slash + 1);
        group = group.substr(0, group.find('.'));
    }
    std::string name = util::to_lower(kind);
    if (!group.empty()) name += "-" + util::to_lower(group);
    return name + "-" + util::to_lower(version) + ".json";
}

const Compiled* SchemaSet::schema_for(const std::string& kind, const std::string& api_version, std::string& error) {
    const std::string name = file_name(kind, api_version);
    if (auto it = m_cache.find(name); it != m_cache.end()) {
        if (!it->second) error = m_errors[name];
        return it->second.get();
    }
    std::unique_ptr<Compiled> compiled;
    const fs::path file = m_dir / name;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        m_errors[name] = "no schema for " + kind + " " + api_version + " (" + name + " is not in " + m_dir.string() + ")";
    } else if (auto text = util::read_file(file); !text) {
        m_errors[name] = text.error().message;
    } else {
        Json j = Json::parse(*text, nullptr, false);
        if (j.is_discarded()) m_errors[name] = (m_dir / name).string() + ": not valid JSON";
        else compiled = compile(j);
    }
    error = m_errors[name];
    return m_cache.emplace(name, std::shared_ptr<const Compiled>(std::move(compiled))).first->second.get();
}

void SchemaSet::validate(const std::vector<Document>& documents, std::vector<Finding>& out) {
    const Rule* rule = RuleRegistry::instance().find(k_schema_rule);
    for (const auto& doc : documents) {
        if (doc.input != inputs::k_kubernetes) continue;
        std::string error;
        const Compiled* schema = schema_for(doc.kind, doc.api_version, error);
        auto add = [&](const yaml::Node* node, Severity severity, std::string message) {
            Finding f;
            f.rule = k_schema_rule;
            f.aliases = rule->info().aliases;
            f.severity = severity;
            f.file = doc.file->path;
            f.mark = node->start;
            f.object = doc.object_ref();
            f.message = std::move(message);
            out.push_back(std::move(f));
        };
        if (schema == nullptr) {
            add(doc.root, Severity::Info, error);
            continue;
        }
        std::vector<Problem> problems;
        validate_node(*schema, *doc.root, "", problems);
        for (auto& p : problems)
            add(p.node, Severity::High,
                p.message.rfind("unknown field", 0) == 0 || p.message.rfind("missing", 0) == 0 || p.path.empty()
                    ? p.message
                    : p.path + ": " + p.message);
    }
}

}  // namespace coconut::policy::schema
