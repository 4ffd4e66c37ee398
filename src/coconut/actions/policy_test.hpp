#pragma once
// `coconut policy test DIR`: run a team's Kyverno CLI test files (kyverno-test.yaml,
// cli.kyverno.io/v1alpha1 Test) with coconut's evaluator, to prove it agrees with Kyverno.
#include <string>

#include <nlohmann/json.hpp>

#include "coconut/policy/kyverno/kyverno.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

class PolicyTestAction {
public:
    explicit PolicyTestAction(std::string dir) : m_dir(std::move(dir)) {}
    // The report. A report without cases proved nothing: the CLI prints it and exits 2.
    [[nodiscard]] util::Expected<policy::kyverno::TestReport> run() const;

private:
    std::string m_dir;
};

// {test_files, cases: [...], agreed, total}: the contract of `coconut policy test -o json`.
nlohmann::ordered_json to_json(const policy::kyverno::TestReport& report);

}  // namespace coconut::actions
