#include "coconut/generate/dockerfile/dockerfile_generator.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "coconut/generate/dockerfile/health_command.hpp"
#include "coconut/generate/dockerfile/image_ref.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::generate::dockerfile {

namespace {

using spec::Runtime;

constexpr const char* k_kind_dockerfile = "dockerfile";
constexpr const char* k_kind_dockerignore = "dockerignore";
constexpr const char* k_app_dir = "/app";

tl::unexpected<util::Error> input_error(std::string message) {
    return util::fail(util::ErrorCode::Input, std::move(message));
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// A double-quoted ARG / ENV / LABEL value: `"`, `\` and `$` escaped, so the value is taken
// literally (no variable substitution).
std::string quote_value(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\' || c == '$') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

// Debian package with an optional version pin: name[=version]. Checked strictly because the
// names end up in a shell-form RUN line.
bool is_package_spec(std::string_view p) {
    const auto eq = p.find('=');
    std::string_view name = p.substr(0, eq);
    if (name.size() < 2) return false;
    auto name_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'; };
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9'))) return false;
    if (!std::all_of(name.begin(), name.end(), name_char)) return false;
    if (eq == std::string_view::npos) return true;
    std::string_view version = p.substr(eq + 1);
    if (version.empty()) return false;
    return std::all_of(version.begin(), version.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '+' ||
               c == '~' || c == ':' || c == '-' || c == '*';
    });
}

// A health path goes into a URL inside a quoted JavaScript / Python string and a curl argument.
bool is_safe_http_path(std::string_view p) {
    if (p.empty() || p.front() != '/') return false;
    return std::all_of(p.begin(), p.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) return false;
        return c != '\'' && c != '"' && c != '\\' && c != '`';
    });
}

// A relative path inside the build context without `..`: what COPY may take from it.
bool is_context_path(std::string_view p) {
    if (p.empty() || p.front() == '/' || has_control(p)) return false;
    if (p.find_first_of(" \t\"'\\*?[") != std::string_view::npos) return false;
    for (const auto& part : util::split(p, '/'))
        if (part == "..") return false;
    return true;
}

// ---- text building ----------------------------------------------------------------------

class Text {
public:
    void line(std::string_view s) {
        m_out += s;
        m_out += '\n';
    }
    void blank() {
        if (!m_out.empty() && !util::ends_with(m_out, "\n\n")) m_out += '\n';
    }
    void comment(std::string_view s) {
        m_out += "# ";
        m_out += s;
        m_out += '\n';
    }
    // `head` on the first line, then each of `rest` on its own continuation line.
    void continued(std::string_view head, const std::vector<std::string>& rest, std::string_view indent = "    ") {
        m_out += head;
        for (const auto& r : rest) {
            m_out += " \\\n";
            m_out += indent;
            m_out += r;
        }
        m_out += '\n';
    }
    [[nodiscard]] std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

struct Ctx {
    const spec::Spec& spec;
    const spec::Service& svc;
    const spec::Build& build;
    std::string field;                // "services.web.build"
    std::string source_file;
    std::optional<ImageRef> builder;  // the build stage's image; nullopt: single stage
    ImageRef base;                    // the final stage's image
};

std::string image_text(const ImageRef& r) { return r.str(); }

// Preset-specific build arguments (name -> default), overridable from build.args.
spec::StringMap preset_args(Runtime r) {
    if (r == Runtime::Go) return {{"GO_PACKAGE", "."}};
    return {};
}

// ARG lines for the preset's own arguments and build.args (user values override preset defaults).
void emit_build_args(Text& t, const Ctx& c) {
    spec::StringMap args = preset_args(c.build.runtime);
    for (const auto& arg : c.build.args) {
        auto it = std::find_if(args.begin(), args.end(), [&](const auto& p) { return p.first == arg.first; });
        if (it != args.end()) it->second = arg.second;
        else args.push_back(arg);
    }
    for (const auto& [k, v] : args) t.line("ARG " + k + "=" + quote_value(v));
}

bool user_declares(const Ctx& c, std::string_view arg) {
    return std::any_of(c.build.args.begin(), c.build.args.end(), [&](const auto& p) { return p.first == arg; });
}

// `RUN apt-get ...` with the hygiene hadolint asks for: update and install in one layer,
// --no-install-recommends (DL3015), -y, lists deleted (DL3009); unpinned packages (DL3008) are
// explained and suppressed for hadolint.
void emit_apt(Text& t, const std::vector<std::string>& packages) {
    if (packages.empty()) return;
    const bool unpinned = std::any_of(packages.begin(), packages.end(),
                                      [](const std::string& p) { return p.find('=') == std::string::npos; });
    if (unpinned) {
        t.comment("Unpinned packages follow the pinned base image's distribution release; pin them as name=version");
        t.comment("in the spec for fully reproducible images.");
        t.line("# hadolint ignore=DL3008");
    }
    std::vector<std::string> rest{"&& DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends"};
    std::vector<std::string> sorted = packages;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (const auto& p : sorted) rest.push_back("    " + p);
    rest.emplace_back("&& rm -rf /var/lib/apt/lists/*");
    t.continued("RUN apt-get update", rest);
}

// The program the image runs when the spec gives no `command`.
std::vector<std::string> default_entrypoint(const spec::Service& s) {
    switch (s.build->runtime) {
        case Runtime::Node: return {"node", "."};
        case Runtime::Python: return {"python", "-m", "app"};
        case Runtime::Java: return {"java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/app.jar"};
        case Runtime::Go:
        case Runtime::Static: return {program_path(s)};
        case Runtime::Dockerfile: break;
    }
    return {};
}

void emit_healthcheck(Text& t, const Ctx& c) {
    const spec::Health defaults;
    const spec::Health& h = c.svc.health ? *c.svc.health : defaults;
    const HealthCommand hc = image_health_check(c.svc);
    if (hc.argv.empty()) {
        if (!c.svc.health) {
            t.comment("No HEALTHCHECK: the service has no `health` in the spec (stated explicitly, so");
            t.comment("linters and readers know it is deliberate).");
            t.line("HEALTHCHECK NONE");
            return;
        }
        const int port = h.port ? h.port : c.svc.port;
        if (port == 0) {
            t.comment("No HEALTHCHECK: `health` names no port and the service has none.");
            t.line("HEALTHCHECK NONE");
            return;
        }
        t.comment("No HEALTHCHECK: " + hc.why_none + ". To add one, set build.healthcheck to a");
        t.comment("health-check command of the program itself, e.g. [\"" + program_path(c.svc) +
                  "\", \"healthcheck\"]. Orchestrators");
        t.comment("check the service with their own probes (Kubernetes readiness/liveness).");
        t.line("HEALTHCHECK NONE");
        return;
    }
    std::string options = "--interval=" + std::to_string(std::max<std::int64_t>(1, h.interval.seconds)) + "s" +
                          " --timeout=" + std::to_string(std::max<std::int64_t>(1, h.timeout.seconds)) + "s";
    if (h.initial_delay.seconds > 0) options += " --start-period=" + std::to_string(h.initial_delay.seconds) + "s";
    options += " --retries=" + std::to_string(std::max(1, h.failure_threshold));
    t.continued("HEALTHCHECK " + options, {"CMD " + exec_form(hc.argv)});
}

// The end of the final stage: labels, port, user, health check, entrypoint.
void emit_final_tail(Text& t, const Ctx& c) {
    t.blank();
    t.comment("OCI labels; coconut build passes REVISION, CREATED and SOURCE (empty when built by hand).");
    struct Arg {
        std::string_view name;
        std::string value;
    };
    const std::vector<Arg> args{{k_arg_version, c.spec.version}, {k_arg_revision, ""}, {k_arg_created, ""}, {k_arg_source, ""}};
    for (const auto& a : args)
        if (!user_declares(c, a.name) || c.builder) t.line("ARG " + std::string(a.name) + "=" + quote_value(a.value));
    std::vector<std::string> labels{
        "org.opencontainers.image.version=\"${VERSION}\"",
        "org.opencontainers.image.revision=\"${REVISION}\"",
        "org.opencontainers.image.created=\"${CREATED}\"",
        "org.opencontainers.image.source=\"${SOURCE}\"",
    };
    if (c.base.repository != "scratch") {
        ImageRef name = c.base;
        name.digest.clear();
        labels.push_back("org.opencontainers.image.base.name=" + quote_value(name.str()));
        if (!c.base.digest.empty()) labels.push_back("org.opencontainers.image.base.digest=" + quote_value(c.base.digest));
    }
    t.continued("LABEL org.opencontainers.image.title=" + quote_value(c.spec.name + "-" + c.svc.name), labels, "      ");
    if (c.svc.port > 0) t.line("EXPOSE " + std::to_string(c.svc.port));
    const std::string uid = std::to_string(c.svc.run_as_user);
    t.line("USER " + uid + ":" + uid);
    emit_healthcheck(t, c);
    t.line("ENTRYPOINT " + exec_form(c.svc.command.empty() ? default_entrypoint(c.svc) : c.svc.command));
    if (!c.svc.args.empty()) t.line("CMD " + exec_form(c.svc.args));
}

void emit_header(Text& t, const Ctx& c) {
    std::string runtime = spec::to_string(c.build.runtime);
    if (!c.build.version.empty()) runtime += " " + c.build.version;
    t.line(util::trim(header_comment(c.source_file)));
    t.comment("Image of service \"" + c.svc.name + "\" of app \"" + c.spec.name + "\" (runtime preset: " + runtime + ").");
    t.comment("Build context: " + c.build.context + " (build.context, relative to " + c.source_file + "). Build with");
    t.comment("`coconut build " + c.svc.name + "`, or: buildah bud --format docker -f Dockerfile --ignorefile .dockerignore CONTEXT");
}

void emit_from(Text& t, const ImageRef& image, std::string_view stage = {}) {
    std::string line = "FROM " + image_text(image);
    if (!stage.empty()) line += " AS " + std::string(stage);
    t.line(line);
}

// ---- presets ----------------------------------------------------------------------------

std::string render_node(const Ctx& c) {
    Text t;
    emit_header(t, c);
    t.blank();
    t.comment("Build stage: all dependencies from the lock file, the package's build script, then dev dependencies pruned.");
    emit_from(t, *c.builder, "build");
    emit_apt(t, c.build.build_packages);
    t.line("WORKDIR /app");
    emit_build_args(t, c);
    t.line("COPY package.json package-lock.json ./");
    t.line("RUN npm ci");
    t.line("COPY . .");
    t.continued("RUN npm run build --if-present", {"&& npm prune --omit=dev"});
    t.blank();
    t.comment("Runtime stage: production dependencies and the built app, owned by root and read-only to the app user.");
    emit_from(t, c.base);
    emit_apt(t, c.build.packages);
    t.line("ENV NODE_ENV=production");
    t.line("WORKDIR /app");
    t.line("COPY --from=build /app /app");
    emit_final_tail(t, c);
    return t.take();
}

std::string render_python(const Ctx& c) {
    Text t;
    emit_header(t, c);
    t.blank();
    t.comment("Build stage: a virtual environment with the requirements (wheels are built here, not in the runtime image).");
    emit_from(t, *c.builder, "build");
    emit_apt(t, c.build.build_packages);
    t.line("ENV PIP_DISABLE_PIP_VERSION_CHECK=1");
    t.line("WORKDIR /app");
    emit_build_args(t, c);
    t.line("RUN python -m venv /opt/venv");
    t.line("COPY requirements.txt ./");
    t.line("RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.txt");
    t.blank();
    t.comment("Runtime stage: the virtual environment and the sources, owned by root and read-only to the app user.");
    emit_from(t, c.base);
    emit_apt(t, c.build.packages);
    t.continued("ENV PYTHONDONTWRITEBYTECODE=1", {"PYTHONUNBUFFERED=1", "PATH=\"/opt/venv/bin:$PATH\""});
    t.line("WORKDIR /app");
    t.line("COPY --from=build /opt/venv /opt/venv");
    t.line("COPY . .");
    emit_final_tail(t, c);
    return t.take();
}

std::string render_go(const Ctx& c) {
    Text t;
    emit_header(t, c);
    t.blank();
    t.comment("Build stage: modules first (cached while go.mod/go.sum are unchanged), then a static binary.");
    emit_from(t, *c.builder, "build");
    emit_apt(t, c.build.build_packages);
    t.line("ENV CGO_ENABLED=0");
    t.line("WORKDIR /src");
    emit_build_args(t, c);
    t.line("COPY go.* ./");
    t.line("RUN go mod download");
    t.line("COPY . .");
    t.line("RUN go build -trimpath -ldflags=\"-s -w\" -o /out/app \"${GO_PACKAGE}\"");
    t.blank();
    t.comment("Runtime stage: the binary alone on a distroless base (no shell, no package manager).");
    emit_from(t, c.base);
    t.line("WORKDIR /app");
    t.line("COPY --from=build /out/app " + program_path(c.svc));
    emit_final_tail(t, c);
    return t.take();
}

std::string render_java(const Ctx& c) {
    Text t;
    emit_header(t, c);
    t.blank();
    t.comment("Build stage (Maven): dependencies first (cached while pom.xml is unchanged), then the jar; exactly one");
    t.comment("jar must be left in target/.");
    emit_from(t, *c.builder, "build");
    emit_apt(t, c.build.build_packages);
    t.line("WORKDIR /src");
    emit_build_args(t, c);
    t.line("COPY pom.xml ./");
    t.line("RUN mvn -B -ntp dependency:go-offline");
    t.line("COPY src ./src");
    t.line("RUN mvn -B -ntp -DskipTests package");
    t.blank();
    t.comment("Runtime stage: the jar on a JRE, owned by root and read-only to the app user.");
    emit_from(t, c.base);
    emit_apt(t, c.build.packages);
    t.line("WORKDIR /app");
    t.line("COPY --from=build /src/target/*.jar /app/app.jar");
    emit_final_tail(t, c);
    return t.take();
}

std::string render_static(const Ctx& c) {
    Text t;
    emit_header(t, c);
    t.blank();
    t.comment("A prebuilt, statically linked binary (build.binary) and nothing else; no build stage.");
    emit_from(t, c.base);
    emit_build_args(t, c);
    t.line("WORKDIR /app");
    t.line("COPY " + c.build.binary + " " + program_path(c.svc));
    emit_final_tail(t, c);
    return t.take();
}

// ---- .dockerignore ----------------------------------------------------------------------

std::string render_dockerignore(const Ctx& c) {
    Text t;
    t.line(util::trim(header_comment(c.source_file)));
    t.comment("Build context filter of service \"" + c.svc.name + "\": pass it with --ignorefile (buildah, podman), name it");
    t.comment("Dockerfile.dockerignore beside the Dockerfile (docker), or copy it to the context root.");
    if (c.build.runtime == Runtime::Static) {
        t.comment("Only the prebuilt binary is sent to the builder.");
        t.line("*");
        t.line("!" + c.build.binary);
        return t.take();
    }
    t.comment("Version control, local secrets and editor files never belong in an image:");
    for (const char* p : {".git", ".hg", ".svn", ".env", ".env.*", "*.swp", ".DS_Store", ".idea", ".vscode", "coconut.lock"})
        t.line(p);
    switch (c.build.runtime) {
        case Runtime::Node:
            t.comment("Dependencies and build output are recreated inside the build:");
            for (const char* p : {"node_modules", "npm-debug.log*", "coverage", ".npm"}) t.line(p);
            break;
        case Runtime::Python:
            t.comment("Virtual environments and caches are recreated inside the build:");
            for (const char* p : {"__pycache__", "**/__pycache__", "*.py[cod]", ".venv", "venv", ".pytest_cache",
                                  ".mypy_cache", ".tox", "*.egg-info"})
                t.line(p);
            break;
        case Runtime::Go:
            t.comment("Test binaries and coverage output:");
            for (const char* p : {"*.test", "coverage.out", "*.prof"}) t.line(p);
            break;
        case Runtime::Java:
            t.comment("Build output is recreated inside the build:");
            for (const char* p : {"target", ".gradle", "*.iml"}) t.line(p);
            break;
        case Runtime::Static:
        case Runtime::Dockerfile: break;
    }
    return t.take();
}

// ---- validation -------------------------------------------------------------------------

util::Expected<void> check_packages(const std::vector<std::string>& packages, const std::string& field, bool supported,
                                    std::string_view why_not) {
    if (packages.empty()) return {};
    if (!supported) return input_error(field + ": not available for this runtime (" + std::string(why_not) + ")");
    for (const auto& p : packages)
        if (!is_package_spec(p))
            return input_error(field + ": '" + p + "' is not a Debian package name with an optional =version");
    return {};
}

util::Expected<Ctx> make_ctx(const spec::Spec& spec, const spec::Service& svc, std::string_view source_file) {
    const spec::Build& b = *svc.build;
    const std::string field = "services." + svc.name + ".build";
    if (svc.run_as_user <= 0)
        return input_error("services." + svc.name + ".run_as_user: images run as a non-root numeric user (got " +
                           std::to_string(svc.run_as_user) + ")");
    if (has_control(spec.version)) return input_error("version: control characters are not allowed");
    for (const auto& [k, v] : b.args)
        if (has_control(v)) return input_error(field + ".args." + k + ": control characters (newlines) are not allowed");
    if (!b.version.empty() && (!is_valid_tag(b.version) || b.version == "latest"))
        return input_error(field + ".version: '" + b.version + "' is not a runtime version (e.g. 20, 3.12, 1.22)");
    if (svc.health && !svc.health->path.empty() && !is_safe_http_path(svc.health->path) && b.healthcheck.empty())
        return input_error("services." + svc.name + ".health.path: '" + svc.health->path +
                           "' must start with '/' and hold no spaces, quotes or backslashes");

    const bool debian_base = b.runtime == Runtime::Node || b.runtime == Runtime::Python || b.runtime == Runtime::Java;
    TRY_VOID(check_packages(b.packages, field + ".packages", debian_base,
                            "the runtime image has no package manager; use runtime 'dockerfile'"));
    TRY_VOID(check_packages(b.build_packages, field + ".build_packages", b.runtime != Runtime::Static,
                            "the static preset has no build stage"));

    if (b.runtime == Runtime::Static && !is_context_path(b.binary))
        return input_error(field + ".binary: '" + b.binary +
                           "' must be a relative path inside the build context (no '..', spaces or wildcards)");

    const PresetImages defaults = default_images(b.runtime, b.version);
    Ctx c{spec, svc, b, field, std::string(source_file), std::nullopt, ImageRef{}};
    TRY(base, require_pinned(b.base_image.empty() ? defaults.base : b.base_image, field + ".base_image"));
    c.base = std::move(base);
    if (!defaults.builder.empty()) {
        TRY(builder, require_pinned(b.builder_image.empty() ? defaults.builder : b.builder_image, field + ".builder_image"));
        c.builder = std::move(builder);
    } else if (!b.builder_image.empty()) {
        return input_error(field + ".builder_image: the static preset has no build stage");
    }
    return c;
}

}  // namespace

std::string service_dir(std::string_view service) { return "docker/" + std::string(service); }

PresetImages default_images(spec::Runtime runtime, std::string_view version) {
    const std::string v(version);
    switch (runtime) {
        case Runtime::Node: return {"node:" + v + "-bookworm-slim", "node:" + v + "-bookworm-slim"};
        case Runtime::Python: return {"python:" + v + "-slim-bookworm", "python:" + v + "-slim-bookworm"};
        case Runtime::Go: return {"golang:" + v + "-bookworm", "gcr.io/distroless/static-debian12:nonroot"};
        case Runtime::Java: return {"maven:3.9-eclipse-temurin-" + v, "eclipse-temurin:" + v + "-jre"};
        case Runtime::Static: return {"", "scratch"};
        case Runtime::Dockerfile: break;
    }
    return {};
}

std::string program_path(const spec::Service& service) {
    if (service.build && service.build->runtime == Runtime::Static && !service.build->binary.empty())
        return std::string(k_app_dir) + "/" + std::filesystem::path(service.build->binary).filename().string();
    return std::string(k_app_dir) + "/" + service.name;
}

std::string exec_form(const std::vector<std::string>& argv) {
    std::string out = "[";
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (i) out += ", ";
        out += "\"" + util::json_escape(argv[i]) + "\"";
    }
    out += "]";
    return out;
}

util::Expected<std::optional<ServiceFiles>> render_service(const spec::Spec& spec, const spec::Service& service,
                                                           std::string_view source_file) {
    if (!service.build || service.build->runtime == Runtime::Dockerfile) return std::optional<ServiceFiles>{};
    TRY(c, make_ctx(spec, service, source_file));
    ServiceFiles files;
    switch (service.build->runtime) {
        case Runtime::Node: files.dockerfile = render_node(c); break;
        case Runtime::Python: files.dockerfile = render_python(c); break;
        case Runtime::Go: files.dockerfile = render_go(c); break;
        case Runtime::Java: files.dockerfile = render_java(c); break;
        case Runtime::Static: files.dockerfile = render_static(c); break;
        case Runtime::Dockerfile: break;
    }
    files.dockerignore = render_dockerignore(c);
    return std::optional<ServiceFiles>{std::move(files)};
}

util::Expected<void> DockerfileGenerator::generate(const GenerateInput& in, ArtifactSet& out) const {
    // Images are built once per app, not per environment: the base spec is rendered.
    for (const auto& svc : in.base.services) {
        TRY(files, render_service(in.base, svc, in.source_file));
        if (!files) continue;
        const std::string dir = service_dir(svc.name);
        out.add(dir + "/Dockerfile", std::move(files->dockerfile), k_kind_dockerfile);
        out.add(dir + "/.dockerignore", std::move(files->dockerignore), k_kind_dockerignore);
        out.add_root(dir);
    }
    return {};
}

COCONUT_REGISTER_GENERATOR(DockerfileGenerator);

}  // namespace coconut::generate::dockerfile
