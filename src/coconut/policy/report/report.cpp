#include "coconut/policy/report/report.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "coconut/util/strings.hpp"

namespace coconut::policy::report {

using Json = nlohmann::ordered_json;

namespace {

bool counts(const Finding& f) { return !f.suppressed; }

const char* sarif_level(Severity s) {
    switch (s) {
        case Severity::Critical:
        case Severity::High: return "error";
        case Severity::Medium: return "warning";
        case Severity::Low:
        case Severity::Info: return "note";
    }
    return "warning";
}

// GitHub code scanning reads "security-severity" (0.0-10.0) to rank alerts.
const char* security_severity(Severity s) {
    switch (s) {
        case Severity::Critical: return "9.5";
        case Severity::High: return "8.0";
        case Severity::Medium: return "5.5";
        case Severity::Low: return "3.0";
        case Severity::Info: return "1.0";
    }
    return "5.5";
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 forbids most control characters even escaped.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') out += ' ';
                else out += c;
        }
    }
    return out;
}

std::string position(const Finding& f) {
    if (f.mark.line == 0) return f.file.empty() ? "(command line)" : f.file;
    return f.file + ":" + std::to_string(f.mark.line) + ":" + std::to_string(f.mark.column);
}

const char* color_of(Severity s) {
    switch (s) {
        case Severity::Critical: return "\033[1;35m";
        case Severity::High: return "\033[1;31m";
        case Severity::Medium: return "\033[33m";
        case Severity::Low: return "\033[36m";
        case Severity::Info: return "\033[2m";
    }
    return "";
}

}  // namespace

Summary summarize(const std::vector<Finding>& findings, Severity fail_on) {
    Summary s;
    s.fail_on = fail_on;
    for (const auto& f : findings) {
        if (!counts(f)) {
            ++s.suppressed;
            continue;
        }
        ++s.total;
        ++s.by_severity[f.severity];
        if (f.severity >= fail_on) s.failed = true;
    }
    return s;
}

std::string text(const std::vector<Finding>& findings, const Summary& summary, const TextOptions& options) {
    std::ostringstream out;
    const char* reset = options.color ? "\033[0m" : "";
    const char* bold = options.color ? "\033[1m" : "";
    std::string current;
    bool first = true;
    for (const auto& f : findings) {
        if (!counts(f)) continue;
        const std::string file = f.file.empty() ? "(command line)" : f.file;
        if (first || file != current) {
            if (!first) out << '\n';
            out << bold << file << reset << '\n';
            current = file;
            first = false;
        }
        out << "  ";
        if (f.mark.line != 0) out << f.mark.line << ':' << f.mark.column;
        else out << "-";
        out << "  " << (options.color ? color_of(f.severity) : "") << to_string(f.severity) << reset << "  " << f.rule
            << "  " << f.message;
        if (!f.object.empty()) out << "  [" << f.object << "]";
        out << '\n';
    }
    if (!first) out << '\n';
    if (summary.total == 0) {
        out << "no findings";
    } else {
        out << summary.total << (summary.total == 1 ? " finding" : " findings") << " (";
        bool sep = false;
        for (auto s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info}) {
            const auto it = summary.by_severity.find(s);
            if (it == summary.by_severity.end()) continue;
            out << (sep ? ", " : "") << it->second << ' ' << to_string(s);
            sep = true;
        }
        out << ')';
    }
    if (summary.suppressed != 0) out << ", " << summary.suppressed << " suppressed";
    out << "; " << summary.documents << " documents in " << summary.files << " files, " << summary.rules
        << " rules\n";
    return out.str();
}

Json json(const std::vector<Finding>& findings, const Summary& summary) {
    Json list = Json::array();
    Json suppressed = Json::array();
    for (const auto& f : findings) {
        Json item;
        item["rule"] = f.rule;
        item["aliases"] = f.aliases;
        item["severity"] = to_string(f.severity);
        item["file"] = f.file;
        item["line"] = f.mark.line;
        item["column"] = f.mark.column;
        item["object"] = f.object.empty() ? Json(nullptr) : Json(f.object);
        item["message"] = f.message;
        if (f.suppressed) {
            item["suppression"] = {{"kind", f.suppression}, {"reason", f.suppression_reason}};
            suppressed.push_back(std::move(item));
        } else {
            list.push_back(std::move(item));
        }
    }
    Json sev = Json::object();
    for (auto s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info}) {
        const auto it = summary.by_severity.find(s);
        sev[to_string(s)] = it == summary.by_severity.end() ? 0 : it->second;
    }
    Json out;
    out["findings"] = std::move(list);
    out["suppressed"] = std::move(suppressed);
    out["summary"] = {{"findings", summary.total},         {"by_severity", sev},
                      {"suppressed", summary.suppressed},  {"files", summary.files},
                      {"documents", summary.documents},    {"rules", summary.rules},
                      {"fail_on", to_string(summary.fail_on)}, {"failed", summary.failed}};
    return out;
}

std::string percent_encode_path(std::string_view path) {
    static const char* k_hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (unsigned char c : path) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                c == '.' || c == '_' || c == '~' || c == '/';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += k_hex[c >> 4];
            out += k_hex[c & 15];
        }
    }
    return out;
}

std::string sarif_uri(const std::string& file, const SarifOptions& options, bool& relative) {
    namespace fs = std::filesystem;
    fs::path p(file);
    if (p.is_relative() && !options.working_dir.empty()) p = fs::path(options.working_dir) / p;
    p = p.lexically_normal();
    if (options.root_dir.empty()) {
        relative = p.is_relative();
        return percent_encode_path(p.generic_string());
    }
    const fs::path rel = p.lexically_relative(fs::path(options.root_dir).lexically_normal());
    if (!rel.empty() && *rel.begin() != ".." && rel.is_relative()) {
        relative = true;
        return percent_encode_path(rel.generic_string());
    }
    relative = false;   // outside the repository: an absolute file: URI
    return "file://" + percent_encode_path(p.generic_string());
}

Json sarif(const std::vector<Finding>& findings, const SarifOptions& options) {
    // Rule metadata for every rule that has a result, in order of first use.
    Json rules = Json::array();
    std::map<std::string, std::size_t> index;
    auto rule_index = [&](const Finding& f) {
        auto it = index.find(f.rule);
        if (it != index.end()) return it->second;
        Json r;
        r["id"] = f.rule;
        if (const Rule* rule = RuleRegistry::instance().find(f.rule); rule != nullptr && rule->info().id == f.rule) {
            const RuleInfo& info = rule->info();
            r["name"] = info.title;
            r["shortDescription"] = {{"text", info.title}};
            r["fullDescription"] = {{"text", info.description}};
            std::string help = info.description + "\n\nRemediation: " + info.remediation;
            r["help"] = {{"text", help}, {"markdown", help}};
            r["helpUri"] = "https://coconut.dev/docs/rules#" + util::to_lower(info.id);
            r["defaultConfiguration"] = {{"level", sarif_level(info.severity)}};
            Json tags = Json::array({"security", to_string(info.input)});
            for (const auto& c : info.compliance) tags.push_back(c.framework + ":" + c.control);
            r["properties"] = {{"tags", tags},
                               {"security-severity", security_severity(info.severity)},
                               {"aliases", info.aliases}};
        } else {
            // A custom (Kyverno) policy rule: "policy/rule".
            r["name"] = f.rule;
            r["shortDescription"] = {{"text", "Custom policy " + f.rule}};
            r["defaultConfiguration"] = {{"level", sarif_level(f.severity)}};
            r["properties"] = {{"tags", Json::array({"custom-policy"})},
                               {"security-severity", security_severity(f.severity)}};
        }
        rules.push_back(std::move(r));
        index.emplace(f.rule, rules.size() - 1);
        return rules.size() - 1;
    };
    Json results = Json::array();
    for (const auto& f : findings) {
        Json res;
        res["ruleId"] = f.rule;
        res["ruleIndex"] = rule_index(f);
        res["level"] = sarif_level(f.severity);
        std::string message = f.message;
        if (!f.object.empty()) message += " [" + f.object + "]";
        res["message"] = {{"text", message}};
        if (!f.file.empty()) {
            Json physical;
            bool relative = false;
            const std::string uri = sarif_uri(f.file, options, relative);
            physical["artifactLocation"] = relative ? Json{{"uri", uri}, {"uriBaseId", "%SRCROOT%"}} : Json{{"uri", uri}};
            if (f.mark.line != 0)
                physical["region"] = {{"startLine", f.mark.line}, {"startColumn", std::max<std::uint32_t>(1, f.mark.column)}};
            Json loc;
            loc["physicalLocation"] = std::move(physical);
            if (!f.object.empty())
                loc["logicalLocations"] = Json::array({{{"fullyQualifiedName", f.object}, {"kind", "object"}}});
            res["locations"] = Json::array({std::move(loc)});
        }
        if (f.suppressed)
            res["suppressions"] = Json::array(
                {{{"kind", f.suppression == "annotation" || f.suppression == "comment" ? "inSource" : "external"},
                  {"justification", f.suppression_reason}}});
        res["properties"] = {{"severity", to_string(f.severity)}, {"aliases", f.aliases}};
        results.push_back(std::move(res));
    }
    Json driver;
    driver["name"] = "coconut";
    driver["version"] = COCONUT_VERSION;
    driver["semanticVersion"] = COCONUT_VERSION;
    driver["informationUri"] = "https://coconut.dev";
    driver["rules"] = std::move(rules);
    Json run;
    run["tool"] = {{"driver", std::move(driver)}};
    Json root = {{"description", {{"text", "The repository root."}}}};
    if (!options.root_dir.empty()) {
        std::string dir = options.root_dir;
        if (dir.back() != '/') dir += '/';
        root["uri"] = "file://" + percent_encode_path(dir);
    }
    run["originalUriBaseIds"] = {{"%SRCROOT%", std::move(root)}};
    run["results"] = std::move(results);
    run["columnKind"] = "unicodeCodePoints";
    Json out;
    out["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    out["version"] = "2.1.0";
    out["runs"] = Json::array({std::move(run)});
    return out;
}

std::string junit(const std::vector<Finding>& findings, const Summary& summary) {
    std::ostringstream out;
    std::size_t tests = 0;
    for (const auto& f : findings) tests += counts(f) ? 1 : 0;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"coconut check\" tests=\"" << std::max<std::size_t>(tests, 1) << "\" failures=\""
        << tests << "\">\n";
    out << "  <testsuite name=\"coconut check\" tests=\"" << std::max<std::size_t>(tests, 1) << "\" failures=\""
        << tests << "\" skipped=\"" << summary.suppressed << "\">\n";
    if (tests == 0)
        out << "    <testcase classname=\"coconut\" name=\"no findings (" << summary.documents << " documents, "
            << summary.rules << " rules)\"/>\n";
    for (const auto& f : findings) {
        if (!counts(f)) continue;
        out << "    <testcase classname=\"" << xml_escape(f.file.empty() ? "coconut" : f.file) << "\" name=\""
            << xml_escape(f.rule + " " + position(f)) << "\">\n";
        out << "      <failure type=\"" << to_string(f.severity) << "\" message=\"" << xml_escape(f.message)
            << "\">" << xml_escape(position(f) + ": " + f.rule + " (" + to_string(f.severity) + "): " + f.message +
                                   (f.object.empty() ? "" : " [" + f.object + "]"))
            << "</failure>\n";
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
    return out.str();
}

const std::vector<std::pair<std::string, std::string>>& frameworks() {
    static const std::vector<std::pair<std::string, std::string>> k_frameworks = {
        {"cis-k8s", "CIS Kubernetes Benchmark v1.9 (section 5: policies)"},
        {"nsa", "NSA/CISA Kubernetes Hardening Guide v1.2"},
        {"soc2", "SOC 2 Trust Services Criteria (2017, rev. 2022)"},
        {"hipaa", "HIPAA Security Rule §164.312 technical safeguards"},
        {"gdpr", "GDPR Article 32 (security of processing)"},
    };
    return k_frameworks;
}

ComplianceReport compliance(const std::string& framework, const std::vector<Finding>& findings) {
    ComplianceReport report;
    report.framework = framework;
    for (const auto& [id, title] : frameworks())
        if (id == framework) report.title = title;
    std::map<std::string, ControlStatus> controls;
    std::map<std::string, std::size_t> by_rule;
    for (const auto& f : findings)
        if (counts(f)) ++by_rule[f.rule];
    for (const Rule* rule : RuleRegistry::instance().all()) {
        for (const auto& c : rule->info().compliance) {
            if (c.framework != framework) continue;
            auto& status = controls[c.control];
            status.control = c.control;
            status.rules.push_back(rule->info().id);
            if (auto it = by_rule.find(rule->info().id); it != by_rule.end()) status.findings += it->second;
        }
    }
    for (auto& [_, status] : controls) report.controls.push_back(std::move(status));
    return report;
}

std::string compliance_text(const ComplianceReport& report, bool color) {
    std::ostringstream out;
    const char* reset = color ? "\033[0m" : "";
    out << report.title << '\n';
    std::size_t passed = 0;
    for (const auto& c : report.controls) {
        passed += c.passed() ? 1 : 0;
        out << "  " << (c.passed() ? (color ? "\033[32mpass\033[0m" : "pass") : (color ? "\033[31mFAIL\033[0m" : "FAIL"))
            << "  " << c.control;
        if (!c.passed()) out << "  (" << c.findings << (c.findings == 1 ? " finding" : " findings") << ")";
        out << reset << "\n        rules: " << util::join(c.rules, ", ") << '\n';
    }
    out << passed << " of " << report.controls.size() << " controls pass\n";
    return out.str();
}

Json compliance_json(const ComplianceReport& report) {
    Json controls = Json::array();
    for (const auto& c : report.controls)
        controls.push_back({{"control", c.control}, {"rules", c.rules}, {"findings", c.findings},
                            {"status", c.passed() ? "pass" : "fail"}});
    return {{"framework", report.framework}, {"title", report.title}, {"controls", controls}};
}

}  // namespace coconut::policy::report
