#pragma once
// The descriptor table of coconut.yaml: every field of the spec, its type, constraints, default
// and description, in one place. It drives the structural validation of the YAML tree
// (validate.cpp), `coconut schema` (json_schema()) and docs/spec.md (reference_markdown()).
// Rules that relate several fields (build XOR image, depends_on cycles, min <= max, ...) are
// code in validate.cpp; each is listed in the `rules` of the object it concerns, so the docs
// name it too.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace coconut::spec::schema {

enum class Kind : std::uint8_t {
    String,    // any scalar, read as its text (so `version: 1.10` stays "1.10")
    Integer,
    Number,
    Boolean,   // true/false; YAML 1.1 spellings (yes/no/on/off) are accepted too
    Duration,  // "10s", "1m30s", "500ms"
    Cpu,       // Kubernetes CPU quantity: "250m", "0.5", "2"
    Memory,    // Kubernetes memory quantity: "256Mi", "1Gi", "129M", "128974848"
    Enum,      // one of `values`
    Const,     // exactly `values[0]` (apiVersion)
    Cron,      // cron schedule (5 fields or @macro)
    List,      // sequence of `item`
    Map,       // mapping of free keys (checked by `key_format`) to `item`
    Object,    // mapping with the fixed `fields`
    OneOf,     // one of `alternatives`, chosen by node kind (scalar / sequence / mapping)
};

// Extra checks on string scalars and map keys.
enum class Format : std::uint8_t {
    None,
    Dns1123Label,      // [a-z0-9]([-a-z0-9]*[a-z0-9])?, <= 63
    Dns1123Subdomain,  // dot-separated labels, <= 253
    EnvVarName,        // [A-Za-z_][A-Za-z0-9_]*
    AbsolutePath,      // starts with '/'
    UrlPath,           // starts with '/'
    Hostname,          // DNS-1123 subdomain, optionally with a leading "*." wildcard
    NoSpaces,          // image references, paths of files
};

struct Type;

struct Field {
    std::string name;
    const Type* type = nullptr;
    bool required = false;
    nlohmann::ordered_json default_value;  // null: no static default
    std::string default_doc;               // docs text when the default depends on context
    std::string description;
    bool env_overridable = false;          // top-level fields an environment may override
};

struct Type {
    Kind kind = Kind::String;
    std::string title;        // objects: section name in docs ("Service"); scalars: "" (use kind)
    std::string doc_path;     // objects: where they appear, e.g. "services.<name>.health"
    std::string description;  // objects: the paragraph under the docs heading
    bool any_scalar = false;  // String: the JSON Schema also allows numbers and booleans
    // scalar constraints
    std::optional<std::int64_t> min_int, max_int;  // Integer
    std::optional<double> min_num, max_num;        // Number
    bool exclusive_min = false, exclusive_max = false;
    bool positive = false;    // Duration: must be > 0
    bool non_empty = false;   // String / List / Map
    Format format = Format::None;
    std::vector<std::string> values;  // Enum / Const
    // collections
    const Type* item = nullptr;       // List item, Map value
    Format key_format = Format::None; // Map keys
    std::string key_name;             // Map keys in docs/messages: "service", "environment"
    // objects
    std::vector<Field> fields;
    std::vector<std::string> rules;   // cross-field rules, for the docs
    // unions
    std::vector<const Type*> alternatives;

    [[nodiscard]] const Field* field(std::string_view name) const {
        for (const auto& f : fields)
            if (f.name == name) return &f;
        return nullptr;
    }
    [[nodiscard]] std::vector<std::string> field_names() const {
        std::vector<std::string> out;
        for (const auto& f : fields) out.push_back(f.name);
        return out;
    }
};

// The root object of coconut.yaml.
const Type& root();
// The object under `environments.<name>`: the overridable subset of the root (partial: no
// field is required, objects merge into the base).
const Type& environment();

// "a string", "an integer", "a mapping", "an integer or a mapping", ... for messages.
std::string describe_expected(const Type& t);
// Short type name for docs: "integer (1..65535)", "list of string", "map of name to Service".
std::string doc_type(const Type& t);

inline constexpr const char* k_api_version = "coconut.dev/v1";

}  // namespace coconut::spec::schema
