#include "coconut/cli/cli.hpp"

int main(int argc, char** argv) { return coconut::cli::run(argc, argv); }
