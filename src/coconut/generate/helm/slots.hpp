#pragma once
// Where the chart puts values: the ONE place that says which fields of the kubernetes target's
// objects a chart user can change (and an environment may change), under which values key.
//
// The chart's templates are not written by hand: they are the kubernetes target's own objects
// (kubernetes::build_objects), emitted as YAML with a Go-template hole at every slot below and
// a condition around every object and part that may be absent (chart_model.hpp). So a field
// added to a Deployment in generate/kubernetes/objects.cpp appears in the chart by itself; only a
// field that an environment changes, or that users should be able to set, needs a line here —
// and generation fails naming the object and the field when an environment changes a field
// that has no slot, so the chart can never silently render something else than kustomize.
//
// Values keys are dotted paths under `services.<name>` ("autoscaling.minReplicas"), or under the
// chart's root when they start with '.' (".externalSecrets.refreshInterval").
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace coconut::generate::helm {

using Json = nlohmann::ordered_json;

// How a hole is written in the template (and read back from an object).
enum class Form {
    Int,          // replicas: {{ X | int64 }}
    String,       // schedule: {{ X | quote }}
    Bool,         // suspend: {{ X }}
    Scalar,       // an int or a string (maxUnavailable: 1 | "25%"): {{ X | toYaml }}
    Yaml,         // a whole subtree: key:\n  {{- toYaml X | nindent N }}
    Namespace,    // no value: {{ .Release.Namespace | quote }}
    Image,        // "repository[:tag][@digest]" from X.repository, X.tag, X.digest
    SecretEnv,    // a container's env from X = [{name, key}]: secretKeyRef into <object>-secrets
    SecretData,   // an ExternalSecret's spec.data from X = [{name, key}]
};

// When an object or a part of one renders.
struct Condition {
    enum class Op { Always, Truthy, Has, Equals };
    Op op = Op::Always;
    std::string key;     // values key
    std::string value;   // Equals: the string the key must hold

    static Condition always() { return {}; }
    static Condition truthy(std::string key) { return {Op::Truthy, std::move(key), {}}; }
    static Condition has(std::string key) { return {Op::Has, std::move(key), {}}; }
    static Condition equals(std::string key, std::string value) { return {Op::Equals, std::move(key), std::move(value)}; }
};

struct Slot {
    std::string pointer;    // JSON pointer in the object; "{pod}" is the pod template's pointer
    std::string key;        // values key; "{suffix}" is what the object's name adds to its pattern
    Form form = Form::Yaml;
    bool optional = false;  // absent from some objects: rendered only when the key is set
};

// A part of an object that is there only under a condition (its content is the object's own,
// with the slots inside it).
struct Part {
    std::string pointer;
    Condition when;
};

struct ObjectRule {
    std::string kind;
    // The object's name: "{svc}" is the service's name, "{suffix}" any rest ("{svc}-{suffix}"),
    // "{ns}" the namespace; anything else literally.
    std::string name;
    Condition when;
    // The condition's key takes its value from the object's presence: true/false (Truthy) or the
    // Equals value (the workload kind). Otherwise the key is a slot of its own.
    bool presence_sets = false;
    std::vector<Slot> slots;
    std::vector<Part> parts;
};

// A label that every object's label maps carry (wherever a "labels" map holds it): a hole in all
// of them.
struct LabelSlot {
    std::string label;      // e.g. "app.kubernetes.io/version"
    std::string key;        // chart-wide values key
};
const std::vector<LabelSlot>& label_slots();

// Every object kind of the kubernetes target, namespace-wide and per service. An object that no
// rule matches fails generation (a new kind needs a rule here).
const std::vector<ObjectRule>& object_rules();

// The pointer of the pod template in an object of `kind` ("/spec/template" or
// "/spec/jobTemplate/spec/template"); empty for kinds without one.
std::string_view pod_template_pointer(std::string_view kind);

// The JSON Schema of a values key (under a service, or chart-wide with the leading '.'), for
// values.schema.json; null for an unknown key (a slot without a schema is a programming error
// that the unit tests catch).
Json value_schema(std::string_view key);

}  // namespace coconut::generate::helm
