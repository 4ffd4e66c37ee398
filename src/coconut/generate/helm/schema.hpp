#pragma once
// values.schema.json: a strict JSON Schema (draft-07) of the chart's values. Helm validates the
// merged values against it in `helm lint`, `helm template`, `helm install` and `helm upgrade`,
// so a misspelled key (`replicaz: 3`) or a wrong type (`port: "80"`) is an error, not a silently
// ignored value. Every object the chart defines has additionalProperties: false; Kubernetes
// blobs that the chart passes through whole (probes, lifecycle, volumes, network policy rules,
// ...) are open objects, while the security contexts and resources are spelled out, because a
// typo there silently weakens a pod.
#include <nlohmann/json.hpp>

namespace coconut::generate::helm {

nlohmann::ordered_json values_schema();

}  // namespace coconut::generate::helm
