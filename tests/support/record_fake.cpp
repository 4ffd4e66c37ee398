// coconut_record_fake: runs one command for real and records it as a FakeRunner fixture.
//
//   build/coconut_record_fake tests/fakes/<scenario> -- helm version --short
//
// The command runs through a RecordingRunner around a ProcessRunner (no shell), so the files
// written are exactly what unit tests replay with FakeRunner::load_dir(). Its output is passed
// through, and the exit status is the command's. Files are numbered on from those already in
// DIR. A test-only tool: it is not installed with coconut.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/process_runner.hpp"
#include "coconut/testing/fake_runner.hpp"

namespace {

constexpr std::string_view k_usage = "usage: coconut_record_fake DIR -- PROGRAM [ARGS...]\n";

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() < 3 || args[1] != "--") {
        std::cerr << k_usage;
        return 2;
    }
    const fs::path dir = args[0];
    // Go on after the highest NNN- prefix already there, so replay keeps the recording order.
    int last = 0;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != ".json") continue;
        const std::string name = it->path().filename().string();
        const int number = std::atoi(name.c_str());  // the leading digits; 0 when there are none
        last = std::max(last, (number + 9) / 10);
    }
    coconut::platform::ProcessRunner real;
    coconut::testing::RecordingRunner recorder(real, dir, last);
    coconut::platform::Command cmd;
    cmd.argv.assign(args.begin() + 2, args.end());
    auto result = recorder.run(cmd);
    if (!result) {
        std::cerr << "coconut_record_fake: " << result.error().message << "\n";
        return 1;
    }
    std::cout << result->out;
    std::cerr << result->err;
    return result->exit_code;
}
