#pragma once
// `coconut build`: build the image of every service with a `build:` block (or the ones named),
// tag it with the spec version and the git commit, optionally push it and record the pushed
// digest in coconut.lock, so `generate` (and later `deploy`) pin images by digest.
//
// Everything external goes through the CommandRunner: the builder (buildah, podman or docker,
// platform/builders), git. Nothing is printed: progress and the builders' output lines are
// events (BuildEvents) the CLI renders.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/platform/command_runner.hpp"
#include "coconut/spec/load.hpp"
#include "coconut/util/expected.hpp"

namespace coconut::actions {

struct BuildOptions {
    std::string file = "coconut.yaml";
    std::vector<std::string> services;   // empty: every service with `build`
    bool push = false;
    std::string registry;                // overrides the spec's `registry`
    std::string tag;                     // replaces the default tags (version + git commit)
    std::string builder;                 // buildah | podman | docker; empty: the first found
    bool insecure_registry = false;      // plain HTTP / unverified TLS for a non-local registry
    std::string registry_username;       // with registry_password: log in before pushing
    std::string registry_password;       // secret: goes to the builder's stdin, never argv
    std::string created;                 // org.opencontainers.image.created (RFC 3339); empty: now, UTC
};

struct BuiltImage {
    std::string service;
    std::string repository;              // e.g. "127.0.0.1:5000/demo/hello-web"
    std::vector<std::string> tags;       // primary first
    std::string digest;                  // pushed manifest digest; empty without --push
    [[nodiscard]] std::string reference() const;  // repository:primary-tag[@digest]
};

struct BuildResult {
    std::vector<spec::Problem> problems; // spec problems (nothing built)
    std::vector<BuiltImage> images;
    std::string builder;                 // "buildah 1.28.2"
    std::string commit;                  // short git commit, "-dirty" appended; empty outside git
    std::vector<std::string> notes;      // things the user should know (no git, lock entries not applied, ...)
    std::string lock_file;               // the coconut.lock written; empty when none was
};

struct BuildEvents {
    // A step starts: "building web (127.0.0.1:5000/demo/shop-web:1.4.2) with buildah".
    std::function<void(std::string_view service, std::string_view message)> on_step;
    // One line of the builder's output while it runs.
    std::function<void(std::string_view service, std::string_view line, bool is_stderr)> on_output;
};

class BuildAction {
public:
    BuildAction(BuildOptions options, platform::CommandRunner& runner, BuildEvents events = {})
        : m_options(std::move(options)), m_runner(runner), m_events(std::move(events)) {}

    // Usage errors (unknown service, --push without a registry, ...) exit 2; a failed build or
    // push is ErrorCode::Failure quoting the builder's error. Images pushed before a failure are
    // still recorded in coconut.lock.
    util::Expected<BuildResult> run();

private:
    BuildOptions m_options;
    platform::CommandRunner& m_runner;
    BuildEvents m_events;
};

// The repository URL for org.opencontainers.image.source from a git remote URL: credentials
// removed, scp-like and ssh:// forms turned into https://, ".git" dropped. Empty when the remote
// is not a network URL (a local path).
std::string source_url_from_remote(std::string_view remote);

// A spec version as an image tag: '+' (semver build metadata) becomes '_', as Helm does; empty
// when the result is still not a valid tag.
std::string version_tag(std::string_view version);

// True when pushing to `registry` (host[:port][/path]) should not verify TLS: 127.0.0.0/8,
// localhost and [::1] — local test registries speak plain HTTP.
bool is_local_registry(std::string_view registry);

}  // namespace coconut::actions
