#include <iostream>

#include "coconut/actions/docs.hpp"
#include "coconut/cli/command.hpp"

namespace coconut::cli {
namespace {

class DocsCommand : public Command {
public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("docs", "Print reference documentation generated from the code");
        sub->require_subcommand(1);
        m_spec = sub->add_subcommand("spec", "The spec reference (docs/spec.md)");
        m_targets = sub->add_subcommand("targets", "The generator targets");
        m_rules = sub->add_subcommand("rules", "The policy rule reference (docs/rules.md)");
        return sub;
    }
    int run(Context&) override {
        const actions::DocsTopic topic = m_spec->parsed()    ? actions::DocsTopic::Spec
                                         : m_rules->parsed() ? actions::DocsTopic::Rules
                                                             : actions::DocsTopic::Targets;
        std::cout << actions::DocsAction(topic).run();
        return finish(k_exit_ok);
    }

private:
    CLI::App* m_spec = nullptr;
    CLI::App* m_targets = nullptr;
    CLI::App* m_rules = nullptr;
};

COCONUT_REGISTER_COMMAND(DocsCommand, 60);

}  // namespace
}  // namespace coconut::cli
