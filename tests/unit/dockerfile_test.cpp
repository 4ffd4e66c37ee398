// Unit tests of the `dockerfile` generator's rules, for every preset: numeric non-root USER equal
// to run_as_user, no ADD, exec-form ENTRYPOINT/CMD/HEALTHCHECK, OCI labels, pinned bases,
// multi-stage builds, package-install hygiene; overrides (base/builder image by digest, health
// check command, packages) and the errors for what must not be generated. Specs built in C++.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/generate/dockerfile/dockerfile_generator.hpp"
#include "coconut/generate/dockerfile/image_ref.hpp"
#include "coconut/util/strings.hpp"

namespace df = coconut::generate::dockerfile;
namespace spec = coconut::spec;
using coconut::util::starts_with;

namespace {

const std::string k_digest = "sha256:" + std::string(64, 'a');

struct Instruction {
    std::string keyword;  // upper case
    std::string args;     // continuation lines joined
};

// A small Dockerfile reader: comments dropped, `\` continuations joined.
std::vector<Instruction> parse(const std::string& text) {
    std::vector<Instruction> out;
    std::string pending;
    for (const auto& raw : coconut::util::split(text, '\n')) {
        std::string line = coconut::util::trim(raw);
        if (pending.empty() && (line.empty() || line[0] == '#')) continue;
        if (!line.empty() && line.back() == '\\') {
            pending += coconut::util::trim(line.substr(0, line.size() - 1)) + " ";
            continue;
        }
        pending += line;
        auto sp = pending.find(' ');
        out.push_back({pending.substr(0, sp), sp == std::string::npos ? "" : pending.substr(sp + 1)});
        pending.clear();
    }
    return out;
}

std::vector<Instruction> of(const std::vector<Instruction>& all, std::string_view keyword) {
    std::vector<Instruction> out;
    for (const auto& i : all)
        if (i.keyword == keyword) out.push_back(i);
    return out;
}

spec::Spec app_with(spec::Service svc) {
    spec::Spec s;
    s.name = "shop";
    s.version = "1.2.3";
    s.services.push_back(std::move(svc));
    return s;
}

spec::Service built(std::string name, spec::Runtime runtime, std::string version = "") {
    spec::Service s;
    s.name = std::move(name);
    s.type = spec::ServiceType::Web;
    s.port = 8080;
    s.build = spec::Build{};
    s.build->runtime = runtime;
    s.build->version = std::move(version);
    if (runtime == spec::Runtime::Static) s.build->binary = s.name;
    s.health = spec::Health{};
    s.health->path = "/healthz";
    return s;
}

std::vector<spec::Service> every_preset() {
    return {built("web", spec::Runtime::Node, "20"), built("api", spec::Runtime::Python, "3.12"),
            built("gw", spec::Runtime::Go, "1.22"), built("billing", spec::Runtime::Java, "21"),
            built("hello", spec::Runtime::Static)};
}

std::string render(const spec::Spec& s) {
    auto r = df::render_service(s, s.services.front());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    if (!r || !*r) return {};
    return (*r)->dockerfile;
}

std::string render_error(const spec::Spec& s) {
    auto r = df::render_service(s, s.services.front());
    EXPECT_FALSE(r.has_value()) << "expected an error";
    return r ? std::string() : r.error().message;
}

TEST(DockerfileRules, EveryPresetFollowsTheRules) {
    for (auto svc : every_preset()) {
        svc.run_as_user = 4242;
        const spec::Runtime runtime = svc.build->runtime;
        const std::string text = render(app_with(svc));
        SCOPED_TRACE(svc.name + " (" + spec::to_string(runtime) + ")\n" + text);
        const auto all = parse(text);
        ASSERT_FALSE(all.empty());

        // Non-root numeric USER equal to run_as_user (the pod's runAsUser/runAsGroup), and it is
        // the last USER (hadolint DL3002).
        const auto users = of(all, "USER");
        ASSERT_EQ(users.size(), 1u);
        EXPECT_EQ(users.back().args, "4242:4242");

        // COPY only, never ADD.
        EXPECT_TRUE(of(all, "ADD").empty());

        // Exec form everywhere.
        for (const auto& i : all) {
            if (i.keyword == "ENTRYPOINT" || i.keyword == "CMD") {
                EXPECT_TRUE(starts_with(i.args, "[")) << i.args;
            }
        }
        ASSERT_EQ(of(all, "ENTRYPOINT").size(), 1u);

        // OCI labels.
        const auto labels = of(all, "LABEL");
        ASSERT_EQ(labels.size(), 1u);
        for (const char* key : {"org.opencontainers.image.title=\"shop-" , "org.opencontainers.image.version=",
                                "org.opencontainers.image.source=", "org.opencontainers.image.revision=",
                                "org.opencontainers.image.created="})
            EXPECT_NE(labels[0].args.find(key), std::string::npos) << key;

        // Pinned bases, no `latest`; multi-stage where something is built.
        const auto froms = of(all, "FROM");
        for (const auto& f : froms) {
            std::string image = f.args.substr(0, f.args.find(' '));
            EXPECT_TRUE(df::require_pinned(image, "FROM").has_value()) << image;
            EXPECT_EQ(image.find(":latest"), std::string::npos);
        }
        if (runtime == spec::Runtime::Static) {
            ASSERT_EQ(froms.size(), 1u);
            EXPECT_EQ(froms[0].args, "scratch");
        } else {
            ASSERT_EQ(froms.size(), 2u);
            EXPECT_NE(froms[0].args.find(" AS build"), std::string::npos);
        }

        EXPECT_EQ(of(all, "EXPOSE").size(), 1u);
        for (const auto& w : of(all, "WORKDIR")) {
            EXPECT_TRUE(starts_with(w.args, "/")) << w.args;
        }
        for (const auto& r : of(all, "RUN")) {
            EXPECT_EQ(r.args.find("cd "), std::string::npos) << r.args;
            EXPECT_EQ(r.args.find("sudo"), std::string::npos) << r.args;
            EXPECT_EQ(r.args.find('|'), std::string::npos) << "a pipe needs SHELL with pipefail: " << r.args;
            if (r.args.find("pip install") != std::string::npos) {
                EXPECT_NE(r.args.find("--no-cache-dir"), std::string::npos);
            }
            if (r.args.find("npm install") != std::string::npos) ADD_FAILURE() << "use npm ci: " << r.args;
        }

        // HEALTHCHECK from `health` where the image has a tool for it; exec form.
        const auto hc = of(all, "HEALTHCHECK");
        if (runtime == spec::Runtime::Static || runtime == spec::Runtime::Go) {
            ASSERT_EQ(hc.size(), 1u);
            EXPECT_EQ(hc[0].args, "NONE");   // stated, so linters know it is deliberate
            EXPECT_NE(text.find("# No HEALTHCHECK: "), std::string::npos);
        } else {
            ASSERT_EQ(hc.size(), 1u);
            auto cmd = hc[0].args.find("CMD [");
            ASSERT_NE(cmd, std::string::npos) << hc[0].args;
            EXPECT_NE(hc[0].args.find("http://127.0.0.1:8080/healthz"), std::string::npos);
        }
    }
}

TEST(DockerfileRules, CommandAndArgsBecomeEntrypointAndCmd) {
    auto svc = built("web", spec::Runtime::Node, "20");
    svc.command = {"node", "dist/server.js"};
    svc.args = {"--port", "8080", "say \"hi\""};
    const auto all = parse(render(app_with(svc)));
    EXPECT_EQ(of(all, "ENTRYPOINT").at(0).args, R"(["node", "dist/server.js"])");
    EXPECT_EQ(of(all, "CMD").at(0).args, R"(["--port", "8080", "say \"hi\""])");
}

TEST(DockerfileRules, DefaultEntrypoints) {
    auto entry = [](spec::Service s) { return of(parse(render(app_with(std::move(s)))), "ENTRYPOINT").at(0).args; };
    EXPECT_EQ(entry(built("web", spec::Runtime::Node, "20")), R"(["node", "."])");
    EXPECT_EQ(entry(built("api", spec::Runtime::Python, "3.12")), R"(["python", "-m", "app"])");
    EXPECT_EQ(entry(built("gw", spec::Runtime::Go, "1.22")), R"(["/app/gw"])");
    EXPECT_EQ(entry(built("billing", spec::Runtime::Java, "21")), R"(["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/app.jar"])");
    auto hello = built("hello", spec::Runtime::Static);
    hello.build->binary = "out/bin/hello-server";
    EXPECT_EQ(entry(hello), R"(["/app/hello-server"])");
}

TEST(DockerfileRules, HealthcheckOverrideForScratch) {
    auto svc = built("hello", spec::Runtime::Static);
    svc.build->healthcheck = {"/app/hello", "--healthcheck"};
    svc.health->interval = {"30s", 30};
    svc.health->timeout = {"5s", 5};
    svc.health->initial_delay = {"1m", 60};
    svc.health->failure_threshold = 4;
    const auto hc = of(parse(render(app_with(svc))), "HEALTHCHECK");
    ASSERT_EQ(hc.size(), 1u);
    EXPECT_EQ(hc[0].args, R"(--interval=30s --timeout=5s --start-period=60s --retries=4 CMD ["/app/hello", "--healthcheck"])");
}

TEST(DockerfileRules, TcpHealthChecks) {
    for (auto svc : every_preset()) {
        svc.health->path.clear();
        svc.health->port = 9090;
        const auto hc = of(parse(render(app_with(svc))), "HEALTHCHECK");
        if (svc.build->runtime == spec::Runtime::Static || svc.build->runtime == spec::Runtime::Go) {
            ASSERT_EQ(hc.size(), 1u);
            EXPECT_EQ(hc[0].args, "NONE");
            continue;
        }
        ASSERT_EQ(hc.size(), 1u) << svc.name;
        EXPECT_NE(hc[0].args.find("9090"), std::string::npos) << hc[0].args;
        EXPECT_EQ(hc[0].args.find("http://"), std::string::npos) << hc[0].args;
    }
}

TEST(DockerfileRules, NoHealthNoHealthcheck) {
    auto svc = built("web", spec::Runtime::Python, "3.12");
    svc.health.reset();
    svc.port = 0;
    const std::string text = render(app_with(svc));
    ASSERT_EQ(of(parse(text), "HEALTHCHECK").size(), 1u);
    EXPECT_EQ(of(parse(text), "HEALTHCHECK")[0].args, "NONE");
    EXPECT_TRUE(of(parse(text), "EXPOSE").empty());
    EXPECT_NE(text.find("# No HEALTHCHECK: the service has no `health`"), std::string::npos);
}

TEST(DockerfileRules, BaseAndBuilderOverridesPinnedByDigest) {
    auto svc = built("gw", spec::Runtime::Go, "1.22");
    svc.build->base_image = "registry.example.com/base/static:12@" + k_digest;
    svc.build->builder_image = "localhost:5000/golang:1.22.5-bookworm@" + k_digest;
    const std::string text = render(app_with(svc));
    const auto froms = of(parse(text), "FROM");
    ASSERT_EQ(froms.size(), 2u);
    EXPECT_EQ(froms[0].args, "localhost:5000/golang:1.22.5-bookworm@" + k_digest + " AS build");
    EXPECT_EQ(froms[1].args, "registry.example.com/base/static:12@" + k_digest);
    EXPECT_NE(text.find("org.opencontainers.image.base.name=\"registry.example.com/base/static:12\""), std::string::npos);
    EXPECT_NE(text.find("org.opencontainers.image.base.digest=\"" + k_digest + "\""), std::string::npos);
}

TEST(DockerfileRules, UnpinnedOrLatestBasesAreErrors) {
    auto svc = built("web", spec::Runtime::Node, "20");
    svc.build->base_image = "node";
    EXPECT_NE(render_error(app_with(svc)).find("services.web.build.base_image: 'node' is not pinned"), std::string::npos);
    svc.build->base_image = "node:latest";
    EXPECT_NE(render_error(app_with(svc)).find("moving tag 'latest'"), std::string::npos);
    svc.build->base_image = "node:latest@" + k_digest;  // a digest pins it
    render(app_with(svc));
    svc.build->base_image.clear();
    svc.build->builder_image = "node:20 ; rm -rf /";
    EXPECT_NE(render_error(app_with(svc)).find("builder_image"), std::string::npos);
    svc.build->builder_image.clear();
    svc.build->version = "latest";
    EXPECT_NE(render_error(app_with(svc)).find("services.web.build.version"), std::string::npos);
}

TEST(DockerfileRules, AptPackagesWithHygiene) {
    auto svc = built("api", spec::Runtime::Python, "3.12");
    svc.build->packages = {"libpq5=15.8-0+deb12u1", "curl"};
    svc.build->build_packages = {"gcc", "libpq-dev"};
    const std::string text = render(app_with(svc));
    const auto runs = of(parse(text), "RUN");
    int apt = 0;
    for (const auto& r : runs) {
        if (r.args.find("apt-get") == std::string::npos) continue;
        ++apt;
        EXPECT_TRUE(starts_with(r.args, "apt-get update")) << r.args;
        EXPECT_NE(r.args.find("apt-get install -y --no-install-recommends"), std::string::npos);  // DL3015
        EXPECT_NE(r.args.find("rm -rf /var/lib/apt/lists/*"), std::string::npos);                 // DL3009
    }
    EXPECT_EQ(apt, 2);
    EXPECT_NE(text.find("libpq5=15.8-0+deb12u1"), std::string::npos);
    // Unpinned packages (DL3008) are explained and suppressed for hadolint.
    EXPECT_NE(text.find("# hadolint ignore=DL3008"), std::string::npos);
    // The runtime packages are installed before USER (as root), the build ones in the build stage.
    EXPECT_LT(text.find("libpq-dev"), text.find("\nFROM python:3.12-slim-bookworm\n"));
    EXPECT_LT(text.find("libpq5="), text.find("\nUSER "));
}

TEST(DockerfileRules, PackagesAreRejectedWhereTheyCannotWork) {
    auto go = built("gw", spec::Runtime::Go, "1.22");
    go.build->packages = {"curl"};
    EXPECT_NE(render_error(app_with(go)).find("services.gw.build.packages: not available"), std::string::npos);
    auto st = built("hello", spec::Runtime::Static);
    st.build->build_packages = {"gcc"};
    EXPECT_NE(render_error(app_with(st)).find("build_packages"), std::string::npos);
    auto node = built("web", spec::Runtime::Node, "20");
    node.build->packages = {"curl; rm -rf /"};  // shell injection into RUN
    EXPECT_NE(render_error(app_with(node)).find("is not a Debian package name"), std::string::npos);
}

TEST(DockerfileRules, RootAndEscapingPathsAreErrors) {
    auto svc = built("hello", spec::Runtime::Static);
    svc.run_as_user = 0;
    EXPECT_NE(render_error(app_with(svc)).find("non-root"), std::string::npos);
    svc.run_as_user = 10001;
    svc.build->binary = "../outside/hello";
    EXPECT_NE(render_error(app_with(svc)).find("inside the build context"), std::string::npos);
    svc.build->binary = "/usr/bin/hello";
    EXPECT_NE(render_error(app_with(svc)).find("inside the build context"), std::string::npos);
    svc.build->binary = "hello";
    svc.health->path = "/x' + require('child_process')";
    EXPECT_NE(render_error(app_with(svc)).find("health.path"), std::string::npos);
}

TEST(DockerfileRules, BuildArgsAreDeclaredLiterally) {
    auto svc = built("gw", spec::Runtime::Go, "1.22");
    svc.build->args = {{"GO_PACKAGE", "./cmd/gw"}, {"NOTE", "cost $5 \"now\" \\o/"}};
    const std::string text = render(app_with(svc));
    EXPECT_NE(text.find("ARG GO_PACKAGE=\"./cmd/gw\"\n"), std::string::npos);  // overrides the preset default
    EXPECT_EQ(text.find("ARG GO_PACKAGE=\".\""), std::string::npos);
    EXPECT_NE(text.find(R"(ARG NOTE="cost \$5 \"now\" \\o/")"), std::string::npos);
    svc.build->args = {{"BAD", "two\nlines"}};
    EXPECT_NE(render_error(app_with(svc)).find("services.gw.build.args.BAD"), std::string::npos);
}

TEST(DockerfileRules, UserDockerfileGetsNothing) {
    auto svc = built("custom", spec::Runtime::Dockerfile);
    svc.build->dockerfile = "Dockerfile";
    auto r = df::render_service(app_with(svc), svc);
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->has_value());
}

TEST(DockerfileRules, StaticDockerignoreSendsOnlyTheBinary) {
    auto svc = built("hello", spec::Runtime::Static);
    svc.build->binary = "build/hello";
    auto r = df::render_service(app_with(svc), svc);
    ASSERT_TRUE(r.has_value() && r->has_value());
    EXPECT_NE((*r)->dockerignore.find("\n*\n!build/hello\n"), std::string::npos) << (*r)->dockerignore;
    auto node = built("web", spec::Runtime::Node, "20");
    auto n = df::render_service(app_with(node), node);
    ASSERT_TRUE(n.has_value() && n->has_value());
    for (const char* p : {"\n.git\n", "\n.env\n", "\nnode_modules\n"}) EXPECT_NE((*n)->dockerignore.find(p), std::string::npos) << p;
}

TEST(DockerfileGenerator, WritesOneDirectoryPerBuiltService) {
    spec::Spec s;
    s.name = "shop";
    s.services = every_preset();
    spec::Service prebuilt;
    prebuilt.name = "db";
    prebuilt.image = "postgres:16";
    s.services.push_back(prebuilt);
    std::vector<spec::Spec> envs;
    coconut::generate::GenerateInput in{s, envs, "coconut.yaml"};
    coconut::generate::ArtifactSet out;
    ASSERT_TRUE(df::DockerfileGenerator().generate(in, out).has_value());
    EXPECT_EQ(out.size(), 10u);
    EXPECT_NE(out.find("docker/web/Dockerfile"), nullptr);
    EXPECT_NE(out.find("docker/hello/.dockerignore"), nullptr);
    EXPECT_EQ(out.find("docker/db/Dockerfile"), nullptr);
    EXPECT_EQ(out.roots().size(), 5u);
    EXPECT_TRUE(starts_with(out.find("docker/web/Dockerfile")->content,
                            "# generated by coconut from coconut.yaml \xE2\x80\x94 do not edit\n"));
}

TEST(ImageRef, ParsesAndChecksPinning) {
    auto r = df::parse_image_ref("localhost:5000/demo/app:1.0@" + k_digest);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repository, "localhost:5000/demo/app");
    EXPECT_EQ(r->tag, "1.0");
    EXPECT_EQ(r->digest, k_digest);
    r = df::parse_image_ref("localhost:5000/app");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repository, "localhost:5000/app");
    EXPECT_EQ(r->tag, "");
    EXPECT_FALSE(df::parse_image_ref(""));
    EXPECT_FALSE(df::parse_image_ref("Node:20"));
    EXPECT_FALSE(df::parse_image_ref("node:20@sha256:abc"));
    EXPECT_FALSE(df::parse_image_ref("node: 20"));
    EXPECT_TRUE(df::require_pinned("scratch", "x").has_value());
    EXPECT_TRUE(df::require_pinned("gcr.io/distroless/static-debian12:nonroot", "x").has_value());
    EXPECT_FALSE(df::require_pinned("gcr.io/distroless/static-debian12", "x").has_value());
    EXPECT_TRUE(df::is_valid_tag("0.1.0_build.7"));
    EXPECT_FALSE(df::is_valid_tag("0.1.0+build.7"));
    EXPECT_FALSE(df::is_valid_tag(".hidden"));
}

}  // namespace
