#include "coconut/actions/generate.hpp"
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

    int run() override {
        auto loaded = actions::load_spec(m_file);
        if (!loaded.problems.empty()) {
            print_problems(loaded.problems);
            return finish(k_exit_usage);
        }
        auto data = loaded.spec.resolved_data(m_env);
        if (!data) return report(data.error());
        print_data(*data, m_format);
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
    int run() override {
        print_data(spec::json_schema(), m_format);
        return k_exit_ok;
    }

private:
    std::string m_format = "json";
};

COCONUT_REGISTER_COMMAND(ConfigCommand, 30);
COCONUT_REGISTER_COMMAND(SchemaCommand, 40);

}  // namespace
}  // namespace coconut::cli
