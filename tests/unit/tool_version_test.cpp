#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "coconut/platform/tool_version.hpp"
#include "coconut/testing/fake_runner.hpp"
#include "coconut/testing/fake_runner_gtest.hpp"
#include "coconut/util/fs.hpp"

namespace fs = std::filesystem;
using namespace coconut::platform;
using namespace coconut::testing;

namespace {

Version v(std::string_view s) {
    auto parsed = parse_version(s);
    EXPECT_TRUE(parsed) << s;
    return parsed.value_or(Version{});
}

// The stdout recorded from a real tool in tests/fakes/tool-versions/<file>.
std::string recorded(const std::string& file) {
    fs::path dir = fs::path(COCONUT_SOURCE_DIR) / "tests" / "fakes" / "tool-versions";
    auto text = coconut::util::read_file(dir / file);
    EXPECT_TRUE(text) << file;
    auto fake = parse_fake(text.value_or("{}"), dir, file);
    EXPECT_TRUE(fake) << file << ": " << (fake ? "" : fake.error().message);
    return fake ? fake->result.out : std::string();
}

std::string found(std::string_view output, std::string_view tool) {
    auto ver = find_version(output, tool);
    if (!ver) return "(none)";
    std::string s = ver->to_string();
    if (!ver->build.empty()) s += "+" + ver->build;
    return s;
}

}  // namespace

TEST(ToolVersion, ParseVersion) {
    Version a = v("v3.17.3+ge4da497");
    EXPECT_EQ(a.major, 3);
    EXPECT_EQ(a.minor, 17);
    EXPECT_EQ(a.patch, 3);
    EXPECT_EQ(a.build, "ge4da497");
    EXPECT_EQ(a.to_string(), "3.17.3");
    Version b = v("  3.8 ");
    EXPECT_EQ(b.components, 2);
    EXPECT_EQ(b.to_string(), "3.8");
    EXPECT_EQ(v("1.0.2-dev").prerelease, "dev");
    EXPECT_EQ(v("2").to_string(), "2");
    EXPECT_EQ(v("1.2.3-rc.1+build.5").to_string(), "1.2.3-rc.1");
    EXPECT_FALSE(parse_version(""));
    EXPECT_FALSE(parse_version("v"));
    EXPECT_FALSE(parse_version("3.8 beta"));
    EXPECT_FALSE(parse_version("x3.8"));
    EXPECT_FALSE(parse_version("1234567890.1"));
}

TEST(ToolVersion, Ordering) {
    EXPECT_LT(v("3.7.0"), v("3.8"));
    EXPECT_EQ(v("3.8"), v("3.8.0"));
    EXPECT_EQ(v("v3.8.0+abc"), v("3.8.0+def"));  // build metadata is ignored
    EXPECT_LT(v("3.10.0"), v("3.17.3"));          // numeric, not lexical
    EXPECT_LT(v("4.0.0-rc.1"), v("4.0.0"));
    EXPECT_LT(v("1.0.0-alpha"), v("1.0.0-alpha.1"));
    EXPECT_LT(v("1.0.0-alpha.1"), v("1.0.0-alpha.beta"));
    EXPECT_LT(v("1.0.0-beta.2"), v("1.0.0-beta.11"));
    EXPECT_LT(v("1.0.0-rc.1"), v("1.0.0"));
    EXPECT_GT(v("4.1.4"), v("3.17.3"));
}

TEST(ToolVersion, MeetsMinimumComparesNumbersOnly) {
    EXPECT_TRUE(meets_minimum(v("3.8.0"), v("3.8")));
    EXPECT_TRUE(meets_minimum(v("3.17.3"), v("3.8")));
    EXPECT_TRUE(meets_minimum(v("4.1.4"), v("3.8")));
    EXPECT_FALSE(meets_minimum(v("3.7.2"), v("3.8")));
    // Vendor / distribution decorations do not make the named version "older than itself".
    EXPECT_TRUE(meets_minimum(v("1.32.4-dispatcher"), v("1.32.4")));
    EXPECT_TRUE(meets_minimum(v("1.27.4-eks-8ccc7ba"), v("1.27")));
}

TEST(ToolVersion, RealToolOutputs) {
    // Outputs recorded from the real binaries (see the comments in the fake files).
    EXPECT_EQ(found(recorded("010-helm-v3.json"), "helm"), "3.17.3+ge4da497");
    EXPECT_EQ(found(recorded("020-helm-v4.json"), "helm"), "4.1.4+g05fa379");
    EXPECT_EQ(found(recorded("030-kubectl.json"), "kubectl"), "1.32.4-dispatcher");      // not Kustomize's 5.5.0
    EXPECT_EQ(found(recorded("040-kubectl-json.json"), "kubectl"), "1.32.4-dispatcher");  // not go1.23.8
    EXPECT_EQ(found(recorded("050-buildah.json"), "buildah"), "1.28.2");                  // not image-spec 1.1.0-rc2
    EXPECT_EQ(found(recorded("060-podman.json"), "podman"), "4.3.1");
    EXPECT_EQ(found(recorded("070-docker.json"), "docker"), "28.2.2");
    EXPECT_EQ(found(recorded("080-skopeo.json"), "skopeo"), "1.9.3");
    EXPECT_EQ(found(recorded("090-promtool.json"), "promtool"), "2.42.0+ds");
    EXPECT_EQ(found(recorded("100-git.json"), "git"), "2.39.5");
}

TEST(ToolVersion, OtherKnownFormats) {
    EXPECT_EQ(found("buildah version 1.28.2 (image-spec 1.0.2-dev, runtime-spec 1.0.2-dev)\n", "buildah"), "1.28.2");
    EXPECT_EQ(found("Docker version 20.10.24+dfsg1, build 297e128\n", "docker"), "20.10.24+dfsg1");
    EXPECT_EQ(found("v3.7.0+geeac838\n", "helm"), "3.7.0+geeac838");
    EXPECT_EQ(found("Client: v2.16.1+gbbdfe5e\n", "helm"), "2.16.1+gbbdfe5e");
    // kubectl before 1.28 printed a Go struct (and a deprecation warning first).
    EXPECT_EQ(found("WARNING: This version information is deprecated ...\n"
                    "Client Version: version.Info{Major:\"1\", Minor:\"25\", GitVersion:\"v1.25.0\", "
                    "GitCommit:\"a866cbe2e5bbaa01cfd5e969aa3e033f3282a8a2\", GoVersion:\"go1.19\"}\n"
                    "Kustomize Version: v4.5.7\n",
                    "kubectl"),
              "1.25.0");
    EXPECT_EQ(found("ansible-playbook [core 2.14.3]\n  config file = None\n  python version = 3.11.2\n", "ansible-playbook"),
              "2.14.3");
    EXPECT_EQ(found("aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.debian.12\n", "aws"), "2.15.0");
    EXPECT_EQ(found("copilot version: v1.32.1\n", "copilot"), "1.32.1");
    EXPECT_EQ(found("v1.1.1\n", "age"), "1.1.1");
    EXPECT_EQ(found("no version here, just go1.23 and x2.3\n", "thing"), "(none)");
    EXPECT_EQ(found("", "helm"), "(none)");
}

TEST(ToolVersion, TooOldHasAClearMessage) {
    GTestFakeRunner fake;
    fake->expect({"helm", "version", "--short"}, fake_result("v3.7.0+geeac838\n"));
    auto r = require_tool(*fake, "helm", "3.8", "for OCI push", "/usr/bin/helm");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "helm 3.7.0 is too old: coconut needs Helm >= 3.8 for OCI push (found at /usr/bin/helm)");
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Failure);
}

TEST(ToolVersion, PathComesFromTheRunnerNotTheMachine) {
    GTestFakeRunner fake;
    fake->set_program_path("helm", "/opt/helm-3.7/bin/helm");
    fake->expect({"helm", "version", "--short"}, fake_result("v3.7.0+geeac838\n"));
    auto r = require_tool(*fake, "helm", "3.8", "for OCI push");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "helm 3.7.0 is too old: coconut needs Helm >= 3.8 for OCI push (found at /opt/helm-3.7/bin/helm)");
    EXPECT_EQ(fake->calls().at(0).argv.at(0), "/opt/helm-3.7/bin/helm");  // the binary that was found is run

    // Unconfigured names are run by name (the same on every machine, whatever is installed).
    fake->expect({"podman", "--version"}, fake_result("podman version 4.3.1\n"));
    auto p = detect_tool(*fake, "podman");
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->path, "podman");
    EXPECT_EQ(fake->calls().at(1).argv, (std::vector<std::string>{"podman", "--version"}));

    // A tool the runner cannot find is reported without running anything.
    fake->set_program_path("copilot", "");
    auto c = require_tool(*fake, "copilot", "1.30", "to deploy to ECS");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().message.rfind("coconut needs AWS Copilot >= 1.30 to deploy to ECS, but copilot: command not found", 0), 0u)
        << c.error().message;
    EXPECT_EQ(fake->calls().size(), 2u);
}

TEST(ToolVersion, NewEnoughPasses) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"buildah", "--version"},
                 fake_result("buildah version 1.28.2 (image-spec 1.1.0-rc2, runtime-spec 1.0.2-dev)\n"));
    auto r = require_tool(*fake, "buildah", "1.23", "", "/usr/bin/buildah");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->version.to_string(), "1.28.2");
    EXPECT_EQ(r->path, "/usr/bin/buildah");
    EXPECT_EQ(fake->calls().at(0).argv, (std::vector<std::string>{"/usr/bin/buildah", "--version"}));
    EXPECT_GT(fake->calls().at(0).timeout.count(), 0);  // a hung tool cannot hang coconut
}

TEST(ToolVersion, MissingBrokenOrUnparseableTool) {
    GTestFakeRunner fake;
    FakeExpectation missing;
    missing.argv = {"helm"};
    missing.prefix = true;
    missing.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "helm: command not found (searched PATH=/usr/bin:/bin)", {}};
    fake->add(missing);
    auto r = require_tool(*fake, "helm", "3.8", "for OCI push", "helm");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "coconut needs Helm >= 3.8 for OCI push, but helm: command not found (searched PATH=/usr/bin:/bin)");

    fake->expect({"podman", "--version"}, fake_result("", "Error: cannot re-exec process\n", 125));
    auto p = detect_tool(*fake, "podman", "/usr/bin/podman");
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("cannot get the version of podman"), std::string::npos) << p.error().message;
    EXPECT_NE(p.error().message.find("exit code 125"), std::string::npos) << p.error().message;
    EXPECT_NE(p.error().message.find("cannot re-exec process"), std::string::npos) << p.error().message;

    fake->expect({"docker", "--version"}, fake_result("Docker, build unknown\n"));
    auto d = detect_tool(*fake, "docker", "/usr/local/bin/docker");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().message,
              "cannot tell the version of docker (/usr/local/bin/docker) from `/usr/local/bin/docker --version`: "
              "'Docker, build unknown'");
}

TEST(ToolVersion, KnownToolsHaveVersionCommands) {
    for (const ToolSpec& t : known_tools()) {
        EXPECT_FALSE(t.display_name.empty()) << t.name;
        EXPECT_FALSE(t.version_args.empty()) << t.name;
    }
    ASSERT_NE(find_tool_spec("helm"), nullptr);
    EXPECT_EQ(find_tool_spec("helm")->version_args, (std::vector<std::string>{"version", "--short"}));
    EXPECT_EQ(find_tool_spec("no-such-tool"), nullptr);
}

TEST(ToolVersion, AdviceRewordsMissingAndTooOld) {
    ToolAdvice advice;
    advice.missing = "helm not found on PATH; install Helm >= 3.8";
    advice.too_old = "upgrade Helm";

    GTestFakeRunner fake;
    fake->expect({"helm", "version", "--short"}).error =
        coconut::util::Error{coconut::util::ErrorCode::Failure, "helm: command not found (searched PATH=/usr/bin)", "helm"};
    auto missing = require_tool(*fake, "helm", "3.8", "for OCI push", "helm", advice);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "helm not found on PATH; install Helm >= 3.8");
    EXPECT_EQ(missing.error().code, coconut::util::ErrorCode::Failure);

    fake->expect({"helm", "version", "--short"}, fake_result("v3.7.2+g663a896\n"));
    auto old = require_tool(*fake, "helm", "3.8", "for OCI push", "helm", advice);
    ASSERT_FALSE(old);
    EXPECT_EQ(old.error().message, "helm 3.7.2 is too old: coconut needs Helm >= 3.8 for OCI push; upgrade Helm");

    // A helm that runs but fails is not "missing": the default wording, with its error.
    fake->expect({"helm", "version", "--short"}, fake_result("", "Error: broken install\n", 1));
    auto broken = require_tool(*fake, "helm", "3.8", "for OCI push", "helm", advice);
    ASSERT_FALSE(broken);
    EXPECT_EQ(broken.error().message.rfind("coconut needs Helm >= 3.8 for OCI push, but cannot get the version of helm", 0), 0u)
        << broken.error().message;

    // Ctrl-C is passed on as it came.
    fake->expect({"helm", "version", "--short"}).error =
        coconut::util::Error{coconut::util::ErrorCode::Interrupted, "interrupted before running helm version --short", {}};
    auto interrupted = require_tool(*fake, "helm", "3.8", "", "helm", advice);
    ASSERT_FALSE(interrupted);
    EXPECT_EQ(interrupted.error().code, coconut::util::ErrorCode::Interrupted);
}
