#pragma once
// The one door to external tools (DESIGN §7). Every adapter (helm, kubectl, buildah, podman,
// ansible-playbook, ...) builds a Command and hands it to a CommandRunner: ProcessRunner runs it
// for real; in unit tests, coconut::testing::FakeRunner (tests/support) replays recorded outputs.
//
// Rules that every caller relies on:
//   - argv only, never a shell: arguments are passed to the program verbatim, so nothing in them
//     is ever re-parsed, globbed or expanded;
//   - secrets never go into argv (argv is visible in /proc and `ps`, and it is what error messages
//     and logs print): pass them through stdin_data or a 0600 file named in argv;
//   - env adds or overrides variables on top of the parent's environment; values are never
//     printed by the runner (they may hold tokens).
#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coconut/util/expected.hpp"

namespace coconut::platform {

struct Command {
    std::vector<std::string> argv;                            // argv[0]: a name looked up in PATH, or a path
    std::vector<std::pair<std::string, std::string>> env;     // added/overridden; the rest is inherited
    std::string stdin_data;                                   // bytes fed to the child's stdin, then EOF
    std::string cwd;                                          // empty: the parent's working directory
    std::chrono::milliseconds timeout{0};                     // 0: no timeout
    // Optional streaming progress: called with every complete line (without its '\n'; a trailing
    // '\r' is dropped too) as it arrives, and with a final unterminated line at EOF. Called on
    // the thread that called run(); the full output is still collected into the result.
    std::function<void(std::string_view line, bool is_stderr)> on_line;
};

struct CommandResult {
    int exit_code = -1;        // the child's exit status; 128 + N when it died of signal N
    std::string out;           // everything it wrote to stdout
    std::string err;           // everything it wrote to stderr
    bool timed_out = false;    // the timeout expired and the runner terminated the process group
    int term_signal = 0;       // the signal that ended the child, 0 when it exited normally
    std::chrono::milliseconds duration{0};

    [[nodiscard]] bool ok() const { return exit_code == 0 && !timed_out; }
};

class CommandRunner {
public:
    virtual ~CommandRunner() = default;
    CommandRunner() = default;
    CommandRunner(const CommandRunner&) = delete;
    CommandRunner& operator=(const CommandRunner&) = delete;

    // Runs the command to completion. The Expected holds an error only when the program could not
    // be run at all (binary not found, not executable, bad cwd, empty argv) or when the user
    // interrupted coconut (Ctrl-C: ErrorCode::Interrupted, the child is terminated first). A
    // non-zero exit or a timeout is a result, not an error: check result.ok().
    virtual util::Expected<CommandResult> run(const Command& cmd) = 0;

    // Where this runner would find the program `name` (a name without '/'), for messages such as
    // "found at /usr/bin/helm"; nullopt when it would not find it. The default answers `name`
    // itself; ProcessRunner searches PATH; FakeRunner answers what the test configured, so unit
    // tests never depend on what happens to be installed on the machine.
    virtual std::optional<std::string> find_program(std::string_view name) { return std::string(name); }
};

// argv as one line a user can read and paste into a shell: words with shell metacharacters are
// single-quoted. For messages and logs (argv never holds secrets).
std::string format_argv(std::span<const std::string> argv);

// The last `max_lines` non-empty lines of a tool's output, for error messages.
std::string tail_lines(std::string_view text, std::size_t max_lines = 10);

// Runs the command and turns a non-zero exit or a timeout into an ErrorCode::Failure error whose
// message names the command, the exit status and the tail of its stderr (or stdout when stderr
// is empty). For callers that have nothing to do with a failed tool but report it.
util::Expected<CommandResult> run_checked(CommandRunner& runner, const Command& cmd);

// The error run_checked() makes from a finished command that failed.
util::Error command_failure(const Command& cmd, const CommandResult& result);

}  // namespace coconut::platform
