// Dockerfile rules about the shell commands of RUN scripts: cd, sudo, wget and curl, replacing
// /bin/sh, pipes without pipefail.
#include <algorithm>
#include <string>
#include <vector>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rule.hpp"
#include "coconut/policy/rules/dockerfile/common.hpp"

namespace coconut::policy::rules::dockerfile {

namespace {

std::string at_line(const Script& s) { return "RUN at line " + std::to_string(s.instruction->mark.line); }

}  // namespace

class DfRunCd final : public BasicRule {
public:
    DfRunCd()
        : BasicRule(dockerfile_rule(
              "DF-RUN-CD", "cd in RUN instead of WORKDIR", Severity::Low,
              "A `cd` only lasts for the rest of its RUN; the next instruction starts again in the "
              "WORKDIR. Scripts that `cd` around are hard to follow and break when a step moves to "
              "another RUN. Every `cd` command of a RUN script (heredoc bodies included) fires, as in "
              "hadolint.",
              "Set the directory with `WORKDIR /path` (absolute); for a one-off command use the tool's "
              "own option (`make -C dir`, `npm --prefix dir`, `git -C dir`).",
              {"hadolint:DL3003"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for (const Script& s : run_scripts(*doc.dockerfile)) {
            for (const Command& c : s.commands) {
                if (c.name != "cd") continue;
                std::string dir = c.args_begin() < c.words.size() ? c.words[c.args_begin()].text : std::string("~");
                out.report_at(doc, s.mark_of(c), "`cd " + df::printable(dir) + "` in " + at_line(s) + ": use WORKDIR");
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfRunCd);

class DfRunSudo final : public BasicRule {
public:
    DfRunSudo()
        : BasicRule(dockerfile_rule(
              "DF-RUN-SUDO", "sudo in RUN", Severity::Medium,
              "RUN already executes as the current `USER`; `sudo` in a build means the image ships sudo "
              "(and a sudoers entry) so that an unprivileged user can become root — which defeats the "
              "point of the non-root USER at run time, and sudo's TTY and signal handling is unreliable "
              "in containers.",
              "Run the privileged steps before switching `USER`, or switch with `USER root` … `USER app` "
              "around them; remove sudo from the image. Use gosu/su-exec in an entrypoint when a process "
              "must drop privileges at start.",
              {"hadolint:DL3004"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for (const Script& s : run_scripts(*doc.dockerfile)) {
            for (const Command& c : s.commands) {
                if (c.sudo_index >= 0) {
                    const Word& w = c.words[static_cast<std::size_t>(c.sudo_index)];
                    out.report_at(doc, s.mark_of(w),
                                  "sudo " + (c.name.empty() ? std::string() : df::printable(c.name) + " ") + "in " + at_line(s) +
                                      ": RUN already runs as the current USER");
                } else if (c.name == "sudo") {
                    out.report_at(doc, s.mark_of(c), "sudo in " + at_line(s) + ": RUN already runs as the current USER");
                }
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfRunSudo);

class DfWgetAndCurl final : public BasicRule {
public:
    DfWgetAndCurl()
        : BasicRule(dockerfile_rule(
              "DF-WGET-AND-CURL", "Both wget and curl are used", Severity::Low,
              "Using both `wget` and `curl` in one Dockerfile usually means both end up installed: two "
              "HTTP clients with their own dependencies and CVEs where one would do. Fires once, at the "
              "first use of whichever tool appears second.",
              "Settle on one of them (curl is in most base images; `wget -qO-` ≈ `curl -fsSL`).",
              {})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        const Command* first_curl = nullptr;
        const Command* first_wget = nullptr;
        const Script* curl_script = nullptr;
        const Script* wget_script = nullptr;
        auto scripts = run_scripts(*doc.dockerfile);
        for (const Script& s : scripts) {
            for (const Command& c : s.commands) {
                if (c.name == "curl" && first_curl == nullptr) {
                    first_curl = &c;
                    curl_script = &s;
                }
                if (c.name == "wget" && first_wget == nullptr) {
                    first_wget = &c;
                    wget_script = &s;
                }
            }
            if (first_curl != nullptr && first_wget != nullptr) {
                // The tool found last (here, in this script) is the second one.
                bool wget_second = wget_script == &s && (curl_script != &s || first_wget->offset > first_curl->offset);
                if (wget_second) {
                    out.report_at(doc, s.mark_of(*first_wget),
                                  "wget in " + at_line(s) + " while curl is used at line " +
                                      std::to_string(curl_script->instruction->mark.line) + ": use one of them");
                } else {
                    out.report_at(doc, s.mark_of(*first_curl),
                                  "curl in " + at_line(s) + " while wget is used at line " +
                                      std::to_string(wget_script->instruction->mark.line) + ": use one of them");
                }
                return;
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfWgetAndCurl);

class DfShellLn final : public BasicRule {
public:
    DfShellLn()
        : BasicRule(dockerfile_rule(
              "DF-SHELL-LN", "RUN ln replaces /bin/sh instead of using SHELL", Severity::Low,
              "Replacing `/bin/sh` with a symlink (`ln -sf /bin/bash /bin/sh`) changes the shell for "
              "every program in the image, including package maintainer scripts that rely on the "
              "distribution's sh, and hides the change from readers. The `SHELL` instruction changes the "
              "shell for the Dockerfile's RUN instructions only.",
              "Use `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`.", {"hadolint:DL4005"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        if (doc.dockerfile == nullptr) return;
        for (const Script& s : run_scripts(*doc.dockerfile)) {
            for (const Command& c : s.commands) {
                if (c.name == "ln" && has_arg(c, "/bin/sh")) {
                    out.report_at(doc, s.mark_of(c), "ln replaces /bin/sh in " + at_line(s) + ": use the SHELL instruction");
                }
            }
        }
    }
};
COCONUT_REGISTER_RULE(DfShellLn);

namespace {

bool args_have_pipefail(const std::vector<std::string>& args) {
    return std::find(args.begin(), args.end(), "pipefail") != args.end();
}

bool sets_pipefail(const Command& c) { return c.name == "set" && has_arg(c, "pipefail"); }

}  // namespace

class DfPipefail final : public BasicRule {
public:
    DfPipefail()
        : BasicRule(dockerfile_rule(
              "DF-PIPEFAIL", "Download piped without pipefail", Severity::Medium,
              "A pipeline's status is that of its last command: in `curl -fsSL URL | sh` (or `| tar x`) "
              "a failed download feeds an empty or partial stream onward and the RUN still succeeds, so "
              "the image is built without what it was meant to contain. Fires for pipelines whose "
              "producer is curl or wget (hadolint's DL4006 fires for every pipe) unless `set -o "
              "pipefail` runs earlier in the same script, or the SHELL (or the exec form) has `-o "
              "pipefail`. Non-POSIX shells set with SHELL (PowerShell, cmd) are not judged.",
              "Add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN (or start the "
              "script with `set -o pipefail` in a shell that has it), or download to a file and verify "
              "it first.",
              {})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const df::Dockerfile* d = doc.dockerfile;
        if (d == nullptr) return;
        // The SHELL (exec form) in effect at the end of each stage; a stage starts with that of
        // the stage it is built FROM (always an earlier one). Linear in the instructions.
        std::vector<const df::Instruction*> shell_at_end(d->stages.size(), nullptr);
        for (const df::Stage& st : d->stages) {
            const df::Instruction* shell =
                st.parent >= 0 ? shell_at_end[static_cast<std::size_t>(st.parent)] : nullptr;
            for (std::size_t i = st.from_instruction; i < st.end_instruction && i < d->instructions.size(); ++i) {
                const df::Instruction& ins = d->instructions[i];
                if (ins.keyword == "SHELL" && ins.json_form) shell = &ins;
                if (ins.keyword != "RUN") continue;
                if (shell != nullptr) {
                    if (args_have_pipefail(shell->json_args)) continue;
                    const std::string program = shell->json_args.empty() ? std::string() : shell->json_args.front();
                    if (!is_posix_shell(program.substr(program.rfind('/') == std::string::npos ? 0 : program.rfind('/') + 1))) {
                        continue;
                    }
                }
                for (const Script& s : run_scripts(*d, i, i + 1)) {
                    if (s.exec && args_have_pipefail(ins.json_args)) continue;
                    bool pipefail = false;
                    for (const Command& c : s.commands) {
                        if (sets_pipefail(c)) pipefail = true;
                        if (pipefail || !c.piped_out || (c.name != "curl" && c.name != "wget")) continue;
                        out.report_at(doc, s.mark_of(c),
                                      c.name + " piped to another command in " + at_line(s) +
                                          " without pipefail: a failed download does not fail the build");
                    }
                }
            }
            shell_at_end[static_cast<std::size_t>(st.index)] = shell;
        }
    }
};
COCONUT_REGISTER_RULE(DfPipefail);

}  // namespace coconut::policy::rules::dockerfile
