// ProcessRunner against real processes (/bin/sh, cat, sleep, printf, pwd).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "coconut/platform/process_runner.hpp"
#include "coconut/util/signals.hpp"

namespace fs = std::filesystem;
using namespace coconut::platform;
using namespace std::chrono_literals;

namespace {

Command sh(const std::string& script) {
    Command c;
    c.argv = {"/bin/sh", "-c", script};
    return c;
}

CommandResult run_ok(ProcessRunner& runner, const Command& cmd) {
    auto r = runner.run(cmd);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r ? *r : CommandResult{};
}

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("coconut-runner-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

// Alive and not a zombie (a killed grandchild is reparented and may linger as a zombie until
// init reaps it; that is dead enough).
bool process_running_now(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    auto close_paren = line.rfind(')');
    return close_paren != std::string::npos && close_paren + 2 < line.size() && line[close_paren + 2] != 'Z';
}

// The same, allowing a loaded machine a moment to finish off a process that was just killed.
bool process_running(pid_t pid) {
    for (int i = 0; i < 100; ++i) {
        if (!process_running_now(pid)) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

std::string pattern_bytes(std::size_t n) {
    std::string s(n, '\0');
    std::uint32_t x = 2463534242u;  // xorshift: every byte value, NULs included
    for (auto& c : s) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x & 0xff);
    }
    return s;
}

}  // namespace

TEST(ProcessRunner, CapturesStdoutStderrAndExitCode) {
    ProcessRunner runner;
    auto r = run_ok(runner, sh("echo hello; echo oops >&2; exit 3"));
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.out, "hello\n");
    EXPECT_EQ(r.err, "oops\n");
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.term_signal, 0);

    auto ok = run_ok(runner, sh("true"));
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(ok.exit_code, 0);
}

TEST(ProcessRunner, ArgvIsPassedVerbatimWithoutAShell) {
    ProcessRunner runner;
    Command c;
    c.argv = {"printf", "%s|", "a b", "$HOME", "*", "'q'", "; rm -rf /", ""};
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.out, "a b|$HOME|*|'q'|; rm -rf /||");
}

TEST(ProcessRunner, DeathBySignalIsReported) {
    ProcessRunner runner;
    auto r = run_ok(runner, sh("kill -KILL $$"));
    EXPECT_EQ(r.term_signal, SIGKILL);
    EXPECT_EQ(r.exit_code, 128 + SIGKILL);
    EXPECT_FALSE(r.ok());
}

TEST(ProcessRunner, StdinRoundTrip10MBThroughCat) {
    ProcessRunner runner;
    Command c;
    c.argv = {"cat"};
    c.stdin_data = pattern_bytes(10 * 1024 * 1024);
    c.timeout = 20s;
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_FALSE(r.timed_out);
    ASSERT_EQ(r.out.size(), c.stdin_data.size());
    EXPECT_TRUE(r.out == c.stdin_data);
}

TEST(ProcessRunner, LargeOutputOnBothStreamsWhileFeedingStdinDoesNotDeadlock) {
    // The child first fills stderr (10 MB) before it reads any stdin, then echoes 10 MB of stdin
    // to stdout: a runner that writes all of stdin first, or drains one stream at a time, hangs.
    ProcessRunner runner;
    Command c = sh("head -c 10485760 /dev/zero | tr '\\000' e >&2; cat");
    c.stdin_data = std::string(10 * 1024 * 1024, 'i');
    c.timeout = 20s;
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.err.size(), 10u * 1024 * 1024);
    EXPECT_EQ(r.err.find_first_not_of('e'), std::string::npos);
    EXPECT_EQ(r.out.size(), 10u * 1024 * 1024);
    EXPECT_EQ(r.out.find_first_not_of('i'), std::string::npos);
}

TEST(ProcessRunner, ChildThatIgnoresStdinDoesNotKillUsWithSigpipe) {
    ProcessRunner runner;
    Command c;
    c.argv = {"true"};
    c.stdin_data = std::string(4 * 1024 * 1024, 'x');
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.exit_code, 0);
    // Still alive, and SIGPIPE is neither left pending nor left blocked on this thread.
    sigset_t pending, mask;
    sigpending(&pending);
    EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    EXPECT_EQ(sigismember(&mask, SIGPIPE), 0);
}

TEST(ProcessRunner, TimeoutTerminatesTheProcess) {
    ProcessRunner runner;
    Command c;
    c.argv = {"sleep", "30"};
    c.timeout = 200ms;
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_ok(runner, c);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.term_signal, SIGTERM);
    EXPECT_GE(elapsed, 200ms);
    EXPECT_LT(elapsed, 1500ms);
    EXPECT_GE(r.duration, 200ms);
}

TEST(ProcessRunner, TimeoutKillsTheWholeProcessGroup) {
    // A long grace: the test checks that the runner returns as soon as the group is gone.
    ProcessRunner runner(ProcessRunnerOptions{5000ms, 200ms});
    // A grandchild in the background, and a shell that waits for it.
    Command c = sh("sleep 30 & echo $!; wait");
    c.timeout = 200ms;
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_ok(runner, c);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGTERM);
    EXPECT_LT(elapsed, 2000ms);
    pid_t grandchild = std::atoi(r.out.c_str());
    ASSERT_GT(grandchild, 1) << r.out;
    EXPECT_FALSE(process_running(grandchild));
}

TEST(ProcessRunner, SigkillAfterGraceWhenSigtermIsIgnored) {
    ProcessRunner runner(ProcessRunnerOptions{150ms, 200ms});
    Command c = sh("trap '' TERM; sleep 30 & echo $!; wait; wait");
    c.timeout = 150ms;
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_ok(runner, c);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_TRUE(r.timed_out);
    EXPECT_EQ(r.term_signal, SIGKILL);
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 2000ms);
    pid_t grandchild = std::atoi(r.out.c_str());
    ASSERT_GT(grandchild, 1) << r.out;
    EXPECT_FALSE(process_running(grandchild));
}

TEST(ProcessRunner, BackgroundChildHoldingThePipesDoesNotBlockCompletion) {
    ProcessRunner runner(ProcessRunnerOptions{200ms, 100ms});
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_ok(runner, sh("sleep 5 & echo $!"));
    auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_LT(elapsed, 1500ms);
    pid_t bg = std::atoi(r.out.c_str());
    if (bg > 1) ::kill(bg, SIGKILL);
}

TEST(ProcessRunner, EnvironmentOverridesAndInherits) {
    ::setenv("COCONUT_RUNNER_INHERITED", "from-parent", 1);
    ::setenv("COCONUT_RUNNER_OVERRIDDEN", "old", 1);
    ProcessRunner runner;
    Command c = sh("echo \"$COCONUT_RUNNER_INHERITED|$COCONUT_RUNNER_OVERRIDDEN|$COCONUT_RUNNER_ADDED\"");
    c.env = {{"COCONUT_RUNNER_OVERRIDDEN", "first"}, {"COCONUT_RUNNER_ADDED", "a=b c"}, {"COCONUT_RUNNER_OVERRIDDEN", "new"}};
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.out, "from-parent|new|a=b c\n");
    ::unsetenv("COCONUT_RUNNER_INHERITED");
    ::unsetenv("COCONUT_RUNNER_OVERRIDDEN");
}

TEST(ProcessRunner, InvalidEnvironmentNameIsRejected) {
    ProcessRunner runner;
    Command c = sh("true");
    c.env = {{"A=B", "x"}};
    auto r = runner.run(c);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("invalid environment variable name"), std::string::npos);
}

TEST(ProcessRunner, WorkingDirectory) {
    ProcessRunner runner;
    fs::path dir = fresh_dir("cwd");
    Command c;
    c.argv = {"pwd"};
    c.cwd = dir.string();
    auto r = run_ok(runner, c);
    EXPECT_EQ(r.out, fs::canonical(dir).string() + "\n");

    // A relative program path is relative to the command's cwd.
    {
        std::ofstream script(dir / "tool.sh");
        script << "#!/bin/sh\necho relative-ok\n";
    }
    fs::permissions(dir / "tool.sh", fs::perms::owner_all);
    Command rel;
    rel.argv = {"./tool.sh"};
    rel.cwd = dir.string();
    EXPECT_EQ(run_ok(runner, rel).out, "relative-ok\n");

    Command missing_cwd = sh("true");
    missing_cwd.cwd = (dir / "nope").string();
    auto err = runner.run(missing_cwd);
    ASSERT_FALSE(err);
    EXPECT_NE(err.error().message.find("working directory"), std::string::npos) << err.error().message;
    EXPECT_NE(err.error().message.find("nope"), std::string::npos);
    fs::remove_all(dir);
}

TEST(ProcessRunner, MissingBinaryNamesTheBinaryAndThePath) {
    ProcessRunner runner;
    Command c;
    c.argv = {"coconut-no-such-tool", "--version"};
    c.env = {{"PATH", "/nonexistent/bin:/usr/bin"}};
    auto r = runner.run(c);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "coconut-no-such-tool: command not found (searched PATH=/nonexistent/bin:/usr/bin)");

    // The command's own PATH is the one searched: sh is not found in an empty directory list.
    Command no_sh;
    no_sh.argv = {"sh", "-c", "true"};
    no_sh.env = {{"PATH", "/nonexistent"}};
    EXPECT_FALSE(runner.run(no_sh));

    Command by_path;
    by_path.argv = {"/no/such/dir/tool"};
    auto r2 = runner.run(by_path);
    ASSERT_FALSE(r2);
    EXPECT_NE(r2.error().message.find("/no/such/dir/tool"), std::string::npos);
    EXPECT_NE(r2.error().message.find("no such file"), std::string::npos);

    fs::path dir = fresh_dir("noexec");
    { std::ofstream(dir / "plain") << "echo hi\n"; }
    Command not_exec;
    not_exec.argv = {(dir / "plain").string()};
    auto r3 = runner.run(not_exec);
    ASSERT_FALSE(r3);
    EXPECT_NE(r3.error().message.find("not an executable"), std::string::npos) << r3.error().message;
    fs::remove_all(dir);

    Command empty;
    EXPECT_FALSE(runner.run(empty));
}

TEST(ProcessRunner, StreamsLinesAsTheyArrive) {
    ProcessRunner runner;
    std::vector<std::pair<std::string, bool>> lines;
    std::vector<std::chrono::steady_clock::time_point> when;
    Command c = sh("printf 'one\\ntwo\\r\\n'; echo warn >&2; sleep 0.2; printf 'three'");
    c.on_line = [&](std::string_view line, bool is_stderr) {
        lines.emplace_back(std::string(line), is_stderr);
        when.push_back(std::chrono::steady_clock::now());
    };
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_ok(runner, c);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0], std::make_pair(std::string("one"), false));
    EXPECT_EQ(lines[1], std::make_pair(std::string("two"), false));
    EXPECT_EQ(lines[2], std::make_pair(std::string("warn"), true));
    EXPECT_EQ(lines[3], std::make_pair(std::string("three"), false));  // unterminated, flushed at EOF
    // The first lines came before the child finished: streaming, not replay at the end.
    EXPECT_LT(when[0] - t0, 180ms);
    EXPECT_EQ(r.out, "one\ntwo\r\nthree");
}

TEST(ProcessRunner, ChildHasNoControllingTerminalAndItsOwnProcessGroup) {
    ProcessRunner runner;
    // ps would need procps; read our own /proc entry instead: field 5 is the pgid, 6 the session.
    auto r = run_ok(runner, sh("cat /proc/$$/stat; echo; echo $$"));
    auto nl = r.out.find('\n');
    std::string stat = r.out.substr(0, nl);
    std::string pid = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
    pid.pop_back();
    auto fields_at = stat.rfind(')') + 2;
    std::vector<std::string> fields;
    std::string rest = stat.substr(fields_at);
    for (std::size_t s = 0, e; s < rest.size(); s = e + 1) {
        e = rest.find(' ', s);
        if (e == std::string::npos) e = rest.size();
        fields.push_back(rest.substr(s, e - s));
    }
    ASSERT_GE(fields.size(), 5u);
    EXPECT_EQ(fields[2], pid);   // pgrp: its own group
    EXPECT_EQ(fields[3], pid);   // session: its own session
    EXPECT_EQ(fields[4], "0");   // tty_nr: none
}

TEST(ProcessRunner, Which) {
    auto s = which("sh");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->front(), '/');
    EXPECT_FALSE(which("coconut-no-such-tool"));
    EXPECT_FALSE(which("sh", "/nonexistent:/also/not"));
    EXPECT_EQ(which("sh", "/nonexistent:/bin"), std::optional<std::string>("/bin/sh"));
    EXPECT_EQ(which("/bin/sh"), std::optional<std::string>("/bin/sh"));
    EXPECT_FALSE(which("/etc/passwd"));  // not executable
    EXPECT_FALSE(which(""));

    ProcessRunner runner;
    EXPECT_EQ(runner.find_program("sh"), which("sh"));
    EXPECT_FALSE(runner.find_program("coconut-no-such-tool"));
}

// Runs in a forked child (see below): Ctrl-C during a run, then a run after it.
int interrupted_run_exit_code() {
    coconut::util::install_interrupt_handler();
    std::thread ctrl_c([] {
        std::this_thread::sleep_for(200ms);
        ::kill(::getpid(), SIGINT);
    });
    ProcessRunner runner(ProcessRunnerOptions{200ms, 200ms});
    Command c;
    c.argv = {"sleep", "30"};
    auto t0 = std::chrono::steady_clock::now();
    auto r = runner.run(c);
    auto elapsed = std::chrono::steady_clock::now() - t0;
    ctrl_c.join();
    if (r || r.error().code != coconut::util::ErrorCode::Interrupted) return 2;
    if (r.error().message.find("sleep 30") == std::string::npos) return 3;
    if (elapsed > 1500ms) return 4;
    // Nothing more is started once interrupted.
    Command again;
    again.argv = {"true"};
    auto r2 = runner.run(again);
    if (r2 || r2.error().code != coconut::util::ErrorCode::Interrupted) return 5;
    // ... except by a runner meant for clean-up after an interrupt.
    ProcessRunnerOptions cleanup_options;
    cleanup_options.honour_interrupts = false;
    ProcessRunner cleanup(cleanup_options);
    auto r3 = cleanup.run(again);
    if (!r3 || r3->exit_code != 0) return 6;
    return 0;
}

TEST(ProcessRunner, CtrlCTerminatesTheChildAndReportsInterrupted) {
    // util::interrupted() cannot be reset, so this runs in a child process (a death test).
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(std::exit(interrupted_run_exit_code()), ::testing::ExitedWithCode(0), "");
}
