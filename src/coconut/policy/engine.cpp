// run_checks: every applicable rule over every document, custom policies, suppressions.
#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <new>
#include <tuple>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/inputs/kubernetes.hpp"
#include "coconut/policy/inputs/reader.hpp"
#include "coconut/util/signals.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::policy {

namespace {

// The engine's own findings are rules too, so they are listed, documented and suppressible.
class ParseErrorRule final : public BasicRule {
public:
    ParseErrorRule()
        : BasicRule(RuleInfo{
              .id = k_parse_rule,
              .title = "Input cannot be parsed",
              .severity = Severity::High,
              .input = inputs::k_kubernetes,
              .kinds = {"-"},   // never run as a rule: the loader reports it
              .description = "The file is not valid YAML / Dockerfile syntax, is binary, or is nested too "
                             "deeply. Nothing in the unparsable part was checked, so every other rule is blind "
                             "there (the documents of a YAML stream after the broken one are still checked). "
                             "At most 20 are reported per file, then one finding with the count.",
              .remediation = "Fix the syntax at the reported position (or exclude the file with .gitignore).",
              .aliases = {},
              .compliance = {},
              .no_compliance_reason = "input hygiene: a file that cannot be read cannot be assessed",
          }) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(ParseErrorRule);

// An engine rule: reported by the loader, never run on a document.
RuleInfo engine_rule(const char* id, const char* title, Severity severity, const char* description,
                     const char* remediation, const char* no_compliance_reason) {
    return RuleInfo{
        .id = id,
        .title = title,
        .severity = severity,
        .input = inputs::k_kubernetes,
        .kinds = {"-"},
        .description = description,
        .remediation = remediation,
        .aliases = {},
        .compliance = {},
        .no_compliance_reason = no_compliance_reason,
    };
}

class UnreadableRule final : public BasicRule {
public:
    UnreadableRule()
        : BasicRule(engine_rule(
              k_unreadable_rule, "Input cannot be read", Severity::High,
              "A file or directory under the checked paths could not be read (permission denied, an I/O "
              "error, a broken link named explicitly). Nothing in it was checked; the rest of the run goes "
              "on, so one unreadable file never hides the report of the others.",
              "Give the user running coconut read access (or exclude the path with .gitignore).",
              "input hygiene: a file that cannot be read cannot be assessed")) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(UnreadableRule);

class UnknownInputRule final : public BasicRule {
public:
    UnknownInputRule()
        : BasicRule(engine_rule(
              k_unknown_rule, "Input of no known kind", Severity::Info,
              "A file named explicitly parses, but is not a kind of input coconut knows (a Kubernetes "
              "object, a Dockerfile, an Ansible playbook or task file, a Copilot manifest, a GitHub "
              "workflow): e.g. `.github/dependabot.yml`. Nothing in it was checked. Files met while walking "
              "a directory are skipped silently instead.",
              "Nothing to fix when the file is not meant to be checked; otherwise check its `apiVersion`/`kind`.",
              "informational: no control is affected")) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(UnknownInputRule);

class HelmTemplateRule final : public BasicRule {
public:
    HelmTemplateRule()
        : BasicRule(engine_rule(
              k_helm_template_rule, "Helm chart templates are not checked as they are", Severity::Info,
              "Files under `templates/` of a directory with a `Chart.yaml` are Go templates: what they "
              "render depends on the values, and the parts that happen to parse as YAML would give false "
              "findings (`Service \"\" matches no pod`). They are skipped, with one finding per chart (or "
              "per file named explicitly) saying how to check what the chart renders.",
              "Render the chart and check the output: `helm template RELEASE CHART -f VALUES | coconut check -`.",
              "informational: no control is affected")) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(HelmTemplateRule);

class SuppressionReasonRule final : public BasicRule {
public:
    SuppressionReasonRule()
        : BasicRule(RuleInfo{
              .id = k_suppression_rule,
              .title = "Suppression without a reason",
              .severity = Severity::Medium,
              .input = inputs::k_kubernetes,
              .kinds = {"-"},
              .description = "A `coconut.dev/ignore` annotation, a `# coconut:ignore` comment, a spec "
                             "`policies.exceptions` entry or an `--ignore` flag turns a rule off without "
                             "saying why. Every accepted risk needs a recorded reason for the next reviewer "
                             "and for audits.",
              .remediation = "Write the reason after ` -- `: `coconut.dev/ignore: K8S-HOST-PORT -- node-local "
                             "DNS cache needs port 53 on the node`.",
              .aliases = {},
              .compliance = {{"soc2", "CC8.1"}},
              .no_compliance_reason = {},
          }) {}
    void check(const Document&, const CheckContext&, Reporter&) const override {}
};
COCONUT_REGISTER_RULE(SuppressionReasonRule);

const RuleInfo& rule_info(const char* id) { return RuleRegistry::instance().find(id)->info(); }

Finding suppression_finding(const std::string& file, yaml::Mark mark, std::string what) {
    const RuleInfo& info = rule_info(k_suppression_rule);
    Finding f;
    f.rule = info.id;
    f.aliases = info.aliases;
    f.severity = info.severity;
    f.file = file;
    f.mark = mark;
    f.message = std::move(what) + " has no reason; write it after ' -- '";
    return f;
}

bool names_rule(const std::string& name, const Finding& f) {
    if (name == f.rule || name == "*") return true;
    return std::find(f.aliases.begin(), f.aliases.end(), name) != f.aliases.end();
}

bool names_any(const std::vector<std::string>& names, const Finding& f) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return names_rule(n, f); });
}

void suppress(Finding& f, const char* how, const std::string& reason) {
    if (f.suppressed) return;
    f.suppressed = true;
    f.suppression = how;
    f.suppression_reason = reason;
}

// `# coconut:ignore RULE[,RULE] -- reason` comments of one file, each with the lines it covers.
struct CommentSuppression {
    Suppression what;
    std::uint32_t first = 0, last = 0;
    yaml::Mark mark;
};

std::size_t indent_of(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i;
}

std::vector<CommentSuppression> comment_suppressions(const SourceFile& file, inputs::Statement statement) {
    std::vector<CommentSuppression> out;
    if (file.text.find("coconut:ignore") == std::string::npos) return out;
    const std::vector<std::string> lines = util::split(file.text, '\n');
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const auto at = line.find("coconut:ignore");
        if (at == std::string::npos) continue;
        const auto hash = line.rfind('#', at);
        if (hash == std::string::npos) continue;
        CommentSuppression s;
        s.what = parse_suppression(std::string_view(line).substr(at + 14));
        s.mark = {static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(hash + 1)};
        const bool trailing = util::trim(std::string_view(line).substr(0, hash)).size() > 0;
        if (trailing) {
            s.first = s.last = static_cast<std::uint32_t>(i + 1);
            out.push_back(std::move(s));
            continue;
        }
        // The next line that is neither blank nor a comment, and the block it opens.
        std::size_t j = i + 1;
        while (j < lines.size() && (util::trim(lines[j]).empty() || util::trim(lines[j])[0] == '#')) ++j;
        if (j >= lines.size()) continue;
        std::size_t end = j;
        if (statement == inputs::Statement::ContinuedLines) {
            while (end + 1 < lines.size() && !lines[end].empty() &&
                   (lines[end].back() == '\\' || lines[end].back() == '`'))
                ++end;
        } else {
            const std::size_t base = indent_of(lines[j]);
            for (std::size_t k = j + 1; k < lines.size(); ++k) {
                const std::string t = util::trim(lines[k]);
                if (t.empty() || t[0] == '#') continue;
                const std::size_t ind = indent_of(lines[k]);
                if (ind > base) end = k;
                else break;
            }
        }
        s.first = static_cast<std::uint32_t>(j + 1);
        s.last = static_cast<std::uint32_t>(end + 1);
        out.push_back(std::move(s));
    }
    return out;
}

bool exception_matches(const Exception& e, const Finding& f) {
    if (!names_rule(e.rule, f)) return false;
    if (e.object.empty()) return true;
    return (!f.object.empty() && fnmatch(e.object.c_str(), f.object.c_str(), 0) == 0) ||
           fnmatch(e.object.c_str(), f.file.c_str(), 0) == 0;
}

// At most k_max_findings_per_rule findings of one rule in one file (sorted input): the rest
// become one summary finding of the same rule, so a pathological file cannot drown the report.
std::vector<Finding> cap_per_rule_and_file(std::vector<Finding> sorted) {
    std::map<std::pair<std::string, std::string>, std::size_t> counts;
    for (const auto& f : sorted) ++counts[{f.rule, f.file}];
    if (std::none_of(counts.begin(), counts.end(), [](const auto& c) { return c.second > k_max_findings_per_rule; }))
        return sorted;
    std::vector<Finding> out;
    std::map<std::pair<std::string, std::string>, std::size_t> kept;
    for (auto& f : sorted) {
        const auto key = std::make_pair(f.rule, f.file);
        const std::size_t n = ++kept[key];
        if (n <= k_max_findings_per_rule) {
            out.push_back(std::move(f));
        } else if (n == k_max_findings_per_rule + 1) {
            Finding summary = f;
            summary.object.clear();
            summary.message = std::to_string(counts[key] - k_max_findings_per_rule) + " more " + f.rule +
                              " findings in this file are not listed (the first " +
                              std::to_string(k_max_findings_per_rule) + " are)";
            out.push_back(std::move(summary));
        }
    }
    return out;
}

}  // namespace

Suppression parse_suppression(std::string_view text) {
    Suppression s;
    std::string_view ids = text;
    const auto dash = text.find("--");
    if (dash != std::string_view::npos) {
        ids = text.substr(0, dash);
        s.reason = util::trim(text.substr(dash + 2));
    }
    for (std::string part : util::split(std::string(ids), ',')) {
        for (std::string word : util::split(util::trim(part), ' ')) {
            word = util::trim(word);
            if (!word.empty()) s.rules.push_back(word);
        }
    }
    return s;
}

const std::vector<const Document*>& CheckContext::of_kind(std::string_view kind) const {
    static const std::vector<const Document*> k_none;
    const auto it = by_kind.find(kind);
    return it == by_kind.end() ? k_none : it->second;
}

std::vector<Finding> run_checks(const Inputs& inputs, const CheckOptions& options) {
    const auto& documents = inputs.documents();
    CheckContext ctx{documents, options.profile, {}, {}};
    for (const auto& doc : documents)
        if (doc.input == inputs::k_kubernetes) ctx.by_kind[doc.kind].push_back(&doc);

    // Rules by (input, kind), so each document only meets the rules that apply to it.
    std::vector<const Rule*> active;
    for (const Rule* rule : RuleRegistry::instance().all()) {
        const RuleInfo& info = rule->info();
        if (info.pss == PssLevel::Restricted && options.profile == PssLevel::Baseline) continue;
        if (info.pss != PssLevel::None && options.profile == PssLevel::None) continue;
        active.push_back(rule);
    }
    std::map<std::pair<InputType, std::string>, std::vector<const Rule*>> plan;
    auto rules_for = [&](const Document& doc) -> const std::vector<const Rule*>& {
        auto key = std::make_pair(doc.input, doc.kind);
        auto it = plan.find(key);
        if (it != plan.end()) return it->second;
        std::vector<const Rule*> list;
        for (const Rule* rule : active) {
            const RuleInfo& info = rule->info();
            if (info.input != doc.input) continue;
            if (!info.kinds.empty() && std::find(info.kinds.begin(), info.kinds.end(), doc.kind) == info.kinds.end())
                continue;
            list.push_back(rule);
        }
        return plan.emplace(std::move(key), std::move(list)).first->second;
    };

    std::vector<Finding> findings = inputs.parse_findings();
    std::map<std::pair<std::string, std::string>, Suppression> annotations;   // (file, object) -> ignore
    for (const auto& doc : documents) {
        if (util::interrupted()) break;   // the caller reports the interruption; nothing is printed
        for (const Rule* rule : rules_for(doc)) {
            Reporter reporter(findings, rule->info());
            try {
                rule->check(doc, ctx, reporter);
            } catch (const std::bad_alloc&) {
                throw CheckAborted(doc.file->path + ": out of memory while checking " + doc.object_ref());
            } catch (const std::exception& e) {
                throw CheckAborted(doc.file->path + ": rule " + rule->info().id + " failed on " + doc.object_ref() +
                                   ": " + e.what());
            }
        }
        if (doc.input != inputs::k_kubernetes) continue;
        const yaml::Node* md = doc.root->find("metadata");
        const yaml::Node* ann = md != nullptr ? md->find("annotations") : nullptr;
        const yaml::Node* ignore = ann != nullptr ? ann->find("coconut.dev/ignore") : nullptr;
        if (ignore == nullptr || !ignore->is_scalar()) continue;
        Suppression s = parse_suppression(ignore->text);
        if (s.reason.empty())
            findings.push_back(suppression_finding(doc.file->path, ignore->start,
                                                   "coconut.dev/ignore annotation on " + doc.object_ref()));
        annotations[{doc.file->path, doc.object_ref()}] = std::move(s);
    }
    for (const auto& extra : options.extra) extra(documents, findings);

    // Comment suppressions, per file.
    std::map<std::string, std::vector<CommentSuppression>, std::less<>> comments;
    for (const auto& doc : documents) {
        if (comments.count(doc.file->path) != 0) continue;
        const inputs::Reader* reader = inputs::Registry::instance().find(doc.input);
        auto list = comment_suppressions(*doc.file, reader != nullptr ? reader->info().statement
                                                                      : inputs::Statement::IndentedBlock);
        for (const auto& c : list)
            if (c.what.reason.empty())
                findings.push_back(suppression_finding(doc.file->path, c.mark, "coconut:ignore comment"));
        comments.emplace(doc.file->path, std::move(list));
    }
    for (const auto& e : options.exceptions)
        if (e.reason.empty())
            findings.push_back(suppression_finding(e.origin == "spec" ? "coconut.yaml" : "", {},
                                                   (e.origin == "spec" ? "policies.exceptions entry for " : "--ignore ") + e.rule));

    for (auto& f : findings) {
        if (f.rule == k_suppression_rule) continue;   // suppressing the suppression check is not allowed
        if (!f.object.empty()) {
            const auto it = annotations.find({f.file, f.object});
            if (it != annotations.end() && names_any(it->second.rules, f))
                suppress(f, "annotation", it->second.reason);
        }
        if (const auto it = comments.find(f.file); it != comments.end()) {
            for (const auto& c : it->second)
                if (f.mark.line >= c.first && f.mark.line <= c.last && names_any(c.what.rules, f))
                    suppress(f, "comment", c.what.reason);
        }
        for (const auto& e : options.exceptions)
            if (exception_matches(e, f)) suppress(f, e.origin == "spec" ? "spec" : "flag", e.reason);
    }

    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.file, a.mark.line, a.mark.column, a.rule, a.message) <
               std::tie(b.file, b.mark.line, b.mark.column, b.rule, b.message);
    });
    findings.erase(std::unique(findings.begin(), findings.end(),
                               [](const Finding& a, const Finding& b) {
                                   return a.file == b.file && a.mark == b.mark && a.rule == b.rule &&
                                          a.message == b.message;
                               }),
                   findings.end());
    return cap_per_rule_and_file(std::move(findings));
}

}  // namespace coconut::policy
