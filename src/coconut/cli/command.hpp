#pragma once
// Each `coconut COMMAND` is one self-registering unit (cli/<command>_cmd.cpp): it adds its
// subcommand and flags to the CLI11 app and, when that subcommand was given, binds the flags onto
// an action (src/coconut/actions), runs it with the dependencies the composition root (cli::run)
// injects, and formats what the action returned. Commands hold no logic of their own: the
// coming `coconut serve` calls the same actions.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "coconut/platform/command_runner.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::cli {

// What the composition root injects into every command: the one CommandRunner of the process
// (a ProcessRunner; tests of actions use the test-support FakeRunner instead).
struct Context {
    platform::CommandRunner& runner;
};

class Command {
public:
    virtual ~Command() = default;
    // Adds the subcommand (and its flags) to `app`; returns it.
    virtual CLI::App* setup(CLI::App& app) = 0;
    // Runs after parsing when this subcommand was selected; returns the exit code.
    virtual int run(Context& context) = 0;
};

using CommandFactory = std::function<std::unique_ptr<Command>()>;
// Registered factories, in the order the commands should appear in --help.
std::vector<std::pair<int, CommandFactory>>& command_factories();

template <class C>
struct CommandRegistration {
    explicit CommandRegistration(int order) {
        command_factories().emplace_back(order, [] { return std::make_unique<C>(); });
    }
};

// In a command's .cpp: COCONUT_REGISTER_COMMAND(GenerateCommand, 20);  (order in --help)
#define COCONUT_REGISTER_COMMAND(Class, order) \
    static const ::coconut::cli::CommandRegistration<Class> coconut_command_##Class{order}

// ---- shared printing helpers (stdout for data, stderr for messages) ----
constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;
constexpr int k_exit_interrupted = 130;

// The one mapping from error categories to exit codes: usage and input 2, failure 1,
// interrupted 130, internal 2.
int exit_code_for(util::ErrorCode code);

bool use_color(FILE* stream);  // false when NO_COLOR is set, TERM=dumb, or not a TTY
void print_error(const std::string& message);  // "coconut: error: message"
int report(const util::Error& e);              // print_error + finish(exit_code_for(e.code))
// Writes a command's output to stdout, or to FILE atomically (--output FILE; "-" is stdout).
// Returns false after printing an error when the file cannot be written.
bool write_output(const std::string& text, const std::string& file);
void print_problems(const std::vector<spec::Problem>& problems);
void print_data(const nlohmann::ordered_json& data, const std::string& format);  // yaml | json
int finish(int code);                          // 128 + signal when interrupted (130, 143), else code

}  // namespace coconut::cli
