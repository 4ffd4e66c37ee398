#pragma once
// Test support, linked only into the test binaries (never into `coconut`: the ctest
// binary.no_test_doubles checks its symbols).
//
// FakeRunner: a CommandRunner for unit tests that replays scripted or recorded tool outputs and
// records every call, so a test can assert what was run (argv, env, stdin, cwd) — e.g. that a
// secret went through stdin and never into argv.
//
// Matching: the first expectation, in the order they were added, that matches the call's argv
// and still has uses left answers it. `argv` matches exactly or, with `prefix`, as a prefix.
// An expectation's argv[0] without a '/' also matches a call whose argv[0] is a path to a
// program of that name ("helm" matches "/usr/local/bin/helm"). A call nothing matches is an
// error (ErrorCode::Failure) whose message lists the argv and the expectations; it is also
// passed to the on_unmatched hook, which tests point at ADD_FAILURE (see
// coconut/testing/fake_runner_gtest.hpp).
//
// Recorded outputs live under tests/fakes/<name>/, one JSON file per expectation, loaded in
// file-name order (name them 010-helm-version.json, 020-...):
//
//   {
//     "argv": ["helm", "version", "--short"],
//     "match": "exact",                  // or "prefix"; default exact
//     "times": 1,                        // uses; 0 = any number; default 1
//     "exit": 0,                         // default 0
//     "stdout": "v3.17.3+ge4da497\n",    // inline text, or
//     "stdout_file": "helm-version.out", // raw bytes from a file next to the JSON
//     "stderr": "", "stderr_file": "...",
//     "timed_out": false, "signal": 0, "duration_ms": 0,
//     "error": "helm: command not found"  // optional: simulate a program that cannot start
//   }
//
// RecordingRunner (below) writes exactly this format from real runs.
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/command_runner.hpp"

namespace coconut::testing {


struct FakeExpectation {
    std::vector<std::string> argv;
    bool prefix = false;
    int times = 1;  // 0: unlimited
    platform::CommandResult result;
    std::optional<util::Error> error;  // set: run() fails as if the program could not start
    // Optional dynamic answer (e.g. to write the file `helm package` would create); when set it
    // is called instead of returning `result` / `error`.
    std::function<util::Expected<platform::CommandResult>(const platform::Command&)> handler;
    std::string origin;  // where it came from (a fake file), for messages

    int used = 0;
};

struct RecordedCall {
    std::vector<std::string> argv;
    std::vector<std::pair<std::string, std::string>> env;
    std::string stdin_data;
    std::string cwd;
    std::chrono::milliseconds timeout{0};
    bool matched = false;
};

// A finished command's result, for scripting expectations: fake_result("v3.17.3+g1\n").
platform::CommandResult fake_result(std::string out = {}, std::string err = {}, int exit_code = 0);

class FakeRunner final : public platform::CommandRunner {
public:
    FakeRunner() = default;

    // Adds an expectation; returns it so a test can tweak it (times, handler, ...).
    FakeExpectation& expect(std::vector<std::string> argv, platform::CommandResult result = fake_result());
    FakeExpectation& expect_prefix(std::vector<std::string> argv_prefix, platform::CommandResult result = fake_result());
    FakeExpectation& add(FakeExpectation expectation);

    // Loads every *.json file of `dir` (sorted by name) as an expectation.
    util::Expected<void> load_dir(const std::filesystem::path& dir);

    util::Expected<platform::CommandResult> run(const platform::Command& cmd) override;

    // find_program() answers `path` for `name` once set (nullopt when `path` is empty: the tool
    // is "not installed"); names never set are answered unchanged.
    void set_program_path(const std::string& name, std::string path) { m_programs[name] = std::move(path); }
    std::optional<std::string> find_program(std::string_view name) override;

    // Called with a description of every call that matched nothing.
    void set_on_unmatched(std::function<void(const std::string&)> hook) { m_on_unmatched = std::move(hook); }

    [[nodiscard]] const std::vector<RecordedCall>& calls() const { return m_calls; }
    [[nodiscard]] const std::deque<FakeExpectation>& expectations() const { return m_expectations; }
    // Expectations with a fixed number of uses that were not used up, described one per line.
    [[nodiscard]] std::vector<std::string> unused_expectations() const;
    // True when `needle` occurs in any argument of any recorded call.
    [[nodiscard]] bool argv_contains(std::string_view needle) const;
    // The recorded calls whose argv starts with `argv_prefix`.
    [[nodiscard]] std::vector<RecordedCall> calls_matching(const std::vector<std::string>& argv_prefix) const;

    // The same as fake_result(), spelled as a member.
    static platform::CommandResult ok_result(std::string out = {}, std::string err = {}, int exit_code = 0) {
        return fake_result(std::move(out), std::move(err), exit_code);
    }

private:
    std::deque<FakeExpectation> m_expectations;  // a deque: references returned by expect() stay valid
    std::vector<RecordedCall> m_calls;
    std::function<void(const std::string&)> m_on_unmatched;
    std::map<std::string, std::string, std::less<>> m_programs;
};

// True when `call` (a real argv) matches an expectation's argv (see the matching rules above).
bool fake_argv_matches(const std::vector<std::string>& expected, bool prefix, const std::vector<std::string>& call);

// Parses one fake file's JSON text; `dir` resolves stdout_file / stderr_file.
util::Expected<FakeExpectation> parse_fake(std::string_view json_text, const std::filesystem::path& dir,
                                           std::string origin);

// Wraps a real runner and writes every call it makes into `dir` in the fake format (NNN-<argv0>-
// <argv1>.json, outputs over 200 bytes or with NULs go to .out/.err files beside it). It records
// argv, the exit and the outputs — never stdin or env values, which may be secrets. Turn it on
// when capturing fixtures from real tools (the coconut_record_fake tool wraps a ProcessRunner in
// one); review the files before committing them.
class RecordingRunner final : public platform::CommandRunner {
public:
    // `first` calls are taken as already recorded: numbering goes on after them.
    RecordingRunner(platform::CommandRunner& inner, std::filesystem::path dir, int first = 0)
        : m_inner(inner), m_dir(std::move(dir)), m_count(first) {}
    util::Expected<platform::CommandResult> run(const platform::Command& cmd) override;

private:
    platform::CommandRunner& m_inner;
    std::filesystem::path m_dir;
    int m_count = 0;
};

}  // namespace coconut::testing
