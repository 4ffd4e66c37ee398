// The CLI's conventions, checked over every registered command (kubectl/helm users rely on them).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/cli/cli.hpp"
#include "coconut/cli/command.hpp"

namespace cli = coconut::cli;

namespace {

// Parses argv (without the program name) with a fresh app; returns the app's error or "".
std::string parse(cli::AppSetup& setup, std::vector<std::string> args) {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        setup.app->parse(reversed);
    } catch (const CLI::ParseError& e) {
        return e.what();
    }
    return {};
}

std::vector<std::string> results(CLI::App* app, const std::string& name) {
    CLI::Option* opt = app->get_option(name);
    return opt->as<std::vector<std::string>>();
}

CLI::App* sub(cli::AppSetup& s, const std::string& name) { return s.app->get_subcommand(name); }

}  // namespace

// Every repeatable option of every command takes one value per occurrence; positionals get the
// rest.
TEST(Cli, EveryRepeatableOptionTakesOneValuePerOccurrence) {
    auto setup = cli::make_app();
    std::size_t repeatable = 0;
    std::function<void(CLI::App*)> walk = [&](CLI::App* app) {
        for (CLI::Option* opt : app->get_options()) {
            if (!opt->nonpositional() || opt->get_items_expected_max() <= 1) continue;
            ++repeatable;
            EXPECT_FALSE(opt->get_allow_extra_args()) << app->get_name() << " " << opt->get_name();
        }
        for (CLI::App* s : app->get_subcommands({})) walk(s);
    };
    walk(setup.app.get());
    EXPECT_GE(repeatable, 4u);   // check --policy --ignore, generate -t -e
}

TEST(Cli, CheckFlagsDoNotSwallowPaths) {
    auto s = cli::make_app();
    ASSERT_EQ(parse(s, {"check", "--ignore", "K8S-PRIVILEGED -- legacy", "k8s", "--policy", "p.yaml", "--policy", "q.yaml",
                        "manifests/"}),
              "");
    EXPECT_EQ(results(sub(s, "check"), "paths"), (std::vector<std::string>{"k8s", "manifests/"}));
    EXPECT_EQ(results(sub(s, "check"), "--ignore"), std::vector<std::string>{"K8S-PRIVILEGED -- legacy"});
    EXPECT_EQ(results(sub(s, "check"), "--policy"), (std::vector<std::string>{"p.yaml", "q.yaml"}));
}

TEST(Cli, GenerateTargetsAndEnvironmentsRepeat) {
    auto s = cli::make_app();
    ASSERT_EQ(parse(s, {"generate", "-t", "kubernetes", "-t", "helm", "-e", "staging", "--env", "production"}), "");
    EXPECT_EQ(results(sub(s, "generate"), "--target"), (std::vector<std::string>{"kubernetes", "helm"}));
    EXPECT_EQ(results(sub(s, "generate"), "--env"), (std::vector<std::string>{"staging", "production"}));
    auto t = cli::make_app();
    // A second word after -t is an error (generate has no positionals), not a second target.
    EXPECT_NE(parse(t, {"generate", "-t", "kubernetes", "helm"}), "");
}

TEST(Cli, BuildServicesArePositional) {
    auto s = cli::make_app();
    ASSERT_EQ(parse(s, {"build", "web", "api", "--registry", "127.0.0.1:5000/demo"}), "");
    EXPECT_EQ(results(sub(s, "build"), "services"), (std::vector<std::string>{"web", "api"}));
}
