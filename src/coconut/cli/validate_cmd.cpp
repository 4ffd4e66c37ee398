#include <iostream>

#include "coconut/actions/generate.hpp"
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

    int run() override {
        auto loaded = actions::load_spec(m_file);
        const bool ok = loaded.problems.empty();
        if (m_format == "json") {
            nlohmann::ordered_json problems = nlohmann::ordered_json::array();
            for (const auto& p : loaded.problems)
                problems.push_back({{"file", p.file}, {"line", p.mark.line}, {"column", p.mark.column},
                                    {"path", p.path}, {"message", p.message}});
            std::cout << nlohmann::ordered_json{{"file", m_file}, {"valid", ok}, {"problems", problems}}.dump(2) << "\n";
        } else if (ok) {
            const auto& s = loaded.spec.base();
            std::cout << m_file << ": valid (" << s.services.size()
                      << (s.services.size() == 1 ? " service, " : " services, ") << s.environments.size()
                      << (s.environments.size() == 1 ? " environment)" : " environments)") << "\n";
        } else {
            print_problems(loaded.problems);
        }
        return finish(ok ? k_exit_ok : k_exit_usage);
    }

private:
    std::string m_file = "coconut.yaml";
    std::string m_format = "text";
};

COCONUT_REGISTER_COMMAND(ValidateCommand, 10);

}  // namespace
}  // namespace coconut::cli
