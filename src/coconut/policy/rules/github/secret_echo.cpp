// GHA-SECRET-ECHO: a secret printed to the job log (`echo ${{ secrets.TOKEN }}`, or through an
// encoder that defeats GitHub's log masking: `echo … | base64`), or shell tracing (`set -x`) in a
// step that has secrets.
#include <regex>
#include <string>
#include <vector>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

bool reads_secret(std::string_view body) {
    for (const auto& p : context_paths(body))
        if (util::starts_with(p, "secrets.") || p == "secrets") return true;
    return false;
}

bool mentions_secret(std::string_view text) {
    for (const auto& e : expressions(text))
        if (reads_secret(e.body)) return true;
    return false;
}

bool env_has_secret(const yaml::Node* env) {
    if (env == nullptr || !env->is_mapping()) return false;
    for (const auto& p : env->pairs)
        if (p.value != nullptr && p.value->is_scalar() && mentions_secret(p.value->text)) return true;
    return false;
}

// Commands that transform their input so that GitHub's masking no longer recognises the secret.
bool encoder(std::string_view word) {
    for (const char* w : {"base64", "base32", "xxd", "od", "hexdump", "rev", "sed", "tr", "awk", "cut", "openssl"})
        if (word == w) return true;
    return false;
}

// The first word of the command after a pipe at `text`, skipping `sudo`.
std::string first_word(std::string_view text) {
    std::size_t i = 0;
    for (int round = 0; round < 2; ++round) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '|' && text[j] != ';') ++j;
        std::string word(text.substr(i, j - i));
        if (word != "sudo") return word;
        i = j;
    }
    return {};
}

// Why a secret interpolated at [begin, end) of `line` reaches the log; empty when it does not.
std::string leak(std::string_view line, std::size_t begin, std::size_t end) {
    static const std::regex printer(R"((^|[\s;&|(`])(echo|printf)(\s|$))");
    if (line.find("::add-mask::") != std::string_view::npos) return {};  // consumed by the runner, not logged
    const std::string before(line.substr(0, begin));
    // The command the secret belongs to starts after the last separator before it.
    const auto sep = before.find_last_of(";&|");
    const std::string command = sep == std::string::npos ? before : before.substr(sep + 1);
    if (!std::regex_search(command, printer)) return {};
    const std::string_view after = line.substr(end);
    for (std::size_t i = 0; i < after.size(); ++i) {
        const char c = after[i];
        if (c == ';' || c == '&') break;  // the next command
        if (c == '|') {
            if (i + 1 < after.size() && after[i + 1] == '|') break;
            const std::string word = first_word(after.substr(i + 1));
            if (encoder(word)) return "pipes it through " + word + ", which defeats log masking";
            return {};  // consumed by another command (docker login --password-stdin, gh auth login…)
        }
        if (c == '>') {
            std::string_view target =
                util::trim(after.substr(i + 1)).empty() ? std::string_view() : after.substr(i + 1);
            while (!target.empty() && (target.front() == '>' || target.front() == ' ')) target.remove_prefix(1);
            if (util::starts_with(target, "&2") || util::starts_with(target, "/dev/stdout") ||
                util::starts_with(target, "/dev/stderr"))
                return "prints it to the job log";
            return {};  // written to a file ($GITHUB_ENV, a key file)
        }
    }
    return "prints it to the job log";
}

RuleInfo secret_echo_info() {
    RuleInfo r = workflow_rule("GHA-SECRET-ECHO", "Secret printed to the job log", Severity::Medium);
    r.description =
        "`echo`/`printf` of `${{ secrets.X }}` writes the secret to the job log. GitHub masks registered "
        "secret values in logs, but masking is best effort: a secret piped through `base64`, `xxd`, `rev`, "
        "`sed`… or split across lines is printed in clear, and public repositories' logs are public. Shell "
        "tracing (`set -x`, `set -o xtrace`, `shell: bash -x {0}`) in a step that has secrets (interpolated "
        "or in `env:` at the step, job or workflow level) prints every expanded command, secrets included. "
        "A secret piped into another command (`| docker login --password-stdin`) or redirected to a file is "
        "not reported.";
    r.remediation =
        "Never print secrets; pass them to the consuming command through stdin or an environment variable, "
        "and remove `set -x` from steps that handle secrets (or use `set +x` around them).";
    r.compliance = {cref("soc2", "CC6.1"), cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class GhaSecretEcho : public BasicRule {
public:
    GhaSecretEcho() : BasicRule(secret_echo_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const bool workflow_secrets = env_has_secret(get(doc.root, "env"));
        for (const Job& job : jobs(doc)) {
            const bool job_secrets = workflow_secrets || env_has_secret(get(job.node, "env"));
            for (const Step& step : job.steps) {
                if (step.run == nullptr || !step.run->is_scalar()) continue;
                const std::string& text = step.run->text;
                const std::string where = step.label() + " of " + job.label();
                // echo/printf of an interpolated secret
                for (const auto& e : expressions(text)) {
                    if (!reads_secret(e.body)) continue;
                    const auto line_begin =
                        text.rfind('\n', e.offset) == std::string::npos ? 0 : text.rfind('\n', e.offset) + 1;
                    auto line_end = text.find('\n', e.offset);
                    if (line_end == std::string::npos) line_end = text.size();
                    const std::string_view line = std::string_view(text).substr(line_begin, line_end - line_begin);
                    const std::string why = leak(line, e.offset - line_begin, e.offset - line_begin + e.length);
                    if (why.empty()) continue;
                    out.report_at(doc, mark_at(doc, step.run, e.offset, e.length),
                                  where + " echoes ${{ " + e.body + " }} and " + why);
                }
                // shell tracing with secrets around
                const bool secrets = job_secrets || env_has_secret(step.env) || mentions_secret(text);
                if (!secrets) continue;
                static const std::regex xtrace(R"((^|[\s;&])set\s+(-[a-zA-Z]*x[a-zA-Z]*|-o\s+xtrace)\b)");
                for_each_line(text, [&](const std::string& line, std::size_t pos) {
                    std::smatch m;
                    if (!std::regex_search(line, m, xtrace)) return;
                    const auto at = pos + static_cast<std::size_t>(m.position(0)) + m.str(1).size();
                    out.report_at(doc,
                                  mark_at(doc, step.run, at, static_cast<std::size_t>(m.length(0)) - m.str(1).size()),
                                  where + " turns on shell tracing (" + util::trim(m.str(0)) +
                                      ") in a step that has secrets; traced commands print them");
                });
                const yaml::Node* shell = get(step.node, "shell");
                static const std::regex traced_shell(R"(\s-[a-zA-Z]*x)");
                if (std::regex_search(std::string(scalar_text(shell)), traced_shell))
                    out.report(doc, shell,
                               where + " runs its script with shell tracing (shell: " + shell->text +
                                   ") in a step that has secrets; traced commands print them");
            }
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaSecretEcho);

}  // namespace coconut::policy::rules::github
