#include "coconut/actions/build.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "coconut/actions/generate.hpp"
#include "coconut/generate/dockerfile/dockerfile_generator.hpp"
#include "coconut/generate/dockerfile/image_ref.hpp"
#include "coconut/platform/builders/image_builder.hpp"
#include "coconut/spec/lock.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;
namespace dockerfile = generate::dockerfile;
namespace builders = platform::builders;

namespace {

util::Expected<void> write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return util::fail(util::ErrorCode::Failure, path.string() + ": cannot write");
    return {};
}

std::string now_rfc3339() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string unknown_service_message(const std::string& name, const spec::Spec& s) {
    std::vector<std::string> names;
    for (const auto& svc : s.services) names.push_back(svc.name);
    std::string msg = "unknown service '" + name + "'";
    if (auto m = util::closest_match(name, names)) msg += "; did you mean '" + *m + "'?";
    return msg + " (services: " + (names.empty() ? std::string("none") : util::join(names, ", ")) + ")";
}

struct GitInfo {
    std::string short_commit;   // "3f2a9c1", empty outside git
    std::string commit;         // full
    bool dirty = false;
    std::string source;         // https URL of origin, may be empty
};

// One git query; nullopt (with a note) when git is missing or this is not a repository.
std::optional<std::string> git(platform::CommandRunner& runner, const std::string& cwd, std::vector<std::string> args) {
    platform::Command c;
    c.argv = {"git"};
    c.argv.insert(c.argv.end(), args.begin(), args.end());
    c.cwd = cwd;
    c.timeout = std::chrono::seconds(30);
    auto r = runner.run(c);
    if (!r || !r->ok()) return std::nullopt;
    return util::trim(r->out);
}

GitInfo git_info(platform::CommandRunner& runner, const std::string& cwd, std::vector<std::string>& notes) {
    GitInfo g;
    auto short_commit = git(runner, cwd, {"rev-parse", "--short", "HEAD"});
    if (!short_commit || short_commit->empty()) {
        notes.emplace_back("not in a git work tree (or git is not installed): images are tagged with the version only");
        return g;
    }
    g.short_commit = *short_commit;
    g.commit = git(runner, cwd, {"rev-parse", "HEAD"}).value_or("");
    auto status = git(runner, cwd, {"status", "--porcelain", "--untracked-files=no"});
    g.dirty = status && !status->empty();
    if (auto remote = git(runner, cwd, {"config", "--get", "remote.origin.url"})) g.source = source_url_from_remote(*remote);
    return g;
}

// "a/./b/" -> "a/b": paths as users would write them, in argv and messages.
fs::path clean_path(const fs::path& p) {
    fs::path n = p.lexically_normal();
    if (!n.has_filename() && n.has_parent_path() && n != n.root_path()) n = n.parent_path();
    return n;
}

std::string registry_host(std::string_view registry) { return std::string(registry.substr(0, registry.find('/'))); }


// ---- What to build, and as what ------------------------------------------------------------

// The registry to push to: --registry, else the spec's; host[:port][/path], no trailing '/'.
util::Expected<std::string> resolve_registry(const BuildOptions& o, const spec::Spec& s) {
    std::string registry = o.registry.empty() ? s.registry : o.registry;
    while (!registry.empty() && registry.back() == '/') registry.pop_back();
    if (registry.find("://") != std::string::npos)
        return util::fail(util::ErrorCode::Usage, "registry '" + registry + "': give host[:port]/path without a scheme");
    return registry;
}

// The services named (in order, without repeats), or every service with a `build:` block.
util::Expected<std::vector<const spec::Service*>> select_services(const BuildOptions& o, const spec::Spec& s) {
    std::vector<const spec::Service*> services;
    if (o.services.empty()) {
        for (const auto& svc : s.services)
            if (svc.build) services.push_back(&svc);
        if (services.empty())
            return util::fail(util::ErrorCode::Usage, "no service in " + o.file + " has a `build:` block; nothing to build");
        return services;
    }
    for (const auto& name : o.services) {
        const spec::Service* svc = s.find_service(name);
        if (!svc) return util::fail(util::ErrorCode::Usage, unknown_service_message(name, s));
        if (!svc->build)
            return util::fail(util::ErrorCode::Usage, "service '" + name + "' uses the prebuilt image " + svc->image +
                                                          " (no `build:` block); nothing to build");
        if (std::find(services.begin(), services.end(), svc) == services.end()) services.push_back(svc);
    }
    return services;
}

// --tag alone, or the spec version then the git commit (when there is one and it differs).
util::Expected<std::vector<std::string>> image_tags(const BuildOptions& o, const std::string& version,
                                                    const std::string& commit) {
    if (!o.tag.empty()) {
        if (!dockerfile::is_valid_tag(o.tag))
            return util::fail(util::ErrorCode::Usage,
                              "--tag '" + o.tag + "' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
        return std::vector<std::string>{o.tag};
    }
    std::string v = version_tag(version);
    if (v.empty()) return util::fail(util::ErrorCode::Usage, "version '" + version + "' cannot be an image tag; pass --tag");
    std::vector<std::string> tags{v};
    if (!commit.empty() && commit != v) tags.push_back(commit);
    return tags;
}

// Everything the per-service steps share, settled before the first build.
struct BuildSetup {
    const spec::Spec& spec;
    fs::path spec_file;
    fs::path spec_dir;
    GitInfo git;
    std::vector<std::string> tags;
    std::string registry;
    bool tls_verify = true;
    std::string created;                              // org.opencontainers.image.created
    const builders::ImageBuilder* builder = nullptr;
    std::string binary;                               // the builder, by name
    std::string builder_label;                        // "buildah 1.28.2"
    fs::path work;                                    // the run's private temporary directory
};

// ---- One service's build request ------------------------------------------------------------

// The user's Dockerfile, built as it is: it does not declare coconut's label ARGs, so the
// labels go on the command line.
util::Expected<void> use_own_dockerfile(const BuildSetup& setup, const spec::Service& svc, const fs::path& context,
                                        builders::ImageBuildRequest& req) {
    std::error_code ec;
    const fs::path user_file = clean_path(context / svc.build->dockerfile);
    if (!fs::is_regular_file(user_file, ec))
        return util::fail(util::ErrorCode::Input,
                          "services." + svc.name + ".build.dockerfile: " + user_file.string() + " not found");
    req.dockerfile = user_file.string();
    const spec::Spec& s = setup.spec;
    req.labels = {{"org.opencontainers.image.title", s.name + "-" + svc.name},
                  {"org.opencontainers.image.version", s.version},
                  {"org.opencontainers.image.created", setup.created}};
    if (!setup.git.commit.empty()) req.labels.emplace_back("org.opencontainers.image.revision", setup.git.commit);
    if (!setup.git.source.empty()) req.labels.emplace_back("org.opencontainers.image.source", setup.git.source);
    return {};
}

// The Dockerfile and .dockerignore coconut generates for the service's runtime, written into
// `work`; the label values go in as build args.
util::Expected<void> use_generated_dockerfile(const BuildSetup& setup, const spec::Service& svc, const fs::path& context,
                                              const fs::path& work, builders::ImageBuildRequest& req) {
    const spec::Build& b = *svc.build;
    std::error_code ec;
    if (b.runtime == spec::Runtime::Static && !fs::exists(context / b.binary, ec))
        return util::fail(util::ErrorCode::Input, "services." + svc.name + ".build.binary: " +
                                                      (context / b.binary).string() +
                                                      " not found: build the binary before the image");
    TRY(files, dockerfile::render_service(setup.spec, svc, setup.spec_file.filename().string()));
    const fs::path df = work / "Dockerfile";
    TRY_VOID(write_text(df, files->dockerfile));
    TRY_VOID(write_text(work / ".dockerignore", files->dockerignore));
    TRY_VOID(write_text(work / "Dockerfile.dockerignore", files->dockerignore));  // docker/BuildKit's name
    req.dockerfile = df.string();
    req.ignorefile = (work / ".dockerignore").string();
    req.build_args.emplace_back(dockerfile::k_arg_created, setup.created);
    if (!setup.git.commit.empty()) req.build_args.emplace_back(dockerfile::k_arg_revision, setup.git.commit);
    if (!setup.git.source.empty()) req.build_args.emplace_back(dockerfile::k_arg_source, setup.git.source);
    return {};
}

util::Expected<builders::ImageBuildRequest> build_request(const BuildSetup& setup, const spec::Service& svc,
                                                          const BuiltImage& image, const fs::path& work) {
    const spec::Build& b = *svc.build;
    const fs::path context = clean_path(setup.spec_dir / b.context);
    std::error_code ec;
    if (!fs::is_directory(context, ec))
        return util::fail(util::ErrorCode::Input,
                          "services." + svc.name + ".build.context: " + context.string() + " is not a directory");
    builders::ImageBuildRequest req;
    req.context = context.string();
    for (const auto& t : image.tags) req.tags.push_back(image.repository + ":" + t);
    for (const auto& a : b.args) req.build_args.push_back(a);
    fs::create_directories(work, ec);
    if (b.runtime == spec::Runtime::Dockerfile) {
        TRY_VOID(use_own_dockerfile(setup, svc, context, req));
    } else {
        TRY_VOID(use_generated_dockerfile(setup, svc, context, work, req));
    }
    return req;
}

// ---- Running the builder ---------------------------------------------------------------------

// Runs one service's builder commands: announces the steps and streams the output as events,
// and words a failed command as "<what> failed: <the command's failure>".
class ServiceSteps {
public:
    ServiceSteps(platform::CommandRunner& runner, const BuildEvents& events, const std::string& service)
        : m_runner(runner), m_events(events), m_service(service) {}

    void announce(const std::string& message) const {
        if (m_events.on_step) m_events.on_step(m_service, message);
    }

    // `stream`: pass the command's output lines on as events.
    util::Expected<platform::CommandResult> run(platform::Command cmd, const std::string& what, bool stream) const {
        if (stream && m_events.on_output) {
            cmd.on_line = [this](std::string_view line, bool is_stderr) { m_events.on_output(m_service, line, is_stderr); };
        }
        TRY(result, m_runner.run(cmd));
        if (!result.ok()) {
            util::Error e = platform::command_failure(cmd, result);
            e.message = what + " failed: " + e.message;
            return tl::unexpected(std::move(e));
        }
        return result;
    }

private:
    platform::CommandRunner& m_runner;
    const BuildEvents& m_events;
    const std::string& m_service;
};

util::Expected<void> registry_login(const BuildSetup& setup, const BuildOptions& o, const ServiceSteps& steps) {
    const builders::RegistryLoginRequest login{registry_host(setup.registry), o.registry_username, o.registry_password,
                                               setup.tls_verify};
    steps.announce("logging in to " + login.registry + " as " + login.username);
    TRY_VOID(steps.run(setup.builder->login_command(setup.binary, login), "registry login", false));
    return {};
}

// Pushes every tag of `req` and sets the image's digest from the first; a later tag pushed as
// another manifest gets a note.
util::Expected<void> push_tags(const BuildSetup& setup, const ServiceSteps& steps, const builders::ImageBuildRequest& req,
                               const fs::path& work, BuiltImage& image, std::vector<std::string>& notes) {
    for (std::size_t i = 0; i < req.tags.size(); ++i) {
        const builders::ImagePushRequest push{req.tags[i], setup.tls_verify, work / ("digest-" + std::to_string(i))};
        steps.announce("pushing " + push.image);
        TRY(pushed, steps.run(setup.builder->push_command(setup.binary, push), image.service + ": push", true));
        TRY(digest, setup.builder->pushed_digest(push, pushed));
        if (i == 0) {
            image.digest = digest;
        } else if (digest != image.digest) {
            notes.push_back(image.service + ": " + push.image + " was pushed as " + digest + ", not as " + image.digest +
                            " like " + req.tags.front());
        }
    }
    return {};
}

// One service's image: the request, the build and, with --push, the login (once per run, when
// credentials are given) and the push of every tag.
util::Expected<BuiltImage> build_service(const BuildSetup& setup, const BuildOptions& o, const ServiceSteps& steps,
                                         const spec::Service& svc, bool& logged_in, std::vector<std::string>& notes) {
    const fs::path work = setup.work / svc.name;
    BuiltImage image{svc.name, setup.spec.image_repository(svc), setup.tags, {}};
    TRY(req, build_request(setup, svc, image, work));
    steps.announce("building " + req.tags.front() + " with " + setup.builder_label);
    TRY_VOID(steps.run(setup.builder->build_command(setup.binary, req), svc.name + ": image build", true));
    if (!o.push) {
        steps.announce("built " + image.reference());
        return image;
    }
    if (!logged_in && !o.registry_username.empty() && !o.registry_password.empty()) {
        TRY_VOID(registry_login(setup, o, steps));
        logged_in = true;
    }
    TRY_VOID(push_tags(setup, steps, req, work, image, notes));
    steps.announce("pushed " + image.reference());
    return image;
}

spec::LockEntry lock_entry(const BuildSetup& setup, const BuiltImage& image) {
    spec::LockEntry entry;
    entry.service = image.service;
    entry.image = image.repository;
    entry.version = setup.spec.version;
    entry.tags = image.tags;
    entry.digest = image.digest;
    entry.revision = setup.git.commit;
    entry.builder = setup.builder_label;
    return entry;
}

// coconut.lock as this run updates it. Only read (and written) when pushing: a local build
// records nothing.
class LockUpdate {
public:
    static util::Expected<LockUpdate> load(const fs::path& spec_file, bool push) {
        LockUpdate update(spec::lock_path_for(spec_file));
        if (push) {
            TRY(existing, spec::read_lock(update.m_path));
            update.m_lock = std::move(existing);
        }
        return update;
    }

    void record(spec::LockEntry entry) {
        m_lock.put(std::move(entry));
        m_changed = true;
    }

    // Writes the lock when something was recorded, without the entries of services that no
    // longer build an image; the path written, or empty.
    util::Expected<std::string> save(const spec::Spec& s) {
        if (!m_changed) return std::string();
        m_lock.retain([&](const spec::LockEntry& e) {
            const spec::Service* svc = s.find_service(e.service);
            return svc && svc->build;
        });
        TRY_VOID(spec::write_lock(m_path, m_lock));
        return m_path.string();
    }

private:
    explicit LockUpdate(fs::path path) : m_path(std::move(path)) {}
    fs::path m_path;
    spec::Lock m_lock;
    bool m_changed = false;
};

}  // namespace

std::string BuiltImage::reference() const {
    std::string r = repository;
    if (!tags.empty()) r += ":" + tags.front();
    if (!digest.empty()) r += "@" + digest;
    return r;
}

std::string source_url_from_remote(std::string_view remote) {
    std::string r = util::trim(remote);
    std::string host_path;
    if (auto scheme = r.find("://"); scheme != std::string::npos) {
        const std::string proto = util::to_lower(r.substr(0, scheme));
        if (proto != "https" && proto != "http" && proto != "ssh" && proto != "git") return {};
        host_path = r.substr(scheme + 3);
        if (auto at = host_path.find('@'); at != std::string::npos && at < host_path.find('/')) host_path = host_path.substr(at + 1);
        if (proto == "ssh") {
            // ssh://git@host:22/org/repo: drop the port, which belongs to ssh.
            auto slash = host_path.find('/');
            auto colon = host_path.find(':');
            if (colon != std::string::npos && colon < slash) host_path.erase(colon, slash - colon);
        }
    } else if (auto colon = r.find(':'); colon != std::string::npos && r.find('/') > colon && colon > 0) {
        // scp-like: [user@]host:org/repo.git
        std::string host = r.substr(0, colon);
        if (auto at = host.find('@'); at != std::string::npos) host = host.substr(at + 1);
        host_path = host + "/" + r.substr(colon + 1);
    } else {
        return {};  // a local path
    }
    if (util::ends_with(host_path, ".git")) host_path.resize(host_path.size() - 4);
    while (!host_path.empty() && host_path.back() == '/') host_path.pop_back();
    if (host_path.empty() || host_path.find_first_of(" \t\r\n\"'\\") != std::string::npos) return {};
    return "https://" + host_path;
}

std::string version_tag(std::string_view version) {
    std::string t(version);
    std::replace(t.begin(), t.end(), '+', '_');
    return dockerfile::is_valid_tag(t) ? t : std::string{};
}

bool is_local_registry(std::string_view registry) {
    std::string host = registry_host(registry);
    if (util::starts_with(host, "[")) {
        auto close = host.find(']');
        host = host.substr(1, close == std::string::npos ? std::string::npos : close - 1);
        return host == "::1";
    }
    host = host.substr(0, host.find(':'));
    return host == "localhost" || util::starts_with(host, "127.");
}

util::Expected<BuildResult> BuildAction::run() {
    BuildResult result;
    auto loaded = load_spec(m_options.file);
    if (!loaded.problems.empty()) {
        result.problems = std::move(loaded.problems);
        return result;
    }
    spec::Spec s = loaded.spec.base();
    TRY(registry, resolve_registry(m_options, s));
    s.registry = registry;
    TRY(services, select_services(m_options, s));
    if (m_options.push && registry.empty())
        return util::fail(util::ErrorCode::Usage,
                          "--push needs a registry: set `registry:` in " + m_options.file + " or pass --registry");

    const fs::path spec_file(m_options.file);
    const fs::path spec_dir = spec_file.parent_path().empty() ? fs::path(".") : spec_file.parent_path();
    GitInfo git = git_info(m_runner, spec_dir.string(), result.notes);
    if (!git.short_commit.empty()) result.commit = git.short_commit + (git.dirty ? "-dirty" : "");
    TRY(tags, image_tags(m_options, s.version, result.commit));

    TRY(chosen, builders::select_builder(m_runner, m_options.builder));
    result.builder = std::string(chosen.builder->name()) + " " + chosen.tool.version.to_string();
    TRY(tmp, util::TempDir::create("coconut-build-"));
    const BuildSetup setup{
        .spec = s,
        .spec_file = spec_file,
        .spec_dir = spec_dir,
        .git = std::move(git),
        .tags = std::move(tags),
        .registry = registry,
        .tls_verify = !(m_options.insecure_registry || is_local_registry(registry)),
        .created = m_options.created.empty() ? now_rfc3339() : m_options.created,
        .builder = chosen.builder,
        // By name, as it was detected (the runner resolves it on PATH): messages read "buildah failed ...".
        .binary = std::string(chosen.builder->name()),
        .builder_label = result.builder,
        .work = tmp.path(),
    };

    TRY(lock, LockUpdate::load(spec_file, m_options.push));
    // After a failure, the images pushed before it are still recorded.
    auto fail_after = [&](util::Error e) -> util::Expected<BuildResult> {
        auto saved = lock.save(s);
        if (!saved) e.message += "\n(also: " + saved.error().message + ")";
        return tl::unexpected(std::move(e));
    };

    bool logged_in = false;
    for (const spec::Service* svc : services) {
        if (util::interrupted()) return fail_after(util::Error{util::ErrorCode::Interrupted, "interrupted", {}});
        const ServiceSteps steps(m_runner, m_events, svc->name);
        auto image = build_service(setup, m_options, steps, *svc, logged_in, result.notes);
        if (!image) return fail_after(image.error());
        if (m_options.push) lock.record(lock_entry(setup, *image));
        result.images.push_back(std::move(*image));
    }
    TRY(lock_file, lock.save(s));
    result.lock_file = lock_file;
    return result;
}

}  // namespace coconut::actions
