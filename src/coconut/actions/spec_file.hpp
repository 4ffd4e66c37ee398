#pragma once
// Loading the spec for an action: the one place actions read coconut.yaml.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/load.hpp"

namespace coconut::actions {

// The outcome of loading a spec file: either problems (the CLI exits 2) or a loaded spec.
struct Loaded {
    std::vector<spec::Problem> problems;
    spec::LoadedSpec spec;
};
Loaded load_spec(const std::string& file);

// Problems as data, for `-o json` and the API: [{file, line, column, path, message}].
nlohmann::ordered_json problems_json(const std::vector<spec::Problem>& problems);

}  // namespace coconut::actions
