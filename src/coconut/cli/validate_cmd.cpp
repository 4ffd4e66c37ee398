#include <iostream>

#include "coconut/actions/validate.hpp"
#include "coconut/cli/command.hpp"

namespace coconut::cli {
namespace {

class ValidateCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("validate", "Check coconut.yaml and report every problem at once");
        sub->add_option("-f,--file", m_file, "Spec file")->capture_default_str();
        sub->add_option("-o,--output", m_format, "Output format")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        return sub;
    }

    int run(Context&) override {
        const auto result = actions::ValidateAction(m_file).run();
        if (m_format == "json") {
            std::cout << actions::to_json(result).dump(2) << "\n";
        } else if (result.valid()) {
            std::cout << m_file << ": valid (" << result.services << (result.services == 1 ? " service, " : " services, ")
                      << result.environments << (result.environments == 1 ? " environment)" : " environments)") << "\n";
        } else {
            print_problems(result.problems);
        }
        return finish(result.valid() ? k_exit_ok : k_exit_usage);
    }

private:
    std::string m_file = "coconut.yaml";
    std::string m_format = "text";
};

COCONUT_REGISTER_COMMAND(ValidateCommand, 10);

}  // namespace
}  // namespace coconut::cli
