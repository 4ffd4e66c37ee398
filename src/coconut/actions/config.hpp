#pragma once
// `coconut config`: the resolved spec (defaults applied, an environment merged in) as data;
// `coconut schema`: the JSON Schema of the spec.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

struct ConfigResult {
    std::vector<spec::Problem> problems;   // spec problems (no data)
    nlohmann::ordered_json data;           // the resolved spec
};

class ConfigAction {
public:
    // `environment` empty: the base spec.
    ConfigAction(std::string file, std::string environment)
        : m_file(std::move(file)), m_environment(std::move(environment)) {}
    // Fails (ErrorCode::Usage) for an unknown environment.
    [[nodiscard]] util::Expected<ConfigResult> run() const;

private:
    std::string m_file;
    std::string m_environment;
};

class SchemaAction {
public:
    // JSON Schema draft-07 of coconut.yaml, generated from the spec's descriptor table.
    [[nodiscard]] nlohmann::ordered_json run() const;
};

}  // namespace coconut::actions
