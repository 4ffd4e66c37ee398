#include <iostream>

#include "coconut/cli/command.hpp"
#include "coconut/policy/kyverno/kyverno.hpp"

namespace coconut::cli {
namespace {

// `coconut policy test DIR`: runs a team's Kyverno CLI test files (kyverno-test.yaml /
// cli.kyverno.io/v1alpha1 Test) with coconut's evaluator, to prove it agrees with Kyverno.
class PolicyCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("policy", "Custom (Kyverno) policies");
        sub->require_subcommand(1);
        m_test = sub->add_subcommand("test", "Run Kyverno CLI test files (kyverno-test.yaml) under DIR");
        m_test->add_option("dir", m_dir, "Directory with Kyverno CLI test files (searched recursively)")->required();
        m_test->add_option("-o,--output", m_format, "Output format")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        return sub;
    }

    int run() override {
        auto report = policy::kyverno::run_tests(m_dir);
        if (!report) return finish(cli::report(report.error()));
        const auto& cases = report->cases;
        if (m_format == "json") {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auto& c : cases)
                list.push_back({{"test_file", c.test_file}, {"policy", c.policy}, {"rule", c.rule}, {"kind", c.kind},
                                {"resource", c.resource}, {"expected", c.expected}, {"actual", c.actual},
                                {"agree", c.agree}, {"message", c.message}});
            std::cout << nlohmann::ordered_json{{"test_files", report->test_files},
                                                {"cases", list},
                                                {"agreed", report->agreed()},
                                                {"total", cases.size()}}
                             .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                      << "\n";
        } else {
            for (const auto& c : cases) {
                std::cout << (c.agree ? "ok   " : "FAIL ") << c.test_file << ": " << c.policy << "/" << c.rule << " "
                          << c.kind << "/" << c.resource << ": expected " << c.expected << ", got " << c.actual;
                if (!c.agree && !c.message.empty()) std::cout << " (" << c.message << ")";
                std::cout << "\n";
            }
            std::cout << report->agreed() << " of " << cases.size() << " results agree ("
                      << report->test_files.size() << " test files)\n";
        }
        if (cases.empty()) {
            print_error("no Kyverno test results found under " + m_dir);
            return finish(k_exit_usage);
        }
        return finish(report->agreed() == cases.size() ? k_exit_ok : k_exit_failure);
    }

private:
    CLI::App* m_test = nullptr;
    std::string m_dir;
    std::string m_format = "text";
};

COCONUT_REGISTER_COMMAND(PolicyCommand, 37);

}  // namespace
}  // namespace coconut::cli
