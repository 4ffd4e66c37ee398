#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "coconut/platform/process_runner.hpp"
#include "coconut/platform/tool_version.hpp"
#include "coconut/testing/fake_runner.hpp"
#include "coconut/testing/fake_runner_gtest.hpp"

namespace fs = std::filesystem;
using namespace coconut::platform;
using namespace coconut::testing;

namespace {

Command cmd(std::vector<std::string> argv) {
    Command c;
    c.argv = std::move(argv);
    return c;
}

fs::path fakes_dir(const std::string& name) { return fs::path(COCONUT_SOURCE_DIR) / "tests" / "fakes" / name; }

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("coconut-fake-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

}  // namespace

TEST(FakeRunner, ExactAndPrefixMatching) {
    GTestFakeRunner fake;
    fake->expect({"helm", "version", "--short"}, fake_result("v3.17.3+ge4da497\n"));
    fake->expect_prefix({"kubectl", "apply"}, fake_result("deployment.apps/web configured\n")).times = 0;

    auto v = fake->run(cmd({"helm", "version", "--short"}));
    ASSERT_TRUE(v);
    EXPECT_EQ(v->out, "v3.17.3+ge4da497\n");
    EXPECT_EQ(v->exit_code, 0);
    for (int i = 0; i < 3; ++i) {
        auto a = fake->run(cmd({"kubectl", "apply", "-f", "k8s/" + std::to_string(i)}));
        ASSERT_TRUE(a);
        EXPECT_EQ(a->out, "deployment.apps/web configured\n");
    }
    EXPECT_EQ(fake->calls().size(), 4u);
    EXPECT_EQ(fake->calls_matching({"kubectl", "apply"}).size(), 3u);
    EXPECT_TRUE(fake->unused_expectations().empty());
}

TEST(FakeRunner, ExactDoesNotMatchLongerOrShorterArgv) {
    EXPECT_TRUE(fake_argv_matches({"helm", "lint"}, false, {"helm", "lint"}));
    EXPECT_FALSE(fake_argv_matches({"helm", "lint"}, false, {"helm", "lint", "chart"}));
    EXPECT_FALSE(fake_argv_matches({"helm", "lint"}, false, {"helm"}));
    EXPECT_TRUE(fake_argv_matches({"helm", "lint"}, true, {"helm", "lint", "chart"}));
    EXPECT_FALSE(fake_argv_matches({"helm", "lint"}, true, {"helm", "list"}));
    // A bare program name also matches a call by path; a path must match exactly.
    EXPECT_TRUE(fake_argv_matches({"helm"}, true, {"/usr/local/bin/helm", "x"}));
    EXPECT_FALSE(fake_argv_matches({"/usr/bin/helm"}, true, {"/usr/local/bin/helm"}));
    EXPECT_FALSE(fake_argv_matches({"helm"}, true, {"/usr/local/bin/helmfile"}));
}

TEST(FakeRunner, SequencesAnswerInOrder) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"kubectl", "rollout", "status", "deploy/web"}, fake_result("", "Waiting for rollout\n", 1));
    fake->expect({"kubectl", "rollout", "status", "deploy/web"}, fake_result("successfully rolled out\n"));
    auto first = fake->run(cmd({"kubectl", "rollout", "status", "deploy/web"}));
    auto second = fake->run(cmd({"kubectl", "rollout", "status", "deploy/web"}));
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->exit_code, 1);
    EXPECT_EQ(second->exit_code, 0);
    EXPECT_EQ(second->out, "successfully rolled out\n");
}

TEST(FakeRunner, UnmatchedCallFailsTheTestListingTheArgv) {
    FakeRunner fake;
    fake.expect({"helm", "version", "--short"});
    std::vector<std::string> reported;
    fake.set_on_unmatched([&](const std::string& m) { reported.push_back(m); });
    auto r = fake.run(cmd({"helm", "upgrade", "--install", "web", "./chart"}));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("unexpected command: helm upgrade --install web ./chart"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("helm version --short"), std::string::npos);  // what was expected
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0], r.error().message);
    ASSERT_EQ(fake.calls().size(), 1u);
    EXPECT_FALSE(fake.calls()[0].matched);

    // The GoogleTest wiring turns it into a test failure.
    EXPECT_NONFATAL_FAILURE(
        {
            GTestFakeRunner g;
            (void)g->run(cmd({"kubectl", "delete", "ns", "prod"}));
        },
        "unexpected command: kubectl delete ns prod");
    // ... and strict() reports expectations that were never used.
    EXPECT_NONFATAL_FAILURE(
        {
            GTestFakeRunner g;
            g.strict();
            g->expect({"helm", "push", "chart.tgz"});
        },
        "expected call not made: exact:  helm push chart.tgz");
}

TEST(FakeRunner, RecordsEnvStdinCwdSoSecretsCanBeChecked) {
    GTestFakeRunner fake;
    fake->expect_prefix({"helm", "registry", "login"});
    Command c = cmd({"helm", "registry", "login", "127.0.0.1:5000", "--username", "ci", "--password-stdin"});
    c.stdin_data = "s3cr3t-token";
    c.env = {{"HELM_CONFIG_HOME", "/tmp/h"}};
    c.cwd = "/work";
    c.timeout = std::chrono::seconds(30);
    ASSERT_TRUE(fake->run(c));
    const RecordedCall& call = fake->calls().at(0);
    EXPECT_EQ(call.stdin_data, "s3cr3t-token");
    EXPECT_EQ(call.env, c.env);
    EXPECT_EQ(call.cwd, "/work");
    EXPECT_EQ(call.timeout, std::chrono::seconds(30));
    EXPECT_TRUE(call.matched);
    EXPECT_FALSE(fake->argv_contains("s3cr3t"));
    EXPECT_TRUE(fake->argv_contains("--password-stdin"));
}

TEST(FakeRunner, ReplaysLinesToOnLine) {
    GTestFakeRunner fake;
    fake->expect({"buildah", "bud"}, fake_result("STEP 1/2: FROM scratch\nSTEP 2/2: COPY hello /\n", "warn\n"));
    std::vector<std::string> lines;
    Command c = cmd({"buildah", "bud"});
    c.on_line = [&](std::string_view line, bool is_stderr) { lines.push_back((is_stderr ? "E:" : "O:") + std::string(line)); };
    ASSERT_TRUE(fake->run(c));
    EXPECT_EQ(lines, (std::vector<std::string>{"O:STEP 1/2: FROM scratch", "O:STEP 2/2: COPY hello /", "E:warn"}));
}

TEST(FakeRunner, HandlersAndStartErrors) {
    GTestFakeRunner fake;
    fs::path dir = fresh_dir("handler");
    FakeExpectation& pkg = fake->expect_prefix({"helm", "package"});
    pkg.handler = [&](const Command& c) -> coconut::util::Expected<CommandResult> {
        std::ofstream(dir / "web-1.0.0.tgz") << c.argv.back();
        return fake_result("Successfully packaged chart\n");
    };
    FakeExpectation missing;
    missing.argv = {"copilot"};
    missing.prefix = true;
    missing.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "copilot: command not found (searched PATH=/usr/bin)", {}};
    fake->add(missing);

    ASSERT_TRUE(fake->run(cmd({"helm", "package", "chart"})));
    EXPECT_TRUE(fs::exists(dir / "web-1.0.0.tgz"));
    auto r = fake->run(cmd({"copilot", "svc", "deploy"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "copilot: command not found (searched PATH=/usr/bin)");
    fs::remove_all(dir);
}

TEST(FakeRunner, LoadsRecordedOutputsFromTestsFakes) {
    GTestFakeRunner fake;
    auto loaded = fake->load_dir(fakes_dir("tool-versions"));
    ASSERT_TRUE(loaded) << loaded.error().message << " " << loaded.error().context;
    EXPECT_GE(fake->expectations().size(), 10u);

    // Two recorded `helm version --short` answers, in file order: Helm 3 then Helm 4.
    auto h3 = detect_tool(*fake, "helm", "/opt/helm3/helm");
    auto h4 = detect_tool(*fake, "helm", "/opt/helm4/helm");
    ASSERT_TRUE(h3 && h4);
    EXPECT_EQ(h3->version.to_string(), "3.17.3");
    EXPECT_EQ(h4->version.major, 4);

    // stdout_file: the JSON form of kubectl's version lives in a .out file.
    auto k = detect_tool(*fake, "kubectl", "/usr/bin/kubectl");
    ASSERT_TRUE(k) << k.error().message;
    EXPECT_EQ(k->version.to_string(), "1.32.4-dispatcher");
    EXPECT_NE(k->output.find("\"clientVersion\""), std::string::npos);
}

TEST(FakeRunner, FakeFileFormatErrors) {
    auto bad = [](const std::string& json) {
        auto r = parse_fake(json, ".", "x.json");
        return r ? std::string("parsed") : r.error().message;
    };
    EXPECT_EQ(bad("[]"), "fake: not a JSON object");
    EXPECT_EQ(bad("{\"argv\": []}"), "fake: 'argv' must be a non-empty array of strings");
    EXPECT_EQ(bad("{\"argv\": [\"a\"], \"stdot\": \"x\"}"), "fake: unknown key 'stdot'");
    EXPECT_EQ(bad("{\"argv\": [\"a\"], \"match\": \"regex\"}"), "fake: 'match' must be \"exact\" or \"prefix\"");
    EXPECT_EQ(bad("{\"argv\": [\"a\"], \"exit\": \"1\"}"), "fake: 'times', 'exit', 'signal', 'duration_ms' must be integers");
    EXPECT_EQ(bad("{\"argv\": [\"a\"], \"stdout\": \"x\", \"stdout_file\": \"y\"}"),
              "fake: both 'stdout' and 'stdout_file' given");
    auto ok = parse_fake(R"({"argv": ["a", "b"], "match": "prefix", "times": 0, "exit": 2, "stderr": "e", "timed_out": true})",
                         ".", "x.json");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->prefix);
    EXPECT_EQ(ok->times, 0);
    EXPECT_EQ(ok->result.exit_code, 2);
    EXPECT_EQ(ok->result.err, "e");
    EXPECT_TRUE(ok->result.timed_out);
    EXPECT_FALSE(FakeRunner().load_dir(fakes_dir("no-such-scenario")));
}

TEST(FakeRunner, RecordingRunnerWritesReplayableFakesWithoutStdinOrEnv) {
    fs::path dir = fresh_dir("record");
    ProcessRunner real;
    RecordingRunner rec(real, dir);
    Command small;
    small.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 4"};
    small.stdin_data = "secret-on-stdin";
    small.env = {{"TOKEN", "secret-in-env"}};
    Command big;
    big.argv = {"/bin/sh", "-c", "head -c 1000 /dev/zero"};
    Command missing;
    missing.argv = {"coconut-no-such-tool"};
    ASSERT_TRUE(rec.run(small));
    ASSERT_TRUE(rec.run(big));
    ASSERT_FALSE(rec.run(missing));

    for (const auto& entry : fs::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        EXPECT_EQ(text.find("secret"), std::string::npos) << entry.path();
    }

    FakeRunner replay;
    ASSERT_TRUE(replay.load_dir(dir));
    auto r1 = replay.run(small);
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->exit_code, 4);
    EXPECT_EQ(r1->out, "out\n");
    EXPECT_EQ(r1->err, "err\n");
    auto r2 = replay.run(big);
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->out, std::string(1000, '\0'));
    auto r3 = replay.run(missing);
    ASSERT_FALSE(r3);
    EXPECT_NE(r3.error().message.find("command not found"), std::string::npos);
    fs::remove_all(dir);
}
