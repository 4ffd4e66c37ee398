#include <iostream>

#include "coconut/actions/init.hpp"
#include "coconut/cli/command.hpp"

namespace coconut::cli {
namespace {

class InitCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("init", "Write a commented starter coconut.yaml");
        sub->add_option("--name", m_options.name, "App name, a DNS-1123 label (default: the current directory's name)");
        sub->add_option("--service", m_options.service, "First service's name")->capture_default_str();
        sub->add_option("--type", m_options.type, "First service's type")
            ->check(CLI::IsMember({"web", "backend", "worker", "job"}))
            ->capture_default_str();
        sub->add_option("--port", m_options.port, "First service's port (0: none)")
            ->check(CLI::Range(0, 65535))
            ->capture_default_str();
        sub->add_option("-f,--file", m_options.file, "File to write")->capture_default_str();
        sub->add_flag("--force", m_options.force, "Overwrite an existing file");
        sub->add_flag("--stdout", m_options.to_stdout, "Print the starter spec instead of writing it");
        return sub;
    }

    int run(Context&) override {
        auto result = actions::InitAction(m_options).run();
        if (!result) return report(result.error());
        if (result->written.empty()) {
            std::cout << result->text;
        } else {
            std::cerr << "wrote " << result->written << "; next: coconut validate -f " << result->written << "\n";
        }
        return finish(k_exit_ok);
    }

private:
    actions::InitOptions m_options;
};

COCONUT_REGISTER_COMMAND(InitCommand, 50);

}  // namespace
}  // namespace coconut::cli
