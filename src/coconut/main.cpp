#include <cstdio>
#include <exception>

#include "coconut/cli/cli.hpp"

// The last line of defence: cli::run reports errors itself; anything escaping it (an exception
// while setting up the CLI, or a non-standard one) still ends with a message and exit 2, never
// std::terminate's abort.
int main(int argc, char** argv) {
    try {
        return coconut::cli::run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "coconut: error: internal error: %s\n", e.what());
    } catch (...) {
        std::fprintf(stderr, "coconut: error: internal error (unknown exception)\n");
    }
    return 2;
}
