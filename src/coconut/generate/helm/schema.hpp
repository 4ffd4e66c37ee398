#pragma once
// values.schema.json: a strict JSON Schema (draft-07) of the chart's values, made from the keys
// the chart's templates use (chart_model.hpp) and each key's schema (slots.hpp). Helm validates
// the merged values against it in `helm lint`, `helm template`, `helm install` and `helm
// upgrade`, so a misspelled key (`replicaz: 3`) or a wrong type (`port: "80"`) is an error, not
// a silently ignored value. Every object of the chart's own has additionalProperties: false; the
// security contexts and resources are spelled out, because a typo there silently weakens a pod.
#include <nlohmann/json.hpp>

#include "coconut/generate/helm/chart_model.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::generate::helm {

// Fails (ErrorCode::Failure) for a key without a schema in slots.cpp.
util::Expected<nlohmann::ordered_json> values_schema(const ChartModel& model);

}  // namespace coconut::generate::helm
