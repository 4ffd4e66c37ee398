#include "coconut/actions/config.hpp"
#include "coconut/cli/command.hpp"

namespace coconut::cli {
namespace {

class ConfigCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("config", "Print the resolved spec: defaults applied, an environment merged in");
        sub->add_option("-f,--file", m_file, "Spec file")->capture_default_str();
        sub->add_option("-e,--env", m_env, "Environment to resolve (default: the base spec)");
        sub->add_option("-o,--output", m_format, "Output format")
            ->check(CLI::IsMember({"yaml", "json"}))
            ->capture_default_str();
        return sub;
    }

    int run(Context&) override {
        auto result = actions::ConfigAction(m_file, m_env).run();
        if (!result) return report(result.error());
        if (!result->problems.empty()) {
            print_problems(result->problems);
            return finish(k_exit_usage);
        }
        print_data(result->data, m_format);
        return finish(k_exit_ok);
    }

private:
    std::string m_file = "coconut.yaml";
    std::string m_env;
    std::string m_format = "yaml";
};

class SchemaCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("schema", "Print the JSON Schema of coconut.yaml (for editors and CI)");
        sub->add_option("-o,--output", m_format, "Output format")
            ->check(CLI::IsMember({"json", "yaml"}))
            ->capture_default_str();
        return sub;
    }
    int run(Context&) override {
        print_data(actions::SchemaAction().run(), m_format);
        return finish(k_exit_ok);
    }

private:
    std::string m_format = "json";
};

COCONUT_REGISTER_COMMAND(ConfigCommand, 30);
COCONUT_REGISTER_COMMAND(SchemaCommand, 40);

}  // namespace
}  // namespace coconut::cli
