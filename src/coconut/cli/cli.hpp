#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace coconut::cli {

class Command;

// The CLI11 app with every registered command set up (their --help order), and the commands.
// Every repeatable option takes exactly one value per occurrence, as kubectl's and helm's flags
// do: `--ignore 'RULE -- reason' k8s/` leaves k8s/ to the positional PATHs.
struct AppSetup {
    std::unique_ptr<CLI::App> app;
    std::vector<std::pair<std::unique_ptr<Command>, CLI::App*>> commands;
};
AppSetup make_app();

// Parses argv, runs the command, returns the process exit code (0 ok, 1 failure/findings,
// 2 usage or input error, 130 interrupted).
int run(int argc, char** argv);

}  // namespace coconut::cli
