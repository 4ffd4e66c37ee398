#include "coconut/actions/build.hpp"

#include <stdlib.h>  // mkdtemp

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
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::actions {

namespace fs = std::filesystem;
namespace dockerfile = generate::dockerfile;

namespace {

// A private temporary directory (mode 0700), removed with everything in it on destruction.
class TempDir {
public:
    static util::Expected<TempDir> create() {
        std::error_code ec;
        fs::path base = fs::temp_directory_path(ec);
        if (ec) base = "/tmp";
        std::string pattern = (base / "coconut-build-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            return util::fail(util::ErrorCode::Failure, "cannot create a temporary directory in " + base.string());
        return TempDir(pattern);
    }
    TempDir(TempDir&& o) noexcept : m_path(std::move(o.m_path)) { o.m_path.clear(); }
    TempDir& operator=(TempDir&&) = delete;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        if (m_path.empty()) return;
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    [[nodiscard]] const fs::path& path() const { return m_path; }

private:
    explicit TempDir(fs::path p) : m_path(std::move(p)) {}
    fs::path m_path;
};

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
    std::string registry = m_options.registry.empty() ? s.registry : m_options.registry;
    while (!registry.empty() && registry.back() == '/') registry.pop_back();
    if (registry.find("://") != std::string::npos)
        return util::fail(util::ErrorCode::Usage, "registry '" + registry + "': give host[:port]/path without a scheme");
    s.registry = registry;

    // Which services.
    std::vector<const spec::Service*> services;
    if (m_options.services.empty()) {
        for (const auto& svc : s.services)
            if (svc.build) services.push_back(&svc);
        if (services.empty())
            return util::fail(util::ErrorCode::Usage, "no service in " + m_options.file + " has a `build:` block; nothing to build");
    } else {
        for (const auto& name : m_options.services) {
            const spec::Service* svc = s.find_service(name);
            if (!svc) return util::fail(util::ErrorCode::Usage, unknown_service_message(name, s));
            if (!svc->build)
                return util::fail(util::ErrorCode::Usage, "service '" + name + "' uses the prebuilt image " + svc->image +
                                                              " (no `build:` block); nothing to build");
            if (std::find(services.begin(), services.end(), svc) == services.end()) services.push_back(svc);
        }
    }
    if (m_options.push && registry.empty())
        return util::fail(util::ErrorCode::Usage,
                          "--push needs a registry: set `registry:` in " + m_options.file + " or pass --registry");

    // Tags.
    const fs::path spec_file(m_options.file);
    const fs::path spec_dir = spec_file.parent_path().empty() ? fs::path(".") : spec_file.parent_path();
    GitInfo g = git_info(m_runner, spec_dir.string(), result.notes);
    if (!g.short_commit.empty()) result.commit = g.short_commit + (g.dirty ? "-dirty" : "");
    std::vector<std::string> tags;
    if (!m_options.tag.empty()) {
        if (!dockerfile::is_valid_tag(m_options.tag))
            return util::fail(util::ErrorCode::Usage,
                              "--tag '" + m_options.tag + "' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
        tags.push_back(m_options.tag);
    } else {
        std::string v = version_tag(s.version);
        if (v.empty())
            return util::fail(util::ErrorCode::Usage, "version '" + s.version + "' cannot be an image tag; pass --tag");
        tags.push_back(v);
        if (!result.commit.empty() && result.commit != v) tags.push_back(result.commit);
    }

    TRY(chosen, platform::select_builder(m_runner, m_options.builder));
    result.builder = std::string(chosen.builder->name()) + " " + chosen.tool.version.to_string();
    // By name, as it was detected (the runner resolves it on PATH): messages read "buildah failed ...".
    const std::string binary(chosen.builder->name());
    const std::string created = m_options.created.empty() ? now_rfc3339() : m_options.created;
    const bool tls_verify = !(m_options.insecure_registry || is_local_registry(registry));

    TRY(tmp, TempDir::create());
    spec::Lock lock;  // only read (and written) when pushing: a local build records nothing
    if (m_options.push) {
        TRY(existing, spec::read_lock(spec::lock_path_for(spec_file)));
        lock = std::move(existing);
    }
    bool lock_changed = false;
    auto save_lock = [&]() -> util::Expected<void> {
        if (!lock_changed) return {};
        lock.retain([&](const spec::LockEntry& e) {
            const spec::Service* svc = s.find_service(e.service);
            return svc && svc->build;
        });
        const fs::path path = spec::lock_path_for(spec_file);
        TRY_VOID(spec::write_lock(path, lock));
        result.lock_file = path.string();
        return {};
    };
    auto fail_after = [&](util::Error e) -> util::Expected<BuildResult> {
        auto saved = save_lock();
        if (!saved) e.message += "\n(also: " + saved.error().message + ")";
        return tl::unexpected(std::move(e));
    };

    bool logged_in = false;
    for (const spec::Service* svc : services) {
        if (util::interrupted()) return fail_after(util::Error{util::ErrorCode::Interrupted, "interrupted", {}});
        const spec::Build& b = *svc->build;
        const std::string field = "services." + svc->name + ".build";
        const fs::path context = clean_path(spec_dir / b.context);
        std::error_code ec;
        if (!fs::is_directory(context, ec))
            return fail_after(util::Error{util::ErrorCode::Input,
                                          field + ".context: " + context.string() + " is not a directory", {}});

        BuiltImage image;
        image.service = svc->name;
        image.repository = s.image_repository(*svc);
        for (const auto& t : tags) image.tags.push_back(t);

        platform::ImageBuildRequest req;
        req.context = context.string();
        for (const auto& t : image.tags) req.tags.push_back(image.repository + ":" + t);
        for (const auto& a : b.args) req.build_args.push_back(a);
        const fs::path work = tmp.path() / svc->name;
        fs::create_directories(work, ec);

        if (b.runtime == spec::Runtime::Dockerfile) {
            const fs::path user_file = clean_path(context / b.dockerfile);
            if (!fs::is_regular_file(user_file, ec))
                return fail_after(util::Error{util::ErrorCode::Input,
                                              field + ".dockerfile: " + user_file.string() + " not found", {}});
            req.dockerfile = user_file.string();
            // The user's Dockerfile does not declare coconut's label ARGs: labels go on the command line.
            req.labels = {{"org.opencontainers.image.title", s.name + "-" + svc->name},
                          {"org.opencontainers.image.version", s.version},
                          {"org.opencontainers.image.created", created}};
            if (!g.commit.empty()) req.labels.emplace_back("org.opencontainers.image.revision", g.commit);
            if (!g.source.empty()) req.labels.emplace_back("org.opencontainers.image.source", g.source);
        } else {
            if (b.runtime == spec::Runtime::Static && !fs::exists(context / b.binary, ec))
                return fail_after(util::Error{util::ErrorCode::Input,
                                              field + ".binary: " + (context / b.binary).string() +
                                                  " not found: build the binary before the image",
                                              {}});
            auto files = dockerfile::render_service(s, *svc, spec_file.filename().string());
            if (!files) return fail_after(files.error());
            const fs::path df = work / "Dockerfile";
            TRY_VOID(write_text(df, (*files)->dockerfile));
            TRY_VOID(write_text(work / ".dockerignore", (*files)->dockerignore));
            TRY_VOID(write_text(work / "Dockerfile.dockerignore", (*files)->dockerignore));  // docker/BuildKit's name
            req.dockerfile = df.string();
            req.ignorefile = (work / ".dockerignore").string();
            req.build_args.emplace_back(dockerfile::k_arg_created, created);
            if (!g.commit.empty()) req.build_args.emplace_back(dockerfile::k_arg_revision, g.commit);
            if (!g.source.empty()) req.build_args.emplace_back(dockerfile::k_arg_source, g.source);
        }

        const std::string& service_name = svc->name;
        auto stream = [&](const platform::Command& base) {
            platform::Command c = base;
            if (m_events.on_output)
                c.on_line = [&](std::string_view line, bool is_stderr) { m_events.on_output(service_name, line, is_stderr); };
            return c;
        };
        auto step = [&](const std::string& message) {
            if (m_events.on_step) m_events.on_step(service_name, message);
        };

        step("building " + req.tags.front() + " with " + result.builder);
        platform::Command build = stream(chosen.builder->build_command(binary, req));
        auto built = m_runner.run(build);
        if (!built) return fail_after(built.error());
        if (!built->ok()) {
            util::Error e = platform::command_failure(build, *built);
            e.message = svc->name + ": image build failed: " + e.message;
            return fail_after(std::move(e));
        }

        if (m_options.push) {
            if (!logged_in && !m_options.registry_username.empty() && !m_options.registry_password.empty()) {
                platform::RegistryLoginRequest login{registry_host(registry), m_options.registry_username,
                                                     m_options.registry_password, tls_verify};
                step("logging in to " + login.registry + " as " + login.username);
                platform::Command lc = chosen.builder->login_command(binary, login);
                auto lr = m_runner.run(lc);
                if (!lr) return fail_after(lr.error());
                if (!lr->ok()) {
                    util::Error e = platform::command_failure(lc, *lr);
                    e.message = "registry login failed: " + e.message;
                    return fail_after(std::move(e));
                }
                logged_in = true;
            }
            for (std::size_t i = 0; i < req.tags.size(); ++i) {
                platform::ImagePushRequest push{req.tags[i], tls_verify, work / ("digest-" + std::to_string(i))};
                step("pushing " + push.image);
                platform::Command pc = stream(chosen.builder->push_command(binary, push));
                auto pushed = m_runner.run(pc);
                if (!pushed) return fail_after(pushed.error());
                if (!pushed->ok()) {
                    util::Error e = platform::command_failure(pc, *pushed);
                    e.message = svc->name + ": push failed: " + e.message;
                    return fail_after(std::move(e));
                }
                auto digest = chosen.builder->pushed_digest(push, *pushed);
                if (!digest) return fail_after(digest.error());
                if (i == 0) {
                    image.digest = *digest;
                } else if (*digest != image.digest) {
                    result.notes.push_back(svc->name + ": " + push.image + " was pushed as " + *digest +
                                           ", not as " + image.digest + " like " + req.tags.front());
                }
            }
            step("pushed " + image.reference());
            spec::LockEntry entry;
            entry.service = svc->name;
            entry.image = image.repository;
            entry.version = s.version;
            entry.tags = image.tags;
            entry.digest = image.digest;
            entry.revision = g.commit;
            entry.builder = result.builder;
            lock.put(std::move(entry));
            lock_changed = true;
        } else {
            step("built " + image.reference());
        }
        result.images.push_back(std::move(image));
    }
    TRY_VOID(save_lock());
    return result;
}

}  // namespace coconut::actions
