#pragma once
// Internal to the spec layer: the typed model from a validated node tree (defaults applied, see
// the descriptor table), and the model back as data (`coconut config`).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"
#include "coconut/yaml/node.hpp"

namespace coconut::spec::detail {

// `root` must have passed validation (validate_root without issues).
Spec build_spec(const yaml::Node& root, const std::vector<std::string>& environment_names);

// The spec as data in the shape of coconut.yaml, every default filled in (no `environments`).
nlohmann::ordered_json to_data(const Spec& spec);

}  // namespace coconut::spec::detail
