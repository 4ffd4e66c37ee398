#pragma once
// `coconut validate`: load coconut.yaml and report every problem at once.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/load.hpp"

namespace coconut::actions {

struct ValidateResult {
    std::string file;
    std::vector<spec::Problem> problems;   // empty: valid
    std::size_t services = 0;
    std::size_t environments = 0;
    [[nodiscard]] bool valid() const { return problems.empty(); }
};

class ValidateAction {
public:
    explicit ValidateAction(std::string file) : m_file(std::move(file)) {}
    [[nodiscard]] ValidateResult run() const;

private:
    std::string m_file;
};

// {file, valid, problems: [...]}: the contract of `coconut validate -o json`.
nlohmann::ordered_json to_json(const ValidateResult& result);

}  // namespace coconut::actions
