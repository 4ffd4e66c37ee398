// Dockerfile rules about package managers in RUN scripts: apt-get/apt, apk, pip, npm.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/dockerfile/common.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::dockerfile {

namespace {

std::string list_words(const std::vector<const Word*>& words) {
    std::string out;
    constexpr std::size_t k_shown = 5;
    for (std::size_t i = 0; i < words.size() && i < k_shown; ++i) {
        if (i) out += ", ";
        out += df::printable(words[i]->text, 40);
    }
    if (words.size() > k_shown) out += ", … (" + std::to_string(words.size()) + " in all)";
    return out;
}

// Operands of a package-manager subcommand: the words after `sub` that are not options nor
// option values.
std::vector<const Word*> operands(const Command& c, std::size_t sub, const std::vector<std::string_view>& with_value) {
    std::vector<const Word*> out;
    for (std::size_t i = sub + 1; i < c.words.size(); ++i) {
        const std::string& w = c.words[i].text;
        if (w.starts_with("-")) {
            if (std::find(with_value.begin(), with_value.end(), w) != with_value.end()) ++i;
            continue;
        }
        out.push_back(&c.words[i]);
    }
    return out;
}

// ---- apt-get -----------------------------------------------------------------------------

const std::vector<std::string_view> k_apt_value_options = {"-o", "-c", "-t", "-a", "--option", "--config-file",
                                                          "--target-release", "--host-architecture"};

// The subcommand of an apt-get (or apt) command, empty when none.
std::string apt_subcommand(const Command& c) {
    std::size_t sub = subcommand_index(c, k_apt_value_options);
    return sub < c.words.size() ? c.words[sub].text : std::string();
}


// The value of `-o NAME=VALUE` / `--option NAME=VALUE` / `-oNAME=VALUE` options, lower-cased name.
std::vector<std::pair<std::string, std::string>> apt_options(const Command& c) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = c.args_begin(); i < c.words.size(); ++i) {
        const std::string& w = c.words[i].text;
        std::string kv;
        if ((w == "-o" || w == "--option") && i + 1 < c.words.size()) {
            kv = c.words[++i].text;
        } else if (w.starts_with("-o") && w.size() > 2 && w[2] != '-') {
            kv = w.substr(2);
        } else if (w.starts_with("--option=")) {
            kv = w.substr(9);
        } else {
            continue;
        }
        std::size_t eq = kv.find('=');
        if (eq == std::string::npos) continue;
        out.emplace_back(util::to_lower(kv.substr(0, eq)), util::to_lower(kv.substr(eq + 1)));
    }
    return out;
}

bool truthy(std::string_view v) { return v == "true" || v == "1" || v == "yes"; }
bool falsy(std::string_view v) { return v == "false" || v == "0" || v == "no"; }

// Combined short options of apt-get (`-qy`, `-qqs` …): a word of these letters only.
bool apt_short_options(std::string_view w) {
    return w.size() > 2 && w[0] == '-' && w[1] != '-' && w.find_first_not_of("-qyfsmVdu") == std::string_view::npos;
}

// apt-get's "no action" mode (man apt-get: `-s`, `--simulate`, `--just-print`, `--dry-run`,
// `--recon`, `--no-act`, or `-o APT::Get::Simulate=true`): it only prints what it would do.
bool apt_simulates(const Command& c) {
    for (std::size_t i = c.args_begin(); i < c.words.size(); ++i) {
        const std::string& w = c.words[i].text;
        if (w == "-s" || w == "--simulate" || w == "--just-print" || w == "--dry-run" || w == "--recon" ||
            w == "--no-act" || (apt_short_options(w) && w.find('s') != std::string::npos)) {
            return true;
        }
    }
    for (const auto& [name, value] : apt_options(c)) {
        if (name == "apt::get::simulate" && truthy(value)) return true;
    }
    return false;
}

// `apt-get install …` that really installs (not simulated).
bool is_apt_get_install(const Command& c) {
    return c.name == "apt-get" && apt_subcommand(c) == "install" && !apt_simulates(c);
}

// `apt-get dist-clean` / `apt dist-clean` (apt 2.7.8+, also spelt `distclean`): removes the
// package lists like `rm -rf /var/lib/apt/lists/*`.
bool is_apt_dist_clean(const Command& c) {
    if (c.name != "apt-get" && c.name != "apt") return false;
    const std::string sub = apt_subcommand(c);
    return (sub == "dist-clean" || sub == "distclean") && !apt_simulates(c);
}

// `rm … PATH…` with an operand under `prefix`.
bool removes(const Command& c, std::string_view prefix) {
    if (c.name != "rm") return false;
    for (std::size_t k = c.args_begin(); k < c.words.size(); ++k) {
        if (c.words[k].text.starts_with(prefix)) return true;
    }
    return false;
}

bool apt_assumes_yes(const Command& c) {
    for (std::size_t i = c.args_begin(); i < c.words.size(); ++i) {
        const std::string& w = c.words[i].text;
        if (w == "-y" || w == "--yes" || w == "--assume-yes" || w == "-qq" || w == "-q=2" || w == "--quiet=2") {
            return true;
        }
        // Combined short options: -yq, -qy, -qqy …
        if (apt_short_options(w) && (w.find('y') != std::string::npos || w.find("qq") != std::string::npos)) {
            return true;
        }
    }
    for (const auto& [name, value] : apt_options(c)) {
        if (name == "apt::get::assume-yes" && truthy(value)) return true;
    }
    return false;
}

bool apt_no_recommends(const Command& c) {
    if (has_arg(c, "--no-install-recommends")) return true;
    for (const auto& [name, value] : apt_options(c)) {
        if (name == "apt::install-recommends" && falsy(value)) return true;
    }
    return false;
}

// Index of "install" in `apt-get install …`.
std::optional<std::size_t> apt_get_install(const Command& c) {
    if (!is_apt_get_install(c)) return std::nullopt;
    return subcommand_index(c, k_apt_value_options);
}

bool apt_pinned(std::string_view w) {
    return w.find('=') != std::string_view::npos || w.ends_with(".deb") || is_variable(w) || w.starts_with("/") ||
           w.starts_with("./");
}

// ---- apk, pip, npm -------------------------------------------------------------------------

const std::vector<std::string_view> k_apk_value_options = {"-X", "--repository", "-t", "--virtual", "-p", "--root",
                                                          "--arch", "--keys-dir", "--cache-dir", "--repositories-file"};

// True when some argument word of `c` is one of `options`.
bool has_any_arg(const Command& c, std::initializer_list<std::string_view> options) {
    return std::any_of(options.begin(), options.end(), [&](std::string_view o) { return has_arg(c, o); });
}

// Index of "add" in `apk add …`; none for `apk add -s|--simulate` (a commit option: only prints
// what it would do).
std::optional<std::size_t> apk_add(const Command& c) {
    if (c.name != "apk" || has_any_arg(c, {"-s", "--simulate"})) return std::nullopt;
    std::size_t sub = subcommand_index(c, k_apk_value_options);
    if (sub < c.words.size() && c.words[sub].text == "add") return sub;
    return std::nullopt;
}

bool is_apk_add(const Command& c) { return apk_add(c).has_value(); }

bool apk_pinned(std::string_view w) {
    return w.find_first_of("=~<>") != std::string_view::npos || w.ends_with(".apk") || is_variable(w) ||
           w.find('/') != std::string_view::npos;
}

const std::vector<std::string_view> k_pip_value_options = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f",
    "--find-links", "-t", "--target", "--prefix", "--root", "--src", "--upgrade-strategy", "--platform",
    "--python-version", "--implementation", "--abi", "--only-binary", "--no-binary", "--progress-bar",
    "--trusted-host", "--cache-dir", "--log", "--proxy", "--retries", "--timeout", "--exists-action", "--cert",
    "--client-cert", "--global-option", "--install-option", "--config-settings", "-C", "--report",
    "--root-user-action", "--python"};

bool is_pip_program(std::string_view name) {
    if (!name.starts_with("pip")) return false;
    return name.substr(3).find_first_not_of("0123456789.") == std::string_view::npos;
}

// Index of "install" in `pip install …`, `pip3 install …`, `python3 -m pip install …`; none for
// `pip install --dry-run` (pip 22.2+: resolves, installs nothing).
std::optional<std::size_t> pip_install(const Command& c) {
    if (has_arg(c, "--dry-run")) return std::nullopt;
    std::size_t start = c.words.size();
    if (is_pip_program(c.name)) {
        start = c.name_index;
    } else if (c.name.starts_with("python")) {
        for (std::size_t i = c.args_begin(); i + 1 < c.words.size(); ++i) {
            if (c.words[i].text == "-m" && is_pip_program(c.words[i + 1].text)) {
                start = i + 1;
                break;
            }
        }
    }
    if (start >= c.words.size()) return std::nullopt;
    for (std::size_t i = start + 1; i < c.words.size(); ++i) {
        const std::string& w = c.words[i].text;
        if (w.starts_with("-")) continue;
        if (w == "install") return i;
        return std::nullopt;
    }
    return std::nullopt;
}

bool pip_pinned(std::string_view w) {
    for (std::string_view op : {"==", ">=", "<=", "~=", "!=", "<", ">", "@"}) {
        if (w.find(op) != std::string_view::npos) return true;
    }
    return is_variable(w) || w.starts_with(".") || w.find('/') != std::string_view::npos || w.ends_with(".whl") ||
           w.ends_with(".tar.gz") || w.ends_with(".zip");
}

const std::vector<std::string_view> k_npm_value_options = {"--prefix", "--registry", "--tag", "-w", "--workspace",
                                                          "--omit", "--include", "--only", "--cache", "--userconfig"};

// Index of the install subcommand of `npm install|i|add …`; none with `--dry-run` (npm then only
// reports what it would change).
std::optional<std::size_t> npm_install(const Command& c) {
    if (c.name != "npm" || has_any_arg(c, {"--dry-run", "--dry-run=true"})) return std::nullopt;
    std::size_t sub = subcommand_index(c, k_npm_value_options);
    if (sub >= c.words.size()) return std::nullopt;
    const std::string& s = c.words[sub].text;
    if (s == "install" || s == "i" || s == "add" || s == "in" || s == "ins" || s == "inst" || s == "insta" ||
        s == "instal") {
        return sub;
    }
    return std::nullopt;
}

bool npm_pinned(std::string_view w) {
    if (is_variable(w) || w.starts_with(".") || w.starts_with("/") || w.starts_with("~") ||
        w.find("://") != std::string_view::npos || w.starts_with("git+") || w.starts_with("git@") ||
        w.starts_with("github:") || w.starts_with("file:") || w.ends_with(".tgz") || w.ends_with(".tar.gz")) {
        return true;
    }
    std::size_t at = w.rfind('@');
    if (at == std::string_view::npos || at == 0) {
        // `user/repo` is a GitHub shorthand; a scoped name without a version is not pinned.
        return !w.starts_with("@") && w.find('/') != std::string_view::npos;
    }
    std::string_view version = w.substr(at + 1);
    return !version.empty() && version != "latest" && version != "next";
}

// Calls f(script, command) for every command of every RUN script.
template <class F>
void for_each_command(const df::Dockerfile& d, F&& f) {
    for (const Script& s : run_scripts(d)) {
        for (const Command& c : s.commands) f(s, c);
    }
}

std::string at_line(const Script& s) { return "RUN at line " + std::to_string(s.instruction->mark.line); }

}  // namespace

// A package manager's install command whose package operands must name versions.
struct PackageInstall {
    const char* what;                                            // "apt-get install", for messages
    std::optional<std::size_t> (*subcommand)(const Command& c);   // index of the install word, or none
    const std::vector<std::string_view>* value_options;           // options that take a value
    bool (*pinned)(std::string_view operand);
};

// DF-APT-PIN, DF-APK-PIN, DF-PIP-PIN, DF-NPM-PIN: the unpinned operands of every install command.
class DfPinRule : public BasicRule {
public:
    DfPinRule(RuleInfo info, PackageInstall install) : BasicRule(std::move(info)), m_install(install) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_command(*doc.dockerfile, [&](const Script& s, const Command& c) {
            const auto sub = m_install.subcommand(c);
            if (!sub) return;
            std::vector<const Word*> unpinned;
            for (const Word* w : operands(c, *sub, *m_install.value_options))
                if (!m_install.pinned(w->text)) unpinned.push_back(w);
            if (unpinned.empty()) return;
            out.report_at(doc, s.mark_of(c), std::string(m_install.what) + " of unpinned packages in " + at_line(s) +
                                                 ": " + list_words(unpinned));
        });
    }

private:
    PackageInstall m_install;
};

class DfAptNoYes final : public BasicRule {
public:
    DfAptNoYes()
        : BasicRule(dockerfile_rule(
              "DF-APT-NO-YES", "apt-get install without -y", Severity::Medium,
              "`apt-get install` asks for confirmation before installing dependencies; in a non-interactive "
              "build the prompt reads end-of-file and aborts. `-y`/`--yes`/`--assume-yes`, `-qq` (which "
              "implies it) or `-o APT::Get::Assume-Yes=true` answer it. Simulated installs (`-s`, "
              "`--simulate`, `--dry-run` …) install nothing and are not judged.",
              "Use `apt-get install -y --no-install-recommends PACKAGE=VERSION …`.", {"hadolint:DL3014"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_command(*doc.dockerfile, [&](const Script& s, const Command& c) {
            if (is_apt_get_install(c) && !apt_assumes_yes(c)) {
                out.report_at(doc, s.mark_of(c), "apt-get install without -y in " + at_line(s) + ": the build cannot answer the confirmation prompt");
            }
        });
    }
};
COCONUT_REGISTER_RULE(DfAptNoYes);

class DfAptNoRecommends final : public BasicRule {
public:
    DfAptNoRecommends()
        : BasicRule(dockerfile_rule(
              "DF-APT-NO-RECOMMENDS", "apt-get install without --no-install-recommends", Severity::Low,
              "By default apt also installs every *recommended* package: larger images, more CVEs to "
              "patch, more tools for an attacker. `--no-install-recommends` (or "
              "`-o APT::Install-Recommends=false`) installs only what the packages depend on. Simulated "
              "installs (`apt-get install -s`) are not judged.",
              "Add `--no-install-recommends` to `apt-get install` and list what you need explicitly.",
              {"hadolint:DL3015", "dockerfilelint:apt-get_recommends"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_command(*doc.dockerfile, [&](const Script& s, const Command& c) {
            if (is_apt_get_install(c) && !apt_no_recommends(c)) {
                out.report_at(doc, s.mark_of(c), "apt-get install without --no-install-recommends in " + at_line(s));
            }
        });
    }
};
COCONUT_REGISTER_RULE(DfAptNoRecommends);

class DfAptPin final : public DfPinRule {
public:
    DfAptPin()
        : DfPinRule(dockerfile_rule(
              "DF-APT-PIN", "apt-get install of unpinned package versions", Severity::Low,
              "Without `package=version` the build installs whatever the mirror carries that day, so "
              "rebuilding the same commit can change the image. `.deb` files, paths, `$VARIABLES` and "
              "simulated installs (`apt-get install -s`) are not judged.",
              "Pin versions: `apt-get install -y curl=7.88.1-10+deb12u5` (`apt-cache policy curl` shows "
              "the candidate), and let an update bot bump them.",
              {"hadolint:DL3008"}),
                    {"apt-get install", apt_get_install, &k_apt_value_options, apt_pinned}) {}
};
COCONUT_REGISTER_RULE(DfAptPin);

class DfAptLists final : public BasicRule {
public:
    DfAptLists()
        : BasicRule(dockerfile_rule(
              "DF-APT-LISTS", "apt lists not removed after apt-get install", Severity::Low,
              "`apt-get update` leaves tens of megabytes of package lists in /var/lib/apt/lists. Unless "
              "the same RUN removes them (`rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean` from apt "
              "2.7.8 on, e.g. Debian 13), they stay in that layer of the image for good. Only the final "
              "stage and the stages it is built `FROM` are checked (other stages do not reach the "
              "image); a cache or tmpfs mount on /var/lib/apt/lists also passes. Simulated installs "
              "(`apt-get install -s`) install nothing and are not judged.",
              "End the RUN with `&& rm -rf /var/lib/apt/lists/*` (or `&& apt-get dist-clean` on Debian 13+), "
              "or use `RUN --mount=type=cache,target=/var/lib/apt/lists …`.",
              {})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr || d->final_stage() == nullptr) return;
        for (const df::Stage* st : stage_chain(*d, *d->final_stage())) {
            auto scripts = run_scripts(*d, st->from_instruction, st->end_instruction);
            for (std::size_t i = 0; i < scripts.size();) {
                const df::Instruction* ins = scripts[i].instruction;
                std::size_t j = i;
                const Script* install_script = nullptr;
                const Command* install = nullptr;
                bool cleaned = has_cache_mount(*ins, "/var/lib/apt/lists");
                for (; j < scripts.size() && scripts[j].instruction == ins; ++j) {
                    for (const Command& c : scripts[j].commands) {
                        if (install == nullptr && is_apt_get_install(c)) {
                            install = &c;
                            install_script = &scripts[j];
                        }
                        if (removes(c, "/var/lib/apt/lists") || is_apt_dist_clean(c)) cleaned = true;
                    }
                }
                if (install != nullptr && !cleaned) {
                    out.report_at(doc, install_script->mark_of(*install),
                                  "apt-get install in " + at_line(*install_script) +
                                      " of the final image without `rm -rf /var/lib/apt/lists/*` or `apt-get dist-clean` in the same RUN");
                }
                i = j;
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfAptLists);

class DfAptUpgrade final : public BasicRule {
public:
    DfAptUpgrade()
        : BasicRule(dockerfile_rule(
              "DF-APT-UPGRADE", "apt-get upgrade or dist-upgrade in a Dockerfile", Severity::Medium,
              "Upgrading all packages inside the build makes the image depend on the day it was built and "
              "duplicates what the base image maintainers do (and test); `dist-upgrade` can even change "
              "the distribution release under the base image. Simulated upgrades (`apt-get -s upgrade`) "
              "change nothing and are not judged.",
              "Rebuild on a newer base image tag instead; install specific versions of the few packages "
              "that need a fix.",
              {"dockerfilelint:apt-get-upgrade", "dockerfilelint:apt-get-dist-upgrade"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_command(*doc.dockerfile, [&](const Script& s, const Command& c) {
            if ((c.name != "apt-get" && c.name != "apt") || apt_simulates(c)) return;
            std::string sub = apt_subcommand(c);
            if (sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade") {
                out.report_at(doc, s.mark_of(c), df::printable(c.name) + " " + df::printable(sub) + " in " + at_line(s) + ": use a newer base image instead");
            }
        });
    }
};
COCONUT_REGISTER_RULE(DfAptUpgrade);

class DfAptUseAptGet final : public BasicRule {
public:
    DfAptUseAptGet()
        : BasicRule(dockerfile_rule(
              "DF-APT-USE-APT-GET", "apt used instead of apt-get", Severity::Medium,
              "`apt` is the interactive front end: its command-line interface is explicitly not stable "
              "for scripts (it warns so on stderr) and its output and prompts change between releases. "
              "Scripts and Dockerfiles should use `apt-get` and `apt-cache`.",
              "Replace `apt install` with `apt-get install -y --no-install-recommends`, `apt search` with "
              "`apt-cache search`.",
              {"hadolint:DL3027", "checkov:CKV_DOCKER_9"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_command(*doc.dockerfile, [&](const Script& s, const Command& c) {
            if (c.name == "apt") {
                std::string sub = apt_subcommand(c);
                out.report_at(doc, s.mark_of(c), "`apt" + (sub.empty() ? std::string() : " " + df::printable(sub)) + "` in " + at_line(s) + ": use apt-get");
            }
        });
    }
};
COCONUT_REGISTER_RULE(DfAptUseAptGet);

class DfApkNoCache final : public BasicRule {
public:
    DfApkNoCache()
        : BasicRule(dockerfile_rule(
              "DF-APK-NO-CACHE", "apk add without --no-cache", Severity::Low,
              "`apk add` keeps the package index in /var/cache/apk, which then stays in the layer. "
              "`--no-cache` fetches the index to a temporary place and keeps the image small. A cache "
              "mount on /var/cache/apk or removing /var/cache/apk in the same RUN also passes; "
              "`apk add --simulate` installs nothing and is not judged.",
              "Use `apk add --no-cache PACKAGE=VERSION …` (and drop a separate `apk update`).",
              {"hadolint:DL3019", "dockerfilelint:apkadd-missing_nocache_or_updaterm"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        auto scripts = run_scripts(*doc.dockerfile);
        // The scripts of one RUN are contiguous: judge them together.
        for (std::size_t i = 0; i < scripts.size();) {
            const df::Instruction* ins = scripts[i].instruction;
            std::size_t j = i;
            while (j < scripts.size() && scripts[j].instruction == ins) ++j;
            bool cleaned = has_cache_mount(*ins, "/var/cache/apk") || has_cache_mount(*ins, "/etc/apk/cache");
            for (std::size_t k = i; k < j; ++k) {
                for (const Command& c : scripts[k].commands) {
                    if (removes(c, "/var/cache/apk")) cleaned = true;
                }
            }
            for (std::size_t k = i; k < j && !cleaned; ++k) {
                for (const Command& c : scripts[k].commands) {
                    if (is_apk_add(c) && !has_arg(c, "--no-cache")) {
                        out.report_at(doc, scripts[k].mark_of(c), "apk add without --no-cache in " + at_line(scripts[k]));
                    }
                }
            }
            i = j;
        }
    }
};
COCONUT_REGISTER_RULE(DfApkNoCache);

class DfApkPin final : public DfPinRule {
public:
    DfApkPin()
        : DfPinRule(dockerfile_rule(
              "DF-APK-PIN", "apk add of unpinned package versions", Severity::Low,
              "Without a version constraint (`curl=8.5.0-r0`, `curl~8.5`) `apk add` installs whatever the "
              "repository carries on the day of the build. The `--virtual` name, `.apk` files, "
              "`$VARIABLES` and `apk add --simulate` are not judged.",
              "Pin versions: `apk add --no-cache curl=8.5.0-r0` (`apk policy curl` lists them), or a "
              "`~` constraint to follow patch releases.",
              {"hadolint:DL3018"}),
                    {"apk add", apk_add, &k_apk_value_options, apk_pinned}) {}
};
COCONUT_REGISTER_RULE(DfApkPin);

class DfPipNoCache final : public BasicRule {
public:
    DfPipNoCache()
        : BasicRule(dockerfile_rule(
              "DF-PIP-NO-CACHE", "pip install without --no-cache-dir", Severity::Low,
              "pip keeps every downloaded wheel in ~/.cache/pip, which then stays in the layer. "
              "`--no-cache-dir`, `PIP_NO_CACHE_DIR` set by ENV/ARG (in the stage or the stages it is "
              "built FROM) or on the command, or a cache mount on the pip cache directory all pass; "
              "`pip install --dry-run` installs nothing and is not judged.",
              "Use `pip install --no-cache-dir …`, or `ENV PIP_NO_CACHE_DIR=1`, or "
              "`RUN --mount=type=cache,target=/root/.cache/pip pip install …`.",
              {"hadolint:DL3042"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        // PIP_NO_CACHE_DIR set by ENV/ARG so far; a stage starts with the state at the end of the
        // stage it is built FROM (always an earlier one). Linear in the instructions.
        std::vector<char> env_at_end(d->stages.size(), 0);
        for (const df::Stage& st : d->stages) {
            bool env = st.parent >= 0 && env_at_end[static_cast<std::size_t>(st.parent)] != 0;
            for (std::size_t i = st.from_instruction; i < st.end_instruction && i < d->instructions.size(); ++i) {
                const df::Instruction& ins = d->instructions[i];
                if ((ins.keyword == "ENV" || ins.keyword == "ARG") &&
                    ins.arguments.find("PIP_NO_CACHE_DIR") != std::string::npos) {
                    env = true;
                }
                if (ins.keyword != "RUN" || env) continue;
                if (has_cache_mount(ins, ".cache/pip") || has_cache_mount(ins, "/root/.cache")) continue;
                for (const Script& s : run_scripts(*d, i, i + 1)) {
                    for (const Command& c : s.commands) {
                        if (!pip_install(c)) continue;
                        bool ok = false;
                        for (std::size_t k = 0; k < c.words.size(); ++k) {
                            const std::string& w = c.words[k].text;
                            if (w.starts_with("--no-cache-dir") || (k < c.name_index && w.starts_with("PIP_NO_CACHE_DIR="))) {
                                ok = true;
                            }
                        }
                        if (!ok) out.report_at(doc, s.mark_of(c), "pip install without --no-cache-dir in " + at_line(s));
                    }
                }
            }
            env_at_end[static_cast<std::size_t>(st.index)] = env ? 1 : 0;
        }
    }
};
COCONUT_REGISTER_RULE(DfPipNoCache);

class DfPipPin final : public DfPinRule {
public:
    DfPipPin()
        : DfPinRule(dockerfile_rule(
              "DF-PIP-PIN", "pip install of unpinned package versions", Severity::Low,
              "`pip install flask` installs the newest release on the day of the build. Any version "
              "specifier (`==`, `~=`, `>=`…), a direct reference (`@ URL`), requirement/constraint files "
              "(`-r`, `-c`), paths, archives, `$VARIABLES` and `pip install --dry-run` pass.",
              "Pin with `==` (`pip install flask==3.0.3`), or better install from a requirements file with "
              "hashes (`pip install --require-hashes -r requirements.txt`).",
              {}),
                    {"pip install", pip_install, &k_pip_value_options, pip_pinned}) {}
};
COCONUT_REGISTER_RULE(DfPipPin);

class DfNpmPin final : public DfPinRule {
public:
    DfNpmPin()
        : DfPinRule(dockerfile_rule(
              "DF-NPM-PIN", "npm install of unpinned package versions", Severity::Low,
              "`npm install typescript` (also `npm i`/`npm add`) takes the newest release at build time. "
              "`name@version` passes (but not `@latest`/`@next`), as do `npm install`/`npm ci` from the "
              "lock file, paths, tarballs, git URLs, `$VARIABLES` and `npm install --dry-run`.",
              "Pin the version (`npm install -g typescript@5.4.5`), or declare the dependency in "
              "package.json and run `npm ci`.",
              {}),
                    {"npm install", npm_install, &k_npm_value_options, npm_pinned}) {}
};
COCONUT_REGISTER_RULE(DfNpmPin);

}  // namespace coconut::policy::rules::dockerfile
