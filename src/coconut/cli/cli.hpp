#pragma once

namespace coconut::cli {

// Parses argv, runs the command, returns the process exit code (0 ok, 1 failure/findings,
// 2 usage or input error, 130 interrupted).
int run(int argc, char** argv);

}  // namespace coconut::cli
