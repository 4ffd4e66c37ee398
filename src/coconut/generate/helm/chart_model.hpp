#pragma once
// The chart as one model: the kubernetes target's objects (of the base spec and of every
// environment) turned into template trees — each object once, with a hole at every slot
// (slots.hpp) and a marker on every part that only some renderings have — plus the values of
// the base spec and of each environment, read out of the same objects.
//
// build_chart_model() proves the model before anything is written: for the base and for every
// environment it renders every template tree with that environment's values (render_object,
// Helm's semantics) and compares the result with the kubernetes target's object. Any
// difference — an environment changing a field that has no slot, a kind without a rule — fails
// generation with the object and the field, so `helm template -f values-<env>.yaml` and
// `kubectl kustomize overlays/<env>` cannot drift apart. tests/integration/helm.sh checks the
// same with the real Helm 3 and 4.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/generate/helm/slots.hpp"
#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/spec/model.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::generate::helm {

// A values key: chart-wide (root) or under services.<service>, as path segments.
struct ValueKey {
    std::string service;               // empty: chart-wide
    std::vector<std::string> path;     // e.g. {"autoscaling", "minReplicas"}
    [[nodiscard]] std::string dotted() const;
};

struct Hole {
    Form form = Form::Yaml;
    ValueKey key;
    std::string secret_name;           // SecretEnv: the Secret the container reads
};

struct Guard {
    Condition::Op op = Condition::Op::Always;
    ValueKey key;
    std::string value;                 // Equals
};

// Markers in template trees: a string value "__COCONUT_HOLE_<n>__" is holes[n]; a member key
// "__COCONUT_PART_<n>__<key>" renders only when guards[n] holds; an array element object whose
// first key is "__COCONUT_PART_<n>__" likewise.
inline constexpr std::string_view k_hole_marker = "__COCONUT_HOLE_";
inline constexpr std::string_view k_part_marker = "__COCONUT_PART_";

struct TemplateObject {
    std::string service;               // empty: namespace-wide
    std::string kind;
    std::string name;
    std::size_t guard = 0;             // when the whole object renders (guards[guard])
    Json tree;                         // the object with markers
};

struct ChartModel {
    std::string app;
    std::vector<std::string> services;           // in spec order
    std::vector<Hole> holes;
    std::vector<Guard> guards;
    std::vector<TemplateObject> objects;         // namespace-wide first, then per service
    Json base_values;                            // values.yaml
    std::vector<std::pair<std::string, Json>> environment_values;   // whole values per environment
    // Values keys each service's templates use, and those set in every rendering (for the schema).
    std::vector<std::pair<ValueKey, bool>> keys;   // (key, present in every rendering)
};

util::Expected<ChartModel> build_chart_model(const spec::Spec& base, const std::vector<spec::Spec>& environments);

// The same from objects already built (tests use it to change an object and see the refusal).
struct Rendering {
    std::string environment;                 // empty: the base spec
    std::string namespace_name;              // what .Release.Namespace stands for
    std::vector<std::string> services;       // the spec's services, in order
    std::vector<kubernetes::Object> objects; // kubernetes::build_objects of that spec
};
util::Expected<ChartModel> build_chart_model(std::string app, std::vector<Rendering> renderings);

// What Helm renders of `object` with `values` in namespace `ns`; nullopt when its condition does
// not hold. Errors: a required value is missing.
util::Expected<std::optional<Json>> render_object(const ChartModel& model, const TemplateObject& object,
                                                  const Json& values, std::string_view ns);

// The Go-template text of one template tree (without the object's own condition).
std::string template_text(const ChartModel& model, const TemplateObject& object);

// The Go-template condition of a guard ("eq (toString $svc.kind) \"Deployment\""); empty for Always.
std::string go_condition(const Guard& guard);
// The Go-template expression of a values key ("$svc.autoscaling.minReplicas", "$.Values.tests").
std::string go_value(const ValueKey& key);

// Values helpers.
const Json* find_value(const Json& values, const ValueKey& key);
bool truthy(const Json* value);   // Go templates' truth: not null, false, 0, "" or empty

}  // namespace coconut::generate::helm
