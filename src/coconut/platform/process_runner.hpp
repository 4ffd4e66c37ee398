#pragma once
// The real CommandRunner: posix_spawn + non-blocking pipes pumped with poll().
//
//   - no shell: argv[0] is resolved against PATH (the command's own PATH when cmd.env sets one)
//     and executed directly;
//   - the child runs in its own session (setsid): it has its own process group, which the runner
//     terminates as a whole on timeout or Ctrl-C, and no controlling terminal, so a tool that
//     would prompt on /dev/tty fails at once instead of hanging a deploy;
//   - stdin, stdout and stderr are pumped together in one poll() loop, so any amount of output
//     in both directions never deadlocks;
//   - timeout / Ctrl-C (util::interrupted()): SIGTERM to the process group, SIGKILL after
//     kill_grace; a timeout is reported in the result, an interrupt as ErrorCode::Interrupted.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "coconut/platform/command_runner.hpp"

namespace coconut::platform {

struct ProcessRunnerOptions {
    // Time between SIGTERM and SIGKILL when a command is terminated.
    std::chrono::milliseconds kill_grace{3000};
    // After the child exits, how long to keep reading pipes still held open by processes it left
    // behind (e.g. `cmd &` in a script) before giving up on them.
    std::chrono::milliseconds drain_after_exit{200};
    // Ctrl-C (util::interrupted()) terminates the running command and refuses to start new ones.
    // A runner for clean-up work that must run after an interrupt (e.g. releasing a remote lock)
    // sets this to false; its commands then end only by themselves or by their timeout.
    bool honour_interrupts = true;
};

class ProcessRunner final : public CommandRunner {
public:
    ProcessRunner() = default;
    explicit ProcessRunner(ProcessRunnerOptions options) : m_options(options) {}

    util::Expected<CommandResult> run(const Command& cmd) override;
    // which(name) on this process's PATH.
    std::optional<std::string> find_program(std::string_view name) override;

private:
    ProcessRunnerOptions m_options;
};

// Where `name` would be executed from: a name without '/' is searched in `path_env` (a
// colon-separated list; nullopt: the PATH of this process, or the system default when unset);
// a name with '/' is returned as is when it is an executable file. nullopt when not found.
std::optional<std::string> which(std::string_view name, std::optional<std::string_view> path_env = std::nullopt);

// This process's PATH, or the system default search path when PATH is unset.
std::string current_path_env();

}  // namespace coconut::platform
