// CLI11 wiring only (DESIGN §11): commands are self-registering units (cli/*_cmd.cpp) that
// bind flags onto actions and print results.
#include "coconut/cli/cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <new>
#include <stdexcept>

#include "coconut/cli/command.hpp"
#include "coconut/platform/process_runner.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::cli {

std::vector<std::pair<int, CommandFactory>>& command_factories() {
    static std::vector<std::pair<int, CommandFactory>> factories;
    return factories;
}

bool use_color(FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string(term) == "dumb") return false;
    return ::isatty(::fileno(stream)) == 1;
}

namespace {
std::string red(const std::string& s, bool color) { return color ? "\033[1;31m" + s + "\033[0m" : s; }
std::string bold(const std::string& s, bool color) { return color ? "\033[1m" + s + "\033[0m" : s; }
}  // namespace

void print_error(const std::string& message) {
    bool color = use_color(stderr);
    std::cerr << bold("coconut:", color) << " " << red("error:", color) << " " << message << "\n";
}

int exit_code_for(util::ErrorCode code) {
    switch (code) {
        case util::ErrorCode::Failure: return k_exit_failure;
        case util::ErrorCode::Interrupted:
            return util::interrupt_signal() != 0 ? 128 + util::interrupt_signal() : k_exit_interrupted;
        case util::ErrorCode::Usage:
        case util::ErrorCode::Input:
        case util::ErrorCode::Internal: return k_exit_usage;
    }
    return k_exit_usage;
}

int report(const util::Error& e) {
    print_error(e.message);
    return finish(exit_code_for(e.code));
}

bool write_output(const std::string& text, const std::string& file) {
    if (file.empty() || file == "-") {
        std::cout << text;
        return true;
    }
    const std::filesystem::path path(file);
    const std::filesystem::path parent = path.parent_path();
    auto w = util::write_tree_atomic(parent.empty() ? std::filesystem::path(".") : parent,
                                     {{path.filename().string(), text}}, {});
    if (!w) {
        print_error(file + ": cannot write the report: " + w.error().message);
        return false;
    }
    return true;
}

void print_problems(const std::vector<spec::Problem>& problems) {
    bool color = use_color(stderr);
    for (const auto& p : problems) {
        std::string line = p.format();
        if (color) {
            auto pos = line.find(" error: ");
            if (pos != std::string::npos)
                line = bold(line.substr(0, pos + 1), true) + red("error:", true) + line.substr(pos + 7);
        }
        std::cerr << line << "\n";
    }
    std::cerr << problems.size() << (problems.size() == 1 ? " problem" : " problems") << " found\n";
}

void print_data(const nlohmann::ordered_json& data, const std::string& format) {
    if (format == "json")
        std::cout << data.dump(2) << "\n";
    else
        std::cout << yaml::emit(data);
}

int finish(int code) {
    // 128 + the signal, as shells report it: 130 for SIGINT (Ctrl-C), 143 for SIGTERM (timeout).
    return util::interrupted() ? 128 + util::interrupt_signal() : code;
}

namespace {

// One value per occurrence for every repeatable option of every (sub)command; positional
// arguments keep taking all the words left.
void one_value_per_occurrence(CLI::App& app) {
    for (CLI::Option* opt : app.get_options())
        if (opt->nonpositional() && opt->get_items_expected_max() > 1) opt->allow_extra_args(false);
    for (CLI::App* sub : app.get_subcommands({})) one_value_per_occurrence(*sub);
}

}  // namespace

AppSetup make_app() {
    AppSetup setup;
    setup.app = std::make_unique<CLI::App>(
        "coconut: one application spec, every platform's artifacts, checked and deployed.", "coconut");
    CLI::App& app = *setup.app;
    app.set_version_flag("--version", std::string("coconut ") + COCONUT_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 ok, 1 failure or findings, 2 usage or input error, 130/143 interrupted (SIGINT/SIGTERM).\n"
        "NO_COLOR disables colour. Docs: README.md and docs/ in the source tree.");

    auto factories = command_factories();
    std::stable_sort(factories.begin(), factories.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, make] : factories) {
        auto cmd = make();
        CLI::App* sub = cmd->setup(app);
        setup.commands.emplace_back(std::move(cmd), sub);
    }
    one_value_per_occurrence(app);
    return setup;
}

int run(int argc, char** argv) {
    util::install_interrupt_handler();
    AppSetup setup = make_app();
    CLI::App& app = *setup.app;
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(e.what());
        std::cerr << "Run 'coconut --help' (or 'coconut COMMAND --help') for usage.\n";
        return k_exit_usage;
    }
    // The composition root: the dependencies every action gets.
    platform::ProcessRunner runner;
    Context context{runner};
    for (auto& [cmd, sub] : setup.commands) {
        if (!sub->parsed()) continue;
        // Nothing may take the process down without a word: exhaustion and bugs become an
        // error naming what happened (exit 2), never an abort.
        try {
            return cmd->run(context);
        } catch (const std::bad_alloc&) {
            return report(util::Error{util::ErrorCode::Internal,
                                      "out of memory while running '" + sub->get_name() + "'; nothing was written", {}});
        } catch (const std::exception& e) {
            return report(util::Error{util::ErrorCode::Internal,
                                      "internal error in '" + sub->get_name() + "': " + e.what() +
                                          " (please report it with the command line and input)",
                                      {}});
        }
    }
    return k_exit_usage;
}

}  // namespace coconut::cli
