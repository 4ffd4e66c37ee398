// GHA-CURL-PIPE-SHELL: `curl … | bash` runs whatever the server returns at that moment, with
// the job's secrets and token, and leaves no trace of what ran.
#include <regex>
#include <string>

#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::github {
namespace {

RuleInfo curl_info() {
    RuleInfo r = workflow_rule("GHA-CURL-PIPE-SHELL", "Remote script piped into a shell", Severity::Medium);
    r.description =
        "A `run:` script downloads a script and executes it unseen: `curl … | bash`, `wget -qO- … | sudo sh`, "
        "`bash <(curl …)`, `sh -c \"$(curl …)\"` (also into python, perl, ruby or node). Nothing checks what "
        "was downloaded, so whoever controls the URL, its DNS or a mirror runs code with the job's secrets and "
        "GITHUB_TOKEN, and a change on the server changes the build without a commit.";
    r.remediation =
        "Download to a file, verify its checksum or signature against a value committed in the repository "
        "(`echo \"<sha256>  install.sh\" | sha256sum -c`), then run it; better, use a pinned action or a "
        "package manager with a lock file.";
    r.compliance = {cref("soc2", "CC8.1"), cref("soc2", "CC6.8")};
    return r;
}

class GhaCurlPipeShell : public BasicRule {
public:
    GhaCurlPipeShell() : BasicRule(curl_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        static const std::regex piped(
            R"((^|[\s;&|(])(curl|wget)\s[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(env\s+\S+=\S+\s+)*(ba|z|k|da|fi)?sh\b|(^|[\s;&|(])(curl|wget)\s[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(python[0-9.]*|perl|ruby|node)\s*(-\s*)?($|[;&|]))");
        static const std::regex substituted(R"((^|[\s;&|(])(ba|z|k|da)?sh\s[^\n]*(<\(|\$\()\s*(curl|wget)\s)");
        for (const Job& job : jobs(doc))
            for (const Step& step : job.steps) {
                if (step.run == nullptr || !step.run->is_scalar()) continue;
                const std::string& text = step.run->text;
                for_each_line(text, [&](const std::string& line, std::size_t pos) {
                    std::smatch m;
                    if (!std::regex_search(line, m, piped) && !std::regex_search(line, m, substituted)) return;
                    // Skip the separator the match starts with.
                    std::size_t at = pos + static_cast<std::size_t>(m.position(0));
                    std::size_t length = static_cast<std::size_t>(m.length(0));
                    while (length > 0 && (text[at] == ' ' || text[at] == '\t' || text[at] == ';' || text[at] == '&' ||
                                          text[at] == '|' || text[at] == '(')) {
                        ++at;
                        --length;
                    }
                    out.report_at(doc, mark_at(doc, step.run, at, length),
                                  step.label() + " of " + job.label() + " pipes a downloaded script into an " +
                                      "interpreter without verifying it: " + util::trim(line));
                });
            }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(GhaCurlPipeShell);

}  // namespace coconut::policy::rules::github
