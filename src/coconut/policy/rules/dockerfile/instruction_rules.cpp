// Dockerfile rules about single instructions: ADD, COPY --from, stage names, WORKDIR, CMD and
// ENTRYPOINT, MAINTAINER, EXPOSE, secrets in ENV/ARG.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/dockerfile/common.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::dockerfile {

namespace {

struct ArgWord {
    std::string text;        // quotes removed
    std::size_t offset = 0;  // in Instruction::arguments
};

// The arguments split at unquoted blanks, quotes removed.
std::vector<ArgWord> words_of(const df::Instruction& ins) {
    std::vector<ArgWord> out;
    const std::string& a = ins.arguments;
    ArgWord w;
    bool in_word = false;
    char quote = 0;
    for (std::size_t p = 0; p < a.size(); ++p) {
        char c = a[p];
        if (!quote && (c == ' ' || c == '\t')) {
            if (in_word) out.push_back(std::move(w));
            w = {};
            in_word = false;
            continue;
        }
        if (!in_word) {
            in_word = true;
            w.offset = p;
        }
        if (quote) {
            if (c == quote) quote = 0;
            else w.text.push_back(c);
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '\\' && p + 1 < a.size()) {
            w.text.push_back(a[++p]);
        } else {
            w.text.push_back(c);
        }
    }
    if (in_word) out.push_back(std::move(w));
    return out;
}

// ADD/COPY sources (all but the destination); heredoc markers count as sources.
std::vector<ArgWord> sources(const df::Instruction& ins) {
    std::vector<ArgWord> out;
    if (ins.json_form) {
        for (std::size_t i = 0; i + 1 < ins.json_args.size(); ++i) out.push_back({ins.json_args[i], 0});
        return out;
    }
    out = words_of(ins);
    if (!out.empty()) out.pop_back();
    return out;
}

bool is_url(std::string_view s) {
    return s.find("://") != std::string_view::npos || s.starts_with("git@");
}

bool is_archive(std::string_view s) {
    std::string l = util::to_lower(s);
    for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
                                 ".tzst", ".gz", ".bz2", ".xz", ".zst", ".lz4"}) {
        if (std::string_view(l).ends_with(ext)) return true;
    }
    return false;
}

yaml::Mark source_mark(const df::Instruction& ins, const ArgWord& w) {
    return ins.json_form ? ins.args_mark : ins.mark_at(w.offset);
}

}  // namespace

class DfAddInsteadOfCopy final : public BasicRule {
public:
    DfAddInsteadOfCopy()
        : BasicRule(dockerfile_rule(
              "DF-ADD-LOCAL", "ADD of local files where COPY would do", Severity::Medium,
              "`ADD` has surprising extra behaviour — it unpacks local tar archives and downloads URLs — "
              "so reviewers cannot tell from `ADD app/ /app/` whether something is being extracted. For "
              "plain files and directories `COPY` says exactly what happens. ADD of local archives (meant "
              "to be extracted) and of URLs (see DF-ADD-URL) does not fire here.",
              "Replace `ADD` with `COPY` (same syntax, including `--chown`/`--chmod`).",
              {"hadolint:DL3020"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Instruction& ins : d->instructions) {
            if (ins.keyword != "ADD") continue;
            for (const ArgWord& w : sources(ins)) {
                if (is_url(w.text) || (is_archive(w.text) && !w.text.starts_with("<<"))) continue;
                out.report_at(doc, source_mark(ins, w),
                              "ADD of local " + quoted(w.text) + " at line " + std::to_string(ins.mark.line) +
                                  ": use COPY for files and directories");
                break;
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfAddInsteadOfCopy);

class DfAddUrl final : public BasicRule {
public:
    DfAddUrl()
        : BasicRule(dockerfile_rule(
              "DF-ADD-URL", "ADD downloads a URL without a checksum", Severity::Medium,
              "`ADD https://…` fetches whatever the server returns at build time, unverified, and keeps "
              "it in a layer. A compromised or changed download silently ends up in the image. "
              "`ADD --checksum=sha256:…` (BuildKit) verifies it and passes.",
              "Use `ADD --checksum=sha256:<hash> URL DEST`, or download in a RUN with verification "
              "(`curl -fsSLo f URL && echo \"<hash>  f\" | sha256sum -c -`) and remove what is not needed "
              "in the same RUN.",
              {})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Instruction& ins : d->instructions) {
            if (ins.keyword != "ADD" || ins.flag("checksum") != nullptr) continue;
            for (const ArgWord& w : sources(ins)) {
                if (!is_url(w.text)) continue;
                out.report_at(doc, source_mark(ins, w),
                              "ADD downloads " + quoted(w.text) + " without --checksum: the content is not verified");
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfAddUrl);

namespace {

enum class FromRef { Ok, Self, Missing, Later, External };

// What `COPY --from=VALUE` in stage `current` refers to.
FromRef classify_from(const df::Dockerfile& d, int current, std::string_view value) {
    if (value.empty() || is_variable(value)) return FromRef::External;
    if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        if (value.size() > 6) return FromRef::Missing;
        int n = std::stoi(std::string(value));
        if (n == current) return FromRef::Self;
        return n < current ? FromRef::Ok : FromRef::Missing;
    }
    std::string name = util::to_lower(value);
    const auto& stages = d.stages;
    if (current >= 0 && static_cast<std::size_t>(current) < stages.size() &&
        stages[static_cast<std::size_t>(current)].name == name) {
        return FromRef::Self;
    }
    for (int i = 0; i < current && static_cast<std::size_t>(i) < stages.size(); ++i) {
        if (stages[static_cast<std::size_t>(i)].name == name) return FromRef::Ok;
    }
    if (name.find_first_of(":/@.") != std::string::npos) return FromRef::External;
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i].name == name) return FromRef::Later;
    }
    return FromRef::Missing;
}

// Every `COPY --from=VALUE` of a stage, with what VALUE refers to.
void for_each_copy_from(const df::Dockerfile& d,
                        const std::function<void(const df::Instruction&, const df::Flag&, FromRef)>& fn) {
    for (const df::Instruction& ins : d.instructions) {
        if (ins.keyword != "COPY" || ins.stage < 0) continue;
        if (const df::Flag* f = ins.flag("from")) fn(ins, *f, classify_from(d, ins.stage, f->value));
    }
}

}  // namespace

class DfCopyFromMissing final : public BasicRule {
public:
    DfCopyFromMissing()
        : BasicRule(dockerfile_rule(
              "DF-COPY-FROM-MISSING", "COPY --from names no earlier stage", Severity::Medium,
              "`COPY --from=NAME` copies from the earlier stage called NAME. When no earlier stage has "
              "that name (a typo, or a stage defined further down), BuildKit treats NAME as an image "
              "reference and pulls `docker.io/library/NAME:latest` — at best the build fails, at worst it "
              "copies files from an unrelated public image. Values that look like image references "
              "(with `:`, `/`, `@` or `.`) and `$VARIABLES` are not judged; a stage index must be lower "
              "than the current stage's.",
              "Define the stage before it is used (`FROM … AS NAME`) and spell the name the same way; "
              "copy from an image only with an explicit reference (`--from=nginx:1.27`).",
              {"hadolint:DL3022"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_copy_from(*doc.dockerfile, [&](const df::Instruction&, const df::Flag& f, FromRef ref) {
            if (ref == FromRef::Missing) {
                out.report_at(doc, f.mark,
                              "COPY --from=" + df::printable(f.value) + " names no earlier stage of this Dockerfile");
            } else if (ref == FromRef::Later) {
                out.report_at(doc, f.mark,
                              "COPY --from=" + df::printable(f.value) + " names a stage defined later in the file");
            }
        });
    }
};
COCONUT_REGISTER_RULE(DfCopyFromMissing);

class DfCopyFromSelf final : public BasicRule {
public:
    DfCopyFromSelf()
        : BasicRule(dockerfile_rule(
              "DF-COPY-FROM-SELF", "COPY --from references its own stage", Severity::Medium,
              "A stage cannot copy from itself: `COPY --from=build` inside `FROM … AS build` (or its own "
              "index) is a circular reference that BuildKit rejects.",
              "Copy from the earlier stage that produced the files, or use plain `COPY`/`RUN cp` within "
              "the stage.",
              {"hadolint:DL3023"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for_each_copy_from(*d, [&](const df::Instruction& ins, const df::Flag& f, FromRef ref) {
            if (ref != FromRef::Self) return;
            out.report_at(doc, f.mark,
                          "COPY --from=" + df::printable(f.value) + " inside " +
                              describe_stage(d->stages[static_cast<std::size_t>(ins.stage)]) + " references itself");
        });
    }
};
COCONUT_REGISTER_RULE(DfCopyFromSelf);

class DfStageNameDuplicate final : public BasicRule {
public:
    DfStageNameDuplicate()
        : BasicRule(dockerfile_rule(
              "DF-STAGE-NAME-DUPLICATE", "Two stages with the same name", Severity::Medium,
              "Stage names (`FROM … AS NAME`, compared case-insensitively) must be unique: with two "
              "stages called `build`, `COPY --from=build` and `--target build` silently pick one of "
              "them, and BuildKit rejects the file.",
              "Rename one of the stages and update the `--from` references.",
              {"hadolint:DL3024", "checkov:CKV_DOCKER_11"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        std::map<std::string, const df::Stage*> seen;
        for (const df::Stage& s : d->stages) {
            if (s.name.empty()) continue;
            auto [it, fresh] = seen.emplace(s.name, &s);
            if (fresh) continue;
            const df::Instruction& from = d->instructions[s.from_instruction];
            std::size_t last_word = from.arguments.find_last_of(" \t");
            yaml::Mark mark = last_word == std::string::npos ? from.args_mark : from.mark_at(last_word + 1);
            out.report_at(doc, mark,
                          "stage name " + quoted(s.name) + " is already used by the stage at line " +
                              std::to_string(it->second->mark.line));
        }
    }
};
COCONUT_REGISTER_RULE(DfStageNameDuplicate);

class DfWorkdirRelative final : public BasicRule {
public:
    DfWorkdirRelative()
        : BasicRule(dockerfile_rule(
              "DF-WORKDIR-RELATIVE", "WORKDIR with a relative path", Severity::Medium,
              "A relative `WORKDIR` is resolved against whatever the previous WORKDIR was — including one "
              "set by the base image — so the same Dockerfile can put files in different places when the "
              "base changes. Paths starting with a `$VARIABLE` and Windows paths (`C:\\app`) are not "
              "judged.",
              "Use an absolute path: `WORKDIR /app`.", {"hadolint:DL3000", "checkov:CKV_DOCKER_10"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Instruction& ins : d->instructions) {
            if (ins.keyword != "WORKDIR") continue;
            auto words = words_of(ins);
            if (words.empty()) continue;
            const std::string& p = words.front().text;
            bool windows = p.size() >= 2 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':';
            if (p.starts_with("/") || p.starts_with("$") || p.starts_with("\\") || windows) continue;
            out.report_at(doc, ins.args_mark, "WORKDIR " + quoted(p) + " is relative: use an absolute path");
        }
    }
};
COCONUT_REGISTER_RULE(DfWorkdirRelative);

class DfCmdShellForm final : public BasicRule {
public:
    DfCmdShellForm()
        : BasicRule(dockerfile_rule(
              "DF-CMD-SHELL-FORM", "CMD or ENTRYPOINT in shell form", Severity::Medium,
              "The shell form (`CMD node server.js`) runs the program under `/bin/sh -c`: the shell is "
              "PID 1, does not forward SIGTERM, and the service is killed after the stop timeout instead "
              "of shutting down cleanly. An `ENTRYPOINT` in shell form also ignores CMD and `docker run` "
              "arguments. The JSON (exec) form runs the program directly.",
              "Write `CMD [\"node\", \"server.js\"]`; when a shell is really needed, "
              "`CMD [\"/bin/sh\", \"-c\", \"exec node server.js\"]`.",
              {})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        for (const df::Instruction& ins : d->instructions) {
            if ((ins.keyword != "CMD" && ins.keyword != "ENTRYPOINT") || ins.json_form || ins.arguments.empty()) continue;
            out.report_at(doc, ins.args_mark,
                          ins.keyword + " " + quoted(ins.arguments) +
                              " is in shell form: use the JSON form so the program is PID 1 and receives signals");
        }
    }
};
COCONUT_REGISTER_RULE(DfCmdShellForm);

namespace {

void report_repeated(const df::Dockerfile& d, const Document& doc, Reporter& out, std::string_view keyword) {
    for (const df::Stage& s : d.stages) {
        const df::Instruction* first = nullptr;
        for (std::size_t i = s.from_instruction; i < s.end_instruction && i < d.instructions.size(); ++i) {
            const df::Instruction& ins = d.instructions[i];
            if (ins.keyword != keyword) continue;
            if (first == nullptr) {
                first = &ins;
                continue;
            }
            out.report_at(doc, ins.mark,
                          std::string(keyword) + " repeated in " + describe_stage(s) + " (first at line " +
                              std::to_string(first->mark.line) + "): only the last one takes effect");
        }
    }
}

}  // namespace

// An instruction of which only the last in a stage takes effect (CMD, ENTRYPOINT).
class DfRepeatedInstruction : public BasicRule {
public:
    DfRepeatedInstruction(RuleInfo info, std::string keyword)
        : BasicRule(std::move(info)), m_keyword(std::move(keyword)) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile != nullptr) report_repeated(*doc.dockerfile, doc, out, m_keyword);
    }

private:
    std::string m_keyword;
};

class DfMultipleCmd final : public DfRepeatedInstruction {
public:
    DfMultipleCmd()
        : DfRepeatedInstruction(
              dockerfile_rule("DF-MULTIPLE-CMD", "More than one CMD in a stage", Severity::Low,
                              "Only the last `CMD` of a stage takes effect; earlier ones are dead code that "
                              "misleads the reader about what the image runs.",
                              "Keep one CMD per stage (the last one).", {"hadolint:DL4003"}),
              "CMD") {}
};
COCONUT_REGISTER_RULE(DfMultipleCmd);

class DfMultipleEntrypoint final : public DfRepeatedInstruction {
public:
    DfMultipleEntrypoint()
        : DfRepeatedInstruction(
              dockerfile_rule("DF-MULTIPLE-ENTRYPOINT", "More than one ENTRYPOINT in a stage", Severity::Low,
                              "Only the last `ENTRYPOINT` of a stage takes effect; earlier ones are dead code "
                              "that misleads the reader about what the image runs.",
                              "Keep one ENTRYPOINT per stage (the last one).", {"hadolint:DL4004"}),
              "ENTRYPOINT") {}
};
COCONUT_REGISTER_RULE(DfMultipleEntrypoint);

class DfMaintainer final : public BasicRule {
public:
    DfMaintainer()
        : BasicRule(dockerfile_rule(
              "DF-MAINTAINER", "MAINTAINER is deprecated", Severity::Low,
              "`MAINTAINER` has been deprecated since Docker 1.13; the author belongs in an OCI label, "
              "which tools and registries actually read.",
              "Replace it with `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
              {"hadolint:DL4000", "checkov:CKV_DOCKER_6"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for (const df::Instruction& ins : doc.dockerfile->instructions) {
            if (ins.keyword == "MAINTAINER") {
                out.report_at(doc, ins.mark, "MAINTAINER " + quoted(ins.arguments) + " is deprecated: use LABEL org.opencontainers.image.authors");
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfMaintainer);

namespace {

struct PortRange {
    bool valid = false;
    long low = 0;
    long high = 0;
};

// "80", "80/tcp", "8000-8010/udp"; ranges and protocols checked.
PortRange parse_port(std::string_view w) {
    PortRange r;
    std::size_t slash = w.find('/');
    if (slash != std::string_view::npos) {
        std::string proto = util::to_lower(w.substr(slash + 1));
        if (proto != "tcp" && proto != "udp" && proto != "sctp") return r;
        w = w.substr(0, slash);
    }
    auto number = [](std::string_view s, long& v) {
        if (s.empty() || s.size() > 6) return false;
        if (!std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) return false;
        v = std::stol(std::string(s));
        return v <= 65535;
    };
    std::size_t dash = w.find('-');
    if (dash == std::string_view::npos) {
        r.valid = number(w, r.low);
        r.high = r.low;
    } else {
        r.valid = number(w.substr(0, dash), r.low) && number(w.substr(dash + 1), r.high) && r.low <= r.high;
    }
    return r;
}

// Every port word of every EXPOSE instruction.
void for_each_exposed(const df::Dockerfile& d, const std::function<void(const df::Instruction&, const ArgWord&)>& fn) {
    for (const df::Instruction& ins : d.instructions)
        if (ins.keyword == "EXPOSE")
            for (const ArgWord& w : words_of(ins)) fn(ins, w);
}
}  // namespace

class DfExposePort final : public BasicRule {
public:
    DfExposePort()
        : BasicRule(dockerfile_rule(
              "DF-EXPOSE-PORT", "EXPOSE of an invalid port", Severity::Medium,
              "Ports range from 0 to 65535, optionally with `/tcp`, `/udp` or `/sctp` and as a range "
              "`low-high`. Anything else is a typo (`EXPOSE 80800`, `EXPOSE 8080:80` — a host mapping, "
              "which belongs to `docker run -p`). `$VARIABLES` are not judged.",
              "Expose the container port only: `EXPOSE 8080/tcp`.", {"hadolint:DL3011", "dockerfilelint:invalid_port", "dockerfilelint:expose_host_port"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_exposed(*doc.dockerfile, [&](const df::Instruction& ins, const ArgWord& w) {
            if (is_variable(w.text) || parse_port(w.text).valid) return;
            out.report_at(doc, ins.mark_at(w.offset),
                          "EXPOSE " + quoted(w.text) + " is not a valid port (0-65535[/tcp|udp|sctp])");
        });
    }
};
COCONUT_REGISTER_RULE(DfExposePort);

class DfExposeSsh final : public BasicRule {
public:
    DfExposeSsh()
        : BasicRule(dockerfile_rule(
              "DF-EXPOSE-SSH", "EXPOSE of the SSH port 22", Severity::Medium,
              "Exposing port 22 means the image runs an SSH daemon: a second, long-lived remote access "
              "path with its own credentials, next to what the orchestrator already offers "
              "(`kubectl exec`, `docker exec`, ECS Exec), and one that bypasses their audit logs.",
              "Remove sshd and `EXPOSE 22`; debug with `kubectl exec`/`docker exec` or ephemeral debug "
              "containers.",
              {"checkov:CKV_DOCKER_1"}, {{"soc2", "CC6.6"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for_each_exposed(*doc.dockerfile, [&](const df::Instruction& ins, const ArgWord& w) {
            const PortRange r = parse_port(w.text);
            if (r.valid && r.low <= 22 && 22 <= r.high)
                out.report_at(doc, ins.mark_at(w.offset), "EXPOSE " + quoted(w.text) + " exposes SSH (port 22)");
        });
    }
};
COCONUT_REGISTER_RULE(DfExposeSsh);

namespace {

// ENV/ARG names that name a secret: *PASSWORD*, *PASSWD*, *SECRET*, *TOKEN*, *_KEY, *PRIVATE_KEY*,
// *APIKEY* — except references to files/paths and public material (GPG_KEY fingerprints of the
// official images, *PUBLIC*). Compared in lower case (the same as upper case for these ASCII
// letters).
bool secret_name(std::string_view name) {
    std::string n = util::to_lower(name);
    std::string_view v = n;
    if (v.ends_with("_file") || v.ends_with("_path") || v.ends_with("_dir") ||
        v.find("public") != std::string_view::npos || v.find("pub_key") != std::string_view::npos ||
        v.starts_with("gpg_")) {
        return false;
    }
    for (std::string_view part : {"password", "passwd", "secret", "token", "private_key", "apikey"}) {
        if (v.find(part) != std::string_view::npos) return true;
    }
    return v.ends_with("_key");
}

struct Assignment {
    std::string name;
    std::string value;
    std::size_t offset = 0;
    bool has_value = false;
};

std::vector<Assignment> assignments(const df::Instruction& ins) {
    std::vector<Assignment> out;
    auto words = words_of(ins);
    if (words.empty()) return out;
    if (ins.keyword == "ENV" && words.front().text.find('=') == std::string::npos) {
        // Legacy `ENV NAME value with spaces`.
        Assignment a;
        a.name = words.front().text;
        a.offset = words.front().offset;
        for (std::size_t i = 1; i < words.size(); ++i) {
            if (i > 1) a.value += ' ';
            a.value += words[i].text;
        }
        a.has_value = words.size() > 1;
        out.push_back(std::move(a));
        return out;
    }
    for (const ArgWord& w : words) {
        Assignment a;
        std::size_t eq = w.text.find('=');
        a.name = w.text.substr(0, eq);
        a.offset = w.offset;
        if (eq != std::string::npos) {
            a.value = w.text.substr(eq + 1);
            a.has_value = true;
        }
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

class DfSecretEnv final : public BasicRule {
public:
    DfSecretEnv()
        : BasicRule(dockerfile_rule(
              "DF-SECRET-ENV", "Secret-looking ENV or ARG with a literal value", Severity::High,
              "Values set with `ENV` are stored in the image configuration and `ARG` defaults in the "
              "build history: anyone who can pull the image can read them (`docker inspect`, `docker "
              "history`). Names matching `*PASSWORD*`, `*PASSWD*`, `*SECRET*`, `*TOKEN*`, `*_KEY`, "
              "`*PRIVATE_KEY*` or `*APIKEY*` with a literal (non-empty, not `$VARIABLE`) value fire; "
              "names ending in `_FILE`/`_PATH`/`_DIR`, `*PUBLIC*` and `GPG_*` (key fingerprints) do "
              "not.",
              "Pass secrets at run time (orchestrator secrets, mounted files) and, when the build needs "
              "one, use a BuildKit secret mount: `RUN --mount=type=secret,id=npm_token …`.",
              {}, {{"soc2", "CC6.1"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for (const df::Instruction& ins : doc.dockerfile->instructions) {
            if (ins.keyword != "ENV" && ins.keyword != "ARG") continue;
            for (const Assignment& a : assignments(ins)) {
                if (!a.has_value || a.value.empty() || a.value.starts_with("$") || !secret_name(a.name)) continue;
                out.report_at(doc, ins.mark_at(a.offset),
                              ins.keyword + " sets " + quoted(a.name) +
                                  " to a literal value: it is readable by anyone who can pull the image");
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfSecretEnv);

}  // namespace coconut::policy::rules::dockerfile
