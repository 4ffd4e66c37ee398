#pragma once
// The in-memory form of loaded Kyverno policies (internal to policy/kyverno). Patterns stay
// YAML nodes owned by the PolicySet, so positions and scalar styles survive; variables and
// conditions are compiled once at load time.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/policy/finding.hpp"
#include "coconut/util/expected.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::policy::kyverno {

using Json = nlohmann::ordered_json;

// ---- JMESPath subset: dotted paths, [] / [*] projections, [N], literals, ||, length() ----

struct Expr {
    enum class Type : std::uint8_t { Literal, Path, Or, Length };
    struct Step {
        enum class Kind : std::uint8_t { Field, Index, Flatten, Wildcard };
        Kind kind = Kind::Field;
        std::string field;
        std::int64_t index = 0;
    };
    Type type = Type::Literal;
    Json literal;
    std::vector<Step> steps;  // Path: relative to the root `request`
    std::vector<Expr> args;   // Or: {lhs, rhs}; Length: {arg}
};

// A string that may contain `{{ expr }}` variables.
struct Template {
    struct Part {
        std::string text;  // literal text (when !is_var)
        bool is_var = false;
        Expr expr;
        std::string source;  // the variable as written, for messages
    };
    std::vector<Part> parts;
    // True when the whole string is one variable: substitution keeps the value's JSON type.
    [[nodiscard]] bool single_var() const { return parts.size() == 1 && parts[0].is_var; }
    [[nodiscard]] bool has_vars() const {
        for (const auto& p : parts)
            if (p.is_var) return true;
        return false;
    }
};

enum class Operator : std::uint8_t {
    Equals,
    NotEquals,
    In,
    AnyIn,
    AllIn,
    NotIn,
    AnyNotIn,
    AllNotIn,
    GreaterThan,
    GreaterThanOrEquals,
    LessThan,
    LessThanOrEquals,
    DurationGreaterThan,
    DurationGreaterThanOrEquals,
    DurationLessThan,
    DurationLessThanOrEquals,
};

// A key or value of a condition: a YAML value whose string scalars may hold variables.
struct Operand {
    const yaml::Node* node = nullptr;
    std::optional<Template> tmpl;  // set when `node` is a scalar string with variables
};

struct Condition {
    Operand key;
    Operator op = Operator::Equals;
    Operand value;
    yaml::Mark mark;
};

struct Conditions {
    bool present = false;
    std::vector<Condition> any;
    std::vector<Condition> all;
};

// One `resources` description (a match/exclude filter); unset fields match everything.
struct ResourceFilter {
    struct Kind {
        std::string group, version, kind;  // "*" wildcards allowed; group/version empty: any
        bool has_group = false, has_version = false;
    };
    struct Expression {
        std::string key;
        std::string op;  // In, NotIn, Exists, DoesNotExist
        std::vector<std::string> values;
    };
    std::vector<Kind> kinds;
    std::vector<std::string> names;
    std::vector<std::string> namespaces;
    bool has_selector = false;
    std::vector<std::pair<std::string, std::string>> match_labels;
    std::vector<Expression> match_expressions;
    std::vector<std::pair<std::string, std::string>> annotations;
    std::vector<std::string> operations;
};

struct MatchBlock {
    bool present = false;
    std::vector<ResourceFilter> any;  // at least one must match (when non-empty)
    std::vector<ResourceFilter> all;  // every one must match (when non-empty)
};

// Where a rule's pattern is evaluated: the object itself, or (autogen) a pod template.
enum class Target : std::uint8_t { Object, PodTemplate, CronJobPodTemplate };

struct Rule {
    std::string name;
    yaml::Mark mark;
    MatchBlock match;
    MatchBlock exclude;
    Conditions preconditions;
    Template message;
    bool has_message = false;
    const yaml::Node* pattern = nullptr;
    std::vector<const yaml::Node*> any_pattern;
    Conditions deny;
    std::string failure_action;  // "Audit" | "Enforce" (rule level overrides policy level)
    Target target = Target::Object;
};

struct Policy {
    std::string name;
    std::string kind;  // ClusterPolicy | Policy
    std::string ns;    // Policy only ("default" when unset)
    std::string file;
    yaml::Mark mark;
    Severity severity = Severity::Medium;
    std::string failure_action = "Audit";
    bool apply_one = false;   // spec.applyRules: One
    bool scored = true;       // policies.kyverno.io/scored: "false" turns failures into warnings
    std::vector<Rule> rules;  // written rules, then autogen-* and autogen-cronjob-* rules
};

struct PolicySet {
    std::vector<Policy> policies;
    std::vector<std::unique_ptr<yaml::Stream>> streams;  // owns every pattern node
};

// ---- internal entry points shared by the .cpp files ----

// Parses a JMESPath-subset expression; error text names what is unsupported.
std::optional<Expr> parse_expr(std::string_view text, std::string& error);
// Splits a string into literal parts and `{{ }}` variables; nullopt + error when a variable is
// not supported.
std::optional<Template> parse_template(std::string_view text, std::string& error);

// What `request` looks like for one evaluation.
struct RequestContext {
    const Json* object = nullptr;    // the whole resource
    Target target = Target::Object;  // autogen: request.object.spec/metadata are re-rooted
    const Json* element = nullptr;   // unused (foreach is unsupported)
};

// Evaluation result of an expression: the value, or the error Kyverno would raise.
struct EvalResult {
    Json value;
    std::string error;  // non-empty: unresolved (e.g. `Unknown key "x" in path`)
};
EvalResult eval_expr(const Expr& expr, const RequestContext& ctx);
// Substitutes variables; single-variable templates keep the JSON type.
EvalResult substitute(const Template& t, const RequestContext& ctx);
// Operand as a JSON value after substitution (string scalars with variables anywhere inside
// nested values are substituted too).
EvalResult operand_value(const Operand& operand, const RequestContext& ctx);
// A condition list: true/false, or an error text.
struct CondResult {
    bool value = false;
    std::string error;
};
CondResult eval_conditions(const Conditions& c, const RequestContext& ctx);
bool eval_operator(Operator op, const Json& key, const Json& value);

// Kyverno's wildcard match: `*` any run of characters, `?` exactly one.
bool wildcard_match(std::string_view pattern, std::string_view text);
// Kubernetes quantity ("250m", "1Gi", "1e3") and Go duration ("1h30m") parsing.
std::optional<long double> parse_quantity(std::string_view s);
std::optional<long double> parse_duration_seconds(std::string_view s);

// ---- validate.pattern ----

enum class Status : std::uint8_t { Pass, Fail, Skip, Error };
const char* to_string(Status s);  // "pass" | "fail" | "skip" | "error"

struct PatternOutcome {
    Status status = Status::Pass;
    std::string path;                // Kyverno's path, e.g. "/spec/containers/0/securityContext/privileged/"
    const yaml::Node* at = nullptr;  // the resource node where it failed (deepest existing one)
    std::string error;               // Skip/Error: why
};

// Evaluates `pattern` against `resource` (null: absent), whose containing node is `parent`,
// at Kyverno path `base_path` ("/" for the object root).
PatternOutcome match_pattern(const yaml::Node* resource, const yaml::Node* parent, const yaml::Node& pattern,
                             const std::string& base_path, const RequestContext& ctx);

// Load-time check of a pattern: malformed anchors, unsupported variables, empty lists.
// Returns the error text and sets `at` to the offending node.
std::optional<std::string> check_pattern(const yaml::Node& pattern, const yaml::Node*& at);

// Adds the policies of one YAML stream (load.cpp).
util::Expected<void> load_stream(PolicySet& set, std::string file, std::string_view text, bool explicit_file);

}  // namespace coconut::policy::kyverno
