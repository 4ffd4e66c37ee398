#include <iostream>

#include "coconut/cli/command.hpp"
#include "coconut/actions/policy_test.hpp"

namespace coconut::cli {
namespace {

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

    int run(Context&) override {
        auto result = actions::PolicyTestAction(m_dir).run();
        if (!result) return report(result.error());
        const auto& cases = result->cases;
        if (m_format == "json") {
            std::cout << actions::to_json(*result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                      << "\n";
        } else {
            for (const auto& c : cases) {
                std::cout << (c.agree ? "ok   " : "FAIL ") << c.test_file << ": " << c.policy << "/" << c.rule << " "
                          << c.kind << "/" << c.resource << ": expected " << c.expected << ", got " << c.actual;
                if (!c.agree && !c.message.empty()) std::cout << " (" << c.message << ")";
                std::cout << "\n";
            }
            std::cout << result->agreed() << " of " << cases.size() << " results agree (" << result->test_files.size()
                      << " test files)\n";
        }
        if (cases.empty()) {
            print_error("no Kyverno test results found under " + m_dir);
            return finish(k_exit_usage);
        }
        return finish(result->agreed() == cases.size() ? k_exit_ok : k_exit_failure);
    }

private:
    CLI::App* m_test = nullptr;
    std::string m_dir;
    std::string m_format = "text";
};

COCONUT_REGISTER_COMMAND(PolicyCommand, 37);

}  // namespace
}  // namespace coconut::cli
