// Unit tests of `coconut build` (actions/build.cpp) and the builder adapters
// (platform/builders): the argv of every step for buildah, podman and docker, detection order,
// git tags, push with digest read-back, coconut.lock, secrets kept out of argv, and errors that
// quote the builder. Every external command goes through a FakeRunner; tool outputs are the
// shapes the real tools print (buildah 1.28.2, podman 4.3.1, Docker 28).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "coconut/actions/build.hpp"
#include "coconut/platform/builders/image_builder.hpp"
#include "coconut/spec/lock.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/testing/fake_runner_gtest.hpp"

namespace fs = std::filesystem;
namespace actions = coconut::actions;
namespace platform = coconut::platform;
namespace builders = coconut::platform::builders;
namespace spec = coconut::spec;
using coconut::testing::FakeExpectation;
using coconut::testing::FakeRunner;
using coconut::testing::GTestFakeRunner;

namespace {

const std::string k_commit = "abc1234def5678901234567890abcdef12345678";
const std::string k_digest_a = "sha256:" + std::string(64, 'a');
const std::string k_digest_b = "sha256:" + std::string(64, 'b');
const std::string k_remote_secret = "gh0_t0ken_s3cr3t";

const char* k_spec = R"(apiVersion: coconut.dev/v1
name: demo
version: 1.0.0
registry: 127.0.0.1:5000/demo
services:
  hello:
    type: web
    build: {runtime: static, binary: bin/hello}
    port: 8080
    health: {path: /healthz}
  custom:
    type: backend
    build: {context: custom, runtime: dockerfile}
    port: 9000
  db:
    type: backend
    image: postgres:16.4
    port: 5432
)";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A project on disk: coconut.yaml, the static binary, the user's Dockerfile.
class Project {
public:
    explicit Project(const std::string& spec_text = k_spec)
        : m_tmp(coconut::util::TempDir::create("coconut-build-test-").value()), m_dir(m_tmp.path()) {
        fs::create_directories(m_dir / "bin");
        fs::create_directories(m_dir / "custom");
        std::ofstream(m_dir / "coconut.yaml") << spec_text;
        std::ofstream(m_dir / "bin/hello") << "\x7f" "ELF...";
        std::ofstream(m_dir / "custom/Dockerfile") << "FROM scratch\nCOPY x /x\n";
    }
    [[nodiscard]] std::string file() const { return (m_dir / "coconut.yaml").string(); }
    [[nodiscard]] fs::path dir() const { return m_dir; }

private:
    coconut::util::TempDir m_tmp;
    fs::path m_dir;
};

void expect_git(FakeRunner& r, bool dirty = false) {
    r.expect({"git", "rev-parse", "--short", "HEAD"}, FakeRunner::ok_result("abc1234\n"));
    r.expect({"git", "rev-parse", "HEAD"}, FakeRunner::ok_result(k_commit + "\n"));
    r.expect({"git", "status", "--porcelain", "--untracked-files=no"},
             FakeRunner::ok_result(dirty ? " M coconut.yaml\n" : ""));
    r.expect({"git", "config", "--get", "remote.origin.url"},
             FakeRunner::ok_result("https://ci-bot:" + k_remote_secret + "@github.com/acme/demo.git\n"));
}

void expect_no_git(FakeRunner& r) {
    r.expect({"git", "rev-parse", "--short", "HEAD"},
             FakeRunner::ok_result("", "fatal: not a git repository (or any of the parent directories): .git\n", 128));
}

void expect_buildah_version(FakeRunner& r) {
    r.expect({"buildah", "--version"},
             FakeRunner::ok_result("buildah version 1.28.2 (image-spec 1.1.0-rc2, runtime-spec 1.0.2-dev)\n"));
}

std::string value_after(const std::vector<std::string>& argv, const std::string& flag) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == flag) return argv[i + 1];
    return {};
}

std::vector<std::string> values_after(const std::vector<std::string>& argv, const std::string& flag) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == flag) out.push_back(argv[i + 1]);
    return out;
}

std::string basename(const std::string& p) { return fs::path(p).filename().string(); }

// A push that writes `digest` into the --digestfile, as buildah/podman do.
FakeExpectation& expect_push(FakeRunner& r, const std::string& tool, const std::string& digest) {
    auto& e = r.expect_prefix({tool, "push"});
    e.handler = [digest](const platform::Command& c) -> coconut::util::Expected<platform::CommandResult> {
        std::ofstream(value_after(c.argv, "--digestfile")) << digest;
        if (c.on_line) c.on_line("Copying blob 0123abcd done", true);
        return FakeRunner::ok_result("", "Getting image source signatures\nWriting manifest to image destination\n");
    };
    return e;
}

actions::BuildOptions options(const Project& p) {
    actions::BuildOptions o;
    o.file = p.file();
    o.created = "2024-05-01T12:00:00Z";
    return o;
}

TEST(BuildAction, BuildahBuildsTagsPushesAndRecordsTheLock) {
    Project p;
    GTestFakeRunner fake;
    fake.strict();
    expect_git(*fake);
    expect_buildah_version(*fake);
    std::vector<std::string> dockerfiles;
    auto& bud = fake->expect_prefix({"buildah", "bud"});
    bud.times = 2;
    bud.handler = [&](const platform::Command& c) -> coconut::util::Expected<platform::CommandResult> {
        dockerfiles.push_back(slurp(value_after(c.argv, "-f")));
        if (c.on_line) {
            c.on_line("STEP 1/6: FROM scratch", false);
            c.on_line("COMMIT 127.0.0.1:5000/demo/demo-hello:1.0.0", false);
        }
        return FakeRunner::ok_result("STEP 1/6: FROM scratch\n");
    };
    expect_push(*fake, "buildah", k_digest_a).times = 2;   // custom: both tags
    expect_push(*fake, "buildah", k_digest_b).times = 2;   // hello: both tags

    std::vector<std::string> output, steps;
    actions::BuildEvents events;
    events.on_output = [&](std::string_view svc, std::string_view line, bool) {
        output.push_back(std::string(svc) + "|" + std::string(line));
    };
    events.on_step = [&](std::string_view svc, std::string_view msg) { steps.push_back(std::string(svc) + ": " + std::string(msg)); };
    auto o = options(p);
    o.push = true;
    o.services = {"custom", "hello"};
    auto r = actions::BuildAction(o, *fake, events).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_TRUE(r->problems.empty());
    EXPECT_EQ(r->builder, "buildah 1.28.2");
    EXPECT_EQ(r->commit, "abc1234");
    ASSERT_EQ(r->images.size(), 2u);
    EXPECT_EQ(r->images[0].reference(), "127.0.0.1:5000/demo/demo-custom:1.0.0@" + k_digest_a);
    EXPECT_EQ(r->images[1].reference(), "127.0.0.1:5000/demo/demo-hello:1.0.0@" + k_digest_b);

    // The user's Dockerfile: built as it is, labels on the command line.
    const auto builds = fake->calls_matching({"buildah", "bud"});
    ASSERT_EQ(builds.size(), 2u);
    const auto& custom = builds[0].argv;
    EXPECT_EQ(std::vector<std::string>(custom.begin() + 1, custom.begin() + 6),
              (std::vector<std::string>{"bud", "--format", "docker", "-f", (p.dir() / "custom/Dockerfile").string()}));
    EXPECT_EQ(value_after(custom, "--ignorefile"), "");
    const auto labels = values_after(custom, "--label");
    EXPECT_NE(std::find(labels.begin(), labels.end(), "org.opencontainers.image.revision=" + k_commit), labels.end());
    EXPECT_NE(std::find(labels.begin(), labels.end(), "org.opencontainers.image.source=https://github.com/acme/demo"),
              labels.end());
    EXPECT_NE(std::find(labels.begin(), labels.end(), "org.opencontainers.image.created=2024-05-01T12:00:00Z"), labels.end());
    EXPECT_EQ(values_after(custom, "-t"), (std::vector<std::string>{"127.0.0.1:5000/demo/demo-custom:1.0.0",
                                                                     "127.0.0.1:5000/demo/demo-custom:abc1234"}));
    EXPECT_EQ(custom.back(), (p.dir() / "custom").string());

    // The preset: the generated Dockerfile and .dockerignore from a temporary directory, label
    // values as build args.
    const auto& hello = builds[1].argv;
    EXPECT_EQ(basename(value_after(hello, "-f")), "Dockerfile");
    EXPECT_EQ(basename(value_after(hello, "--ignorefile")), ".dockerignore");
    EXPECT_EQ(values_after(hello, "--build-arg"),
              (std::vector<std::string>{"CREATED=2024-05-01T12:00:00Z", "REVISION=" + k_commit,
                                        "SOURCE=https://github.com/acme/demo"}));
    EXPECT_EQ(hello.back(), p.dir().string());
    EXPECT_EQ(hello[0], "buildah") << "run by name, so messages say `buildah failed ...`";
    ASSERT_EQ(dockerfiles.size(), 2u);
    EXPECT_NE(dockerfiles[1].find("USER 10001:10001"), std::string::npos);
    EXPECT_NE(dockerfiles[1].find("COPY bin/hello /app/hello"), std::string::npos);
    EXPECT_FALSE(fs::exists(value_after(hello, "-f"))) << "the temporary build files are removed";

    // Pushes: local registry -> no TLS verification; digest read back from the digest file.
    const auto pushes = fake->calls_matching({"buildah", "push"});
    ASSERT_EQ(pushes.size(), 4u);
    const auto& push = pushes[2].argv;
    ASSERT_EQ(push.size(), 7u);
    EXPECT_EQ(push[2], "--tls-verify=false");
    EXPECT_EQ(push[3], "--digestfile");
    EXPECT_EQ(push[5], "127.0.0.1:5000/demo/demo-hello:1.0.0");
    EXPECT_EQ(push[6], "docker://127.0.0.1:5000/demo/demo-hello:1.0.0");
    EXPECT_EQ(pushes[3].argv[5], "127.0.0.1:5000/demo/demo-hello:abc1234");

    // Progress and output lines, per service.
    EXPECT_NE(std::find(output.begin(), output.end(), "hello|STEP 1/6: FROM scratch"), output.end());
    EXPECT_NE(std::find(output.begin(), output.end(), "hello|Copying blob 0123abcd done"), output.end());
    EXPECT_NE(std::find(steps.begin(), steps.end(), "hello: pushed 127.0.0.1:5000/demo/demo-hello:1.0.0@" + k_digest_b),
              steps.end());

    // The remote's credentials never reach argv or the image.
    EXPECT_FALSE(fake->argv_contains(k_remote_secret));

    // coconut.lock beside the spec.
    EXPECT_EQ(r->lock_file, (p.dir() / "coconut.lock").string());
    auto lock = spec::read_lock(p.dir() / "coconut.lock");
    ASSERT_TRUE(lock.has_value()) << lock.error().message;
    ASSERT_EQ(lock->entries.size(), 2u);
    const auto* e = lock->find("hello");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->image, "127.0.0.1:5000/demo/demo-hello");
    EXPECT_EQ(e->version, "1.0.0");
    EXPECT_EQ(e->tags, (std::vector<std::string>{"1.0.0", "abc1234"}));
    EXPECT_EQ(e->digest, k_digest_b);
    EXPECT_EQ(e->revision, k_commit);
    EXPECT_EQ(e->builder, "buildah 1.28.2");
    EXPECT_EQ(slurp(p.dir() / "coconut.lock").find("2024"), std::string::npos) << "no timestamps in the lock";
}

TEST(BuildAction, WithoutPushNothingIsPushedOrLocked) {
    Project p;
    GTestFakeRunner fake;
    fake.strict();
    expect_git(*fake, /*dirty=*/true);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"}).times = 2;
    auto r = actions::BuildAction(options(p), *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ASSERT_EQ(r->images.size(), 2u) << "every service with build: (hello, custom), not the prebuilt db";
    EXPECT_EQ(r->commit, "abc1234-dirty");
    EXPECT_EQ(r->images[0].tags, (std::vector<std::string>{"1.0.0", "abc1234-dirty"}));
    EXPECT_TRUE(r->images[0].digest.empty());
    EXPECT_TRUE(r->lock_file.empty());
    EXPECT_FALSE(fs::exists(p.dir() / "coconut.lock"));
    EXPECT_TRUE(fake->calls_matching({"buildah", "push"}).empty());
}

TEST(BuildAction, OutsideGitTagsTheVersionOnly) {
    Project p;
    GTestFakeRunner fake;
    expect_no_git(*fake);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"});
    auto o = options(p);
    o.services = {"hello"};
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->commit, "");
    EXPECT_EQ(r->images.at(0).tags, (std::vector<std::string>{"1.0.0"}));
    ASSERT_EQ(r->notes.size(), 1u);
    EXPECT_NE(r->notes[0].find("not in a git work tree"), std::string::npos);
    const auto build = fake->calls_matching({"buildah", "bud"}).at(0).argv;
    EXPECT_EQ(values_after(build, "--build-arg"), (std::vector<std::string>{"CREATED=2024-05-01T12:00:00Z"}));
}

TEST(BuildAction, GitNotInstalledIsNotAnError) {
    Project p;
    GTestFakeRunner fake;
    auto& git = fake->expect_prefix({"git"});
    git.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "git: not found on PATH", {}};
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"});
    auto o = options(p);
    o.services = {"hello"};
    o.tag = "ci-42";
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->images.at(0).tags, (std::vector<std::string>{"ci-42"}));
}

TEST(BuildAction, RegistryPasswordGoesThroughStdinOnly) {
    Project p;
    GTestFakeRunner fake;
    expect_git(*fake);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"});
    fake->expect({"buildah", "login", "--username", "robot", "--password-stdin", "registry.example.com"},
                 FakeRunner::ok_result("Login Succeeded!\n"));
    expect_push(*fake, "buildah", k_digest_a).times = 2;
    auto o = options(p);
    o.services = {"hello"};
    o.push = true;
    o.registry = "registry.example.com/team";
    o.registry_username = "robot";
    o.registry_password = "pa$$w0rd-very-secret";
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    const auto logins = fake->calls_matching({"buildah", "login"});
    ASSERT_EQ(logins.size(), 1u);
    EXPECT_EQ(logins[0].stdin_data, "pa$$w0rd-very-secret\n");
    EXPECT_FALSE(fake->argv_contains("pa$$w0rd"));
    // A remote registry: TLS is verified.
    const auto push = fake->calls_matching({"buildah", "push"}).at(0).argv;
    EXPECT_EQ(push[2], "--digestfile");
    EXPECT_EQ(push.back(), "docker://registry.example.com/team/demo-hello:1.0.0");
    // The lock records where the image went; the spec's own registry differs, so `generate`
    // would not pin it (see lock_test.cpp).
    EXPECT_EQ(spec::read_lock(p.dir() / "coconut.lock")->find("hello")->image, "registry.example.com/team/demo-hello");
}

TEST(BuildAction, InsecureRegistryFlagDisablesTlsVerification) {
    Project p;
    GTestFakeRunner fake;
    expect_no_git(*fake);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"});
    expect_push(*fake, "buildah", k_digest_a);
    auto o = options(p);
    o.services = {"hello"};
    o.push = true;
    o.registry = "registry.lan:5000/team";
    o.insecure_registry = true;
    ASSERT_TRUE(actions::BuildAction(o, *fake).run().has_value());
    EXPECT_EQ(fake->calls_matching({"buildah", "push"}).at(0).argv[2], "--tls-verify=false");
}

TEST(BuildAction, PodmanArgv) {
    Project p;
    GTestFakeRunner fake;
    fake.strict();
    expect_no_git(*fake);
    fake->expect({"podman", "--version"}, FakeRunner::ok_result("podman version 4.3.1\n"));
    fake->expect_prefix({"podman", "build", "--format", "docker", "-f"});
    expect_push(*fake, "podman", k_digest_a);
    auto o = options(p);
    o.services = {"hello"};
    o.push = true;
    o.builder = "podman";
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->builder, "podman 4.3.1");
    const auto build = fake->calls_matching({"podman", "build"}).at(0).argv;
    EXPECT_EQ(basename(value_after(build, "--ignorefile")), ".dockerignore");
    const auto push = fake->calls_matching({"podman", "push"}).at(0).argv;
    EXPECT_EQ(std::vector<std::string>(push.begin() + 1, push.begin() + 4),
              (std::vector<std::string>{"push", "--tls-verify=false", "--digestfile"}));
    EXPECT_EQ(r->images.at(0).digest, k_digest_a);
}

TEST(BuildAction, DockerArgvAndDigestFromPushOutput) {
    Project p;
    GTestFakeRunner fake;
    fake.strict();
    expect_no_git(*fake);
    fake->expect({"docker", "--version"}, FakeRunner::ok_result("Docker version 28.2.2, build e6534b4\n"));
    fake->expect({"docker", "version", "--format", "{{.Server.Version}}"}, FakeRunner::ok_result("28.2.2\n"));
    fake->expect_prefix({"docker", "build", "--progress=plain", "-f"});
    fake->expect({"docker", "push", "127.0.0.1:5000/demo/demo-hello:1.0.0"},
                 FakeRunner::ok_result("The push refers to repository [127.0.0.1:5000/demo/demo-hello]\n"
                                                 "5f70bf18a086: Pushed\n"
                                                 "1.0.0: digest: " + k_digest_b + " size: 528\n"));
    auto o = options(p);
    o.services = {"hello"};
    o.push = true;
    o.builder = "docker";
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->images.at(0).digest, k_digest_b);
    const auto calls = fake->calls_matching({"docker", "build"});
    ASSERT_EQ(calls.size(), 1u);
    const auto& build = calls[0].argv;
    EXPECT_EQ(value_after(build, "--ignorefile"), "") << "docker has no such flag";
    EXPECT_EQ(calls[0].env, (std::vector<std::pair<std::string, std::string>>{{"DOCKER_BUILDKIT", "1"}}));
    EXPECT_EQ(values_after(build, "-t"), (std::vector<std::string>{"127.0.0.1:5000/demo/demo-hello:1.0.0"}));
}

TEST(BuilderSelection, DetectsInOrderAndExplainsWhatIsMissing) {
    GTestFakeRunner fake;
    auto& b = fake->expect({"buildah", "--version"});
    b.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "buildah: not found on PATH", {}};
    auto& p = fake->expect({"podman", "--version"});
    p.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "podman: not found on PATH", {}};
    fake->expect({"docker", "--version"}, FakeRunner::ok_result("Docker version 28.2.2, build e6534b4\n"));
    fake->expect({"docker", "version", "--format", "{{.Server.Version}}"},
                 FakeRunner::ok_result("", "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                                                     "Is the docker daemon running?\n", 1));
    auto r = builders::select_builder(*fake, "");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("buildah: buildah: not found"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("docker: the docker daemon is not reachable: Cannot connect"), std::string::npos)
        << r.error().message;

    GTestFakeRunner fake2;
    auto& b2 = fake2->expect({"buildah", "--version"});
    b2.error = coconut::util::Error{coconut::util::ErrorCode::Failure, "buildah: not found on PATH", {}};
    fake2->expect({"podman", "--version"}, FakeRunner::ok_result("podman version 4.3.1\n"));
    auto r2 = builders::select_builder(*fake2, "");
    ASSERT_TRUE(r2.has_value());
    EXPECT_EQ(r2->builder->name(), "podman");

    GTestFakeRunner fake3;
    auto r3 = builders::select_builder(*fake3, "buildha");
    ASSERT_FALSE(r3.has_value());
    EXPECT_EQ(r3.error().code, coconut::util::ErrorCode::Usage);
    EXPECT_NE(r3.error().message.find("did you mean 'buildah'"), std::string::npos);
    EXPECT_EQ(builders::BuilderRegistry::instance().names(), (std::vector<std::string>{"buildah", "podman", "docker"}));
}

TEST(BuildAction, BuildFailureQuotesTheBuilder) {
    Project p;
    GTestFakeRunner fake;
    expect_no_git(*fake);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"},
                        FakeRunner::ok_result(
                            "STEP 1/7: FROM scratch\nSTEP 2/7: WORKDIR /app\n",
                            "Error: building at STEP \"COPY bin/hello /app/hello\": checking on sources under "
                            "\"/src\": copier: stat: \"/bin/hello\": no such file or directory\n",
                            125));
    auto o = options(p);
    o.services = {"hello"};
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, coconut::util::ErrorCode::Failure);
    EXPECT_NE(r.error().message.find("hello: image build failed: buildah failed with exit code 125"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("no such file or directory"), std::string::npos) << r.error().message;
}

TEST(BuildAction, ImagesPushedBeforeAFailureAreStillLocked) {
    Project p;
    // An existing lock: an entry for a service that no longer exists is dropped, others kept.
    spec::Lock old;
    old.put({"gone", "127.0.0.1:5000/demo/demo-gone", "0.9.0", {"0.9.0"}, k_digest_b, "", "buildah 1.28.2"});
    old.put({"custom", "127.0.0.1:5000/demo/demo-custom", "0.9.0", {"0.9.0"}, k_digest_b, "", "buildah 1.28.2"});
    ASSERT_TRUE(spec::write_lock(p.dir() / "coconut.lock", old).has_value());

    GTestFakeRunner fake;
    expect_no_git(*fake);
    expect_buildah_version(*fake);
    fake->expect_prefix({"buildah", "bud"}).times = 2;
    expect_push(*fake, "buildah", k_digest_a);  // hello
    fake->expect_prefix({"buildah", "push"},
                        FakeRunner::ok_result("", "Error: pushing image: connection refused\n", 125));
    auto o = options(p);
    o.services = {"hello", "custom"};
    o.push = true;
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("custom: push failed"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("connection refused"), std::string::npos);
    auto lock = spec::read_lock(p.dir() / "coconut.lock");
    ASSERT_TRUE(lock.has_value());
    ASSERT_EQ(lock->entries.size(), 2u);
    EXPECT_EQ(lock->find("hello")->digest, k_digest_a);
    EXPECT_EQ(lock->find("custom")->version, "0.9.0") << "the failed service keeps its previous entry";
    EXPECT_EQ(lock->find("gone"), nullptr);
}

TEST(BuildAction, UsageErrors) {
    Project p;
    auto run = [&](actions::BuildOptions o) {
        GTestFakeRunner fake;
        fake->expect_prefix({"git"}).times = 0;
        fake->expect({"buildah", "--version"}, FakeRunner::ok_result("buildah version 1.28.2\n")).times = 0;
        auto r = actions::BuildAction(std::move(o), *fake).run();
        EXPECT_FALSE(r.has_value());
        EXPECT_TRUE(fake->calls_matching({"buildah", "bud"}).empty());
        return r ? coconut::util::Error{} : r.error();
    };
    auto o = options(p);
    o.services = {"helo"};
    auto e = run(o);
    EXPECT_EQ(e.code, coconut::util::ErrorCode::Usage);
    EXPECT_NE(e.message.find("did you mean 'hello'"), std::string::npos) << e.message;
    o.services = {"db"};
    EXPECT_NE(run(o).message.find("prebuilt image postgres:16.4"), std::string::npos);
    o.services = {"hello"};
    o.tag = "bad tag";
    EXPECT_NE(run(o).message.find("not a valid image tag"), std::string::npos);

    Project no_registry(std::string(k_spec).replace(std::string(k_spec).find("registry: 127.0.0.1:5000/demo\n"),
                                                    std::string("registry: 127.0.0.1:5000/demo\n").size(), ""));
    auto o2 = options(no_registry);
    o2.push = true;
    e = run(o2);
    EXPECT_EQ(e.code, coconut::util::ErrorCode::Usage);
    EXPECT_NE(e.message.find("--push needs a registry"), std::string::npos) << e.message;
}

TEST(BuildAction, MissingStaticBinaryIsReportedBeforeBuilding) {
    Project p;
    fs::remove(p.dir() / "bin/hello");
    GTestFakeRunner fake;
    expect_no_git(*fake);
    expect_buildah_version(*fake);
    auto o = options(p);
    o.services = {"hello"};
    auto r = actions::BuildAction(o, *fake).run();
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("services.hello.build.binary"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("build the binary before the image"), std::string::npos);
}

TEST(BuildHelpers, SourceUrlFromRemote) {
    EXPECT_EQ(actions::source_url_from_remote("https://user:token@github.com/acme/app.git\n"), "https://github.com/acme/app");
    EXPECT_EQ(actions::source_url_from_remote("git@github.com:acme/app.git"), "https://github.com/acme/app");
    EXPECT_EQ(actions::source_url_from_remote("ssh://git@gitlab.example.com:2222/group/app.git"),
              "https://gitlab.example.com/group/app");
    EXPECT_EQ(actions::source_url_from_remote("https://gitlab.example.com/group/sub/app/"),
              "https://gitlab.example.com/group/sub/app");
    EXPECT_EQ(actions::source_url_from_remote("/srv/git/app.git"), "");
    EXPECT_EQ(actions::source_url_from_remote("file:///srv/git/app.git"), "");
}

TEST(BuildHelpers, VersionTagsAndLocalRegistries) {
    EXPECT_EQ(actions::version_tag("1.4.2"), "1.4.2");
    EXPECT_EQ(actions::version_tag("0.3.0+build.7"), "0.3.0_build.7");
    EXPECT_EQ(actions::version_tag("1.0 beta"), "");
    EXPECT_TRUE(actions::is_local_registry("127.0.0.1:5000/demo"));
    EXPECT_TRUE(actions::is_local_registry("localhost:5000"));
    EXPECT_TRUE(actions::is_local_registry("[::1]:5000/x"));
    EXPECT_FALSE(actions::is_local_registry("registry.example.com/team"));
    EXPECT_FALSE(actions::is_local_registry("localhost.example.com/team"));
    EXPECT_FALSE(actions::is_local_registry(""));
}

}  // namespace
