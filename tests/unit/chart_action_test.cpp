// Unit tests of `coconut chart package` / `coconut chart push` (actions/chart): the helm argv,
// the version checks and their messages, and error handling, with the FakeRunner. The real helm
// (3 and 4) packages and pushes to a local registry in tests/integration/helm.sh.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "coconut/actions/chart.hpp"
#include "coconut/testing/fake_runner_gtest.hpp"
#include "coconut/util/fs.hpp"

namespace fs = std::filesystem;
using coconut::actions::ChartAction;
using coconut::actions::ChartOptions;
using coconut::platform::Command;
using coconut::platform::CommandResult;
using coconut::testing::fake_result;
using coconut::testing::GTestFakeRunner;

namespace {

constexpr const char* k_spec = R"(apiVersion: coconut.dev/v1
name: shop
version: 1.4.2
services:
  web: {type: web, image: "registry.example.com/shop/web:1.4.2", port: 8080}
environments:
  staging: {services: {web: {replicas: {min: 1, max: 1}}}}
targets:
  kubernetes: {namespace: shop}
)";

class ChartActionTest : public ::testing::Test {
protected:
    void SetUp() override { write("coconut.yaml", k_spec); }

    void write(const std::string& name, const std::string& text) { std::ofstream(m_dir / name) << text; }

    ChartOptions options() {
        ChartOptions o;
        o.file = (m_dir / "coconut.yaml").string();
        o.output_dir = (m_dir / "out").string();
        return o;
    }

    // helm version, lint and package as a real helm answers them; package writes the .tgz.
    void expect_package(GTestFakeRunner& runner, const char* version = "v3.17.3+ge4da497\n") {
        runner->expect({"helm", "version", "--short"}, fake_result(version));
        runner->expect_prefix({"helm", "lint", "--strict"}, fake_result("==> Linting\n1 chart(s) linted, 0 chart(s) failed\n"))
            .handler = [this](const Command& cmd) -> coconut::util::Expected<CommandResult> {
            // the generated chart is complete when helm sees it
            m_linted = cmd.argv.size() == 4 && fs::exists(fs::path(cmd.argv[3]) / "Chart.yaml") &&
                       fs::exists(fs::path(cmd.argv[3]) / "values.schema.json") &&
                       fs::exists(fs::path(cmd.argv[3]) / "values-staging.yaml") &&
                       fs::exists(fs::path(cmd.argv[3]) / "templates" / "services" / "web.yaml");
            return fake_result("1 chart(s) linted, 0 chart(s) failed\n");
        };
        runner->expect_prefix({"helm", "package"}).handler = [](const Command& cmd) -> coconut::util::Expected<CommandResult> {
            // helm package CHART --destination DIR
            if (cmd.argv.size() != 5 || cmd.argv[3] != "--destination") return fake_result("", "bad argv\n", 1);
            fs::path pkg = fs::path(cmd.argv[4]) / "shop-1.4.2.tgz";
            std::ofstream(pkg) << "tgz";
            return fake_result("Successfully packaged chart and saved it to: " + pkg.string() + "\n");
        };
    }

    coconut::util::TempDir m_tmp = coconut::util::TempDir::create("coconut-chart-test-").value();
    fs::path m_dir = m_tmp.path();
    bool m_linted = false;
};

}  // namespace

TEST_F(ChartActionTest, PackageLintsThenPackagesTheGeneratedChart) {
    GTestFakeRunner runner;
    runner.strict();
    expect_package(runner);
    auto r = ChartAction(options(), runner).package();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_TRUE(r->problems.empty());
    EXPECT_TRUE(m_linted);
    EXPECT_EQ(r->chart, "shop");
    EXPECT_EQ(r->version, "1.4.2");
    EXPECT_EQ(r->helm_version, "3.17.3");
    EXPECT_EQ(r->package, (m_dir / "out" / "shop-1.4.2.tgz").string());
    EXPECT_TRUE(fs::exists(r->package));
    const auto& calls = runner->calls();
    ASSERT_EQ(calls.size(), 3u);
    EXPECT_EQ(calls[1].argv[1], "lint");
    const std::string chart_dir = calls[1].argv[3];
    EXPECT_EQ(fs::path(chart_dir).filename(), "chart");
    EXPECT_EQ(calls[2].argv, (std::vector<std::string>{"helm", "package", chart_dir, "--destination", (m_dir / "out").string()}));
    EXPECT_FALSE(fs::exists(chart_dir)) << "the temporary chart directory is removed";
}

TEST_F(ChartActionTest, PushPackagesThenPushesWithPlainHttp) {
    GTestFakeRunner runner;
    runner.strict();
    expect_package(runner);
    runner->expect_prefix({"helm", "push"},
                          fake_result("", "Pushed: 127.0.0.1:5000/charts/shop:1.4.2\nDigest: sha256:abc123\n"));
    auto o = options();
    o.destination = "oci://127.0.0.1:5000/charts";
    o.plain_http = true;
    o.helm = "helm";
    auto r = ChartAction(o, runner).push();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->reference, "127.0.0.1:5000/charts/shop:1.4.2");
    EXPECT_EQ(r->digest, "sha256:abc123");
    auto pushes = runner->calls_matching({"helm", "push"});
    ASSERT_EQ(pushes.size(), 1u);
    const auto& argv = pushes[0].argv;
    ASSERT_EQ(argv.size(), 5u);
    EXPECT_EQ(fs::path(argv[2]).filename(), "shop-1.4.2.tgz");
    EXPECT_EQ(argv[3], "oci://127.0.0.1:5000/charts");
    EXPECT_EQ(argv[4], "--plain-http");
    EXPECT_FALSE(fs::exists(argv[2])) << "the package was in a temporary directory";
    EXPECT_FALSE(fs::exists(m_dir / "out")) << "push writes nothing into the output directory";
}

TEST_F(ChartActionTest, HelmBinaryCanBeNamed) {
    GTestFakeRunner runner;
    auto o = options();
    o.helm = "/opt/helm4/helm";
    o.lint = false;
    runner->expect({"/opt/helm4/helm", "version", "--short"}, fake_result("v4.1.4+g05fa379\n"));
    runner->expect_prefix({"/opt/helm4/helm", "package"}).handler = [](const Command& cmd) -> coconut::util::Expected<CommandResult> {
        fs::path pkg = fs::path(cmd.argv[4]) / "shop-1.4.2.tgz";
        std::ofstream(pkg) << "tgz";
        return fake_result("Successfully packaged chart and saved it to: " + pkg.string() + "\n");
    };
    auto r = ChartAction(o, runner).package();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->helm_version, "4.1.4");
    EXPECT_TRUE(runner->calls_matching({"/opt/helm4/helm", "lint"}).empty()) << "--no-lint";
}

TEST_F(ChartActionTest, HelmMissing) {
    GTestFakeRunner runner;
    runner->expect({"helm", "version", "--short"}).error =
        coconut::util::Error{coconut::util::ErrorCode::Failure, "helm: command not found (searched PATH=/usr/bin)", "helm"};
    auto o = options();
    o.destination = "oci://127.0.0.1:5000/charts";
    auto r = ChartAction(o, runner).push();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message,
              "helm not found on PATH; install Helm >= 3.8 (https://helm.sh/docs/intro/install/) or name the binary "
              "with --helm PATH");
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Failure);
}

TEST_F(ChartActionTest, HelmTooOldForOciPush) {
    GTestFakeRunner runner;
    runner->expect({"helm", "version", "--short"}, fake_result("v3.7.2+g663a896\n"));
    auto o = options();
    o.destination = "oci://127.0.0.1:5000/charts";
    auto r = ChartAction(o, runner).push();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message, "helm 3.7.2 is too old: coconut needs Helm >= 3.8 for OCI push (helm push); upgrade Helm");
    EXPECT_EQ(runner->calls().size(), 1u) << "nothing runs after the version check";
}

TEST_F(ChartActionTest, OldHelmStillPackages) {
    GTestFakeRunner runner;
    expect_package(runner, "v3.7.2+g663a896\n");
    auto r = ChartAction(options(), runner).package();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->helm_version, "3.7.2");
}

TEST_F(ChartActionTest, PushNeedsAnOciDestination) {
    GTestFakeRunner runner;
    auto o = options();
    o.destination = "https://charts.example.com";
    auto r = ChartAction(o, runner).push();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Usage);
    EXPECT_NE(r.error().message.find("oci://REGISTRY/REPOSITORY"), std::string::npos);
    EXPECT_TRUE(runner->calls().empty());
}

TEST_F(ChartActionTest, LintFailureQuotesHelmsFindings) {
    GTestFakeRunner runner;
    runner->expect({"helm", "version", "--short"}, fake_result("v3.17.3+ge4da497\n"));
    runner->expect_prefix({"helm", "lint"},
                          fake_result("==> Linting chart\n[ERROR] templates/: template: broken\n",
                                      "Error: 1 chart(s) linted, 1 chart(s) failed\n", 1));
    auto r = ChartAction(options(), runner).package();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("[ERROR] templates/: template: broken"), std::string::npos) << r.error().message;
    EXPECT_TRUE(runner->calls_matching({"helm", "package"}).empty());
}

TEST_F(ChartActionTest, SpecProblemsStopBeforeHelm) {
    write("coconut.yaml", "name: shop\nservices:\n  web: {type: web, image: nginx, prot: 80}\n");
    GTestFakeRunner runner;
    auto r = ChartAction(options(), runner).package();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_FALSE(r->problems.empty());
    EXPECT_TRUE(runner->calls().empty());
}
