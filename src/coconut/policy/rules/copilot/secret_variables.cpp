// COP-SECRET-IN-VARIABLES: a literal value for a secret-looking name (…PASSWORD, …SECRET…,
// …TOKEN, …API_KEY, …PRIVATE_KEY) in `variables:` ends up in plain text in the repository, the
// CloudFormation template and the ECS task definition; it belongs in `secrets:`.
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "coconut/policy/rules/copilot/manifest.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy::rules::copilot {
namespace {

std::vector<std::string> tokens_of(std::string_view name) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            cur += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

// Words that make a variable name a reference to a secret or a setting about it, not a secret.
const std::set<std::string, std::less<>> k_not_secret = {
    "NAME",   "ARN",      "ID",      "IDS",      "FILE",       "PATH",   "DIR",       "URL",    "URI",      "ENDPOINT",
    "HOST",   "TTL",      "EXPIRY",  "EXPIRES",  "EXPIRATION", "LENGTH", "LEN",       "MIN",    "MAX",      "TIMEOUT",
    "HEADER", "TYPE",     "ENABLED", "REGION",   "VERSION",    "PARAM",  "PARAMETER", "ISSUER", "AUDIENCE", "SCOPE",
    "SCOPES", "LOCATION", "POLICY",  "ROTATION", "LIFETIME",   "AGE",    "FIELD"};

// The secret word found in `name`, empty when the name does not look like a secret.
std::string secret_word(std::string_view name) {
    const auto toks = tokens_of(name);
    for (const auto& t : toks)
        if (k_not_secret.count(t) != 0) return {};
    for (std::size_t i = 0; i < toks.size(); ++i) {
        const std::string& t = toks[i];
        for (const char* w : {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "APIKEY", "PRIVATEKEY",
                              "CREDENTIALS", "CREDENTIAL"})
            if (t.find(w) != std::string::npos) return w;
        if (t == "KEY" && i > 0) {
            const std::string& prev = toks[i - 1];
            if (prev == "API" || prev == "PRIVATE" || prev == "ACCESS" || prev == "SIGNING" || prev == "ENCRYPTION" ||
                prev == "MASTER" || prev == "LICENSE" || prev == "WEBHOOK")
                return prev + "_KEY";
        }
    }
    return {};
}

// A literal that cannot be a secret: empty, a boolean or a number, or a reference (an ARN, an
// SSM parameter path).
bool harmless_value(const yaml::Node* v) {
    if (v == nullptr || !v->is_scalar() || v->is_null()) return true;
    const std::string text = util::trim(v->text);
    if (text.empty()) return true;
    const std::string lower = util::to_lower(text);
    if (lower == "true" || lower == "false" || lower == "yes" || lower == "no") return true;
    if (text.find_first_not_of("0123456789.") == std::string::npos) return true;
    if (util::starts_with(lower, "arn:")) return true;
    if (text.front() == '/' && text.find(' ') == std::string::npos) return true;  // /app/prod/db-password
    return false;
}

RuleInfo secret_variables_info() {
    RuleInfo r =
        copilot_rule("COP-SECRET-IN-VARIABLES", "Secret passed as a plain-text environment variable", Severity::High);
    r.description =
        "A `variables:` entry whose name looks like a secret (contains PASSWORD, PASSWD, PASSPHRASE, SECRET, "
        "TOKEN, CREDENTIAL, API_KEY, PRIVATE_KEY, ACCESS_KEY…) has a literal value. Copilot writes variables "
        "in plain text into the CloudFormation template and the ECS task definition, where anyone with "
        "read access to the account (or the repository) can see them; `${VAR}` interpolation only moves "
        "the plain text from the repository to the deployed template. Names that refer to a secret rather "
        "than hold it (…_ARN, …_NAME, …_ID, …_PATH, …_URL, …_TTL…) and values that are references (ARNs, "
        "SSM parameter paths) are not reported. Checked in the main container's and the sidecars' variables, "
        "in the base manifest and in every environment override.";
    r.remediation =
        "Store the value in SSM Parameter Store (`copilot secret init`) or Secrets Manager and reference it "
        "under `secrets:` (`secrets: {DB_PASSWORD: /copilot/app/env/secrets/db_password}` or "
        "`{secretsmanager: 'name'}`); rotate the value that was committed.";
    r.compliance = {cref("soc2", "CC6.1"), cref("hipaa", "164.312(a)(1)"), cref("gdpr", "Art. 32(1)(b)")};
    return r;
}

class CopilotSecretInVariables : public BasicRule {
public:
    CopilotSecretInVariables() : BasicRule(secret_variables_info()) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        for (const Scope& s : scopes(doc)) {
            check_variables(doc, get(s.node, "variables"), "", s, out);
            const yaml::Node* sidecars = get(s.node, "sidecars");
            if (sidecars == nullptr || !sidecars->is_mapping()) continue;
            for (const auto& p : sidecars->pairs)
                if (p.key != nullptr && p.key->is_scalar())
                    check_variables(doc, get(p.value, "variables"), p.key->text, s, out);
        }
    }

private:
    static void check_variables(const Document& doc, const yaml::Node* vars, const std::string& sidecar, const Scope& s,
                                Reporter& out) {
        if (vars == nullptr || !vars->is_mapping()) return;
        for (const auto& p : vars->pairs) {
            if (p.key == nullptr || !p.key->is_scalar()) continue;
            const std::string word = secret_word(p.key->text);
            if (word.empty() || harmless_value(p.value)) continue;
            std::string msg = "variable " + p.key->text + " of " +
                              (sidecar.empty() ? subject(doc) : "sidecar \"" + sidecar + "\" of " + subject(doc)) +
                              " holds a literal secret value" + s.where();
            if (p.value->text.find("${") != std::string::npos)
                msg += " (interpolated at deploy time, still plain text in the task definition)";
            msg += "; move it to secrets:";
            out.report(doc, p.value, std::move(msg));
        }
    }
};

}  // namespace

COCONUT_REGISTER_RULE(CopilotSecretInVariables);

}  // namespace coconut::policy::rules::copilot
