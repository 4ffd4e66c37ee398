#include "coconut/actions/policy_test.hpp"

namespace coconut::actions {

util::Expected<policy::kyverno::TestReport> PolicyTestAction::run() const {
    TRY(report, policy::kyverno::run_tests(m_dir));
    return report;
}

nlohmann::ordered_json to_json(const policy::kyverno::TestReport& report) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& c : report.cases)
        list.push_back({{"test_file", c.test_file}, {"policy", c.policy}, {"rule", c.rule}, {"kind", c.kind},
                        {"resource", c.resource}, {"expected", c.expected}, {"actual", c.actual}, {"agree", c.agree},
                        {"message", c.message}});
    return {{"test_files", report.test_files}, {"cases", list}, {"agreed", report.agreed()}, {"total", report.cases.size()}};
}

}  // namespace coconut::actions
