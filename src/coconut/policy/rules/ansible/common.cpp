// Helpers of the Ansible rules (common.hpp).
#include "coconut/policy/rules/ansible/common.hpp"

#include "coconut/policy/inputs/ansible.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::ansible {

RuleInfo ansible_rule(std::string id, std::string title, Severity severity, std::vector<std::string> kinds,
                      std::string description, std::string remediation, std::vector<std::string> aliases,
                      std::vector<ComplianceRef> compliance) {
    RuleInfo info;
    info.id = std::move(id);
    info.title = std::move(title);
    info.severity = severity;
    info.input = inputs::k_ansible;
    info.kinds = std::move(kinds);
    info.description = std::move(description);
    info.remediation = std::move(remediation);
    info.aliases = std::move(aliases);
    info.compliance = std::move(compliance);
    if (info.compliance.empty()) info.no_compliance_reason = k_hygiene;
    return info;
}

std::string quote_value(std::string_view text) {
    std::string t(text);
    for (char& c : t)
        if (c == '\n' || c == '\t') c = ' ';
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (t.size() > 60) t = t.substr(0, 57) + "...";
    return "\"" + t + "\"";
}

std::string describe(const an::Task& task) {
    const char* what = task.is_block ? "block" : (task.action_type() == "handler" ? "handler" : "task");
    if (!task.name.empty()) return std::string(what) + " " + quote_value(task.name);
    if (task.is_block || task.action.empty()) return std::string("unnamed ") + what;
    return std::string("unnamed ") + what + " (" + task.action + ")";
}

std::string describe(const an::Play& play) {
    if (!play.name.empty()) return "play " + quote_value(play.name);
    if (play.import_playbook) return "import_playbook " + quote_value(play.import_target);
    return "unnamed play";
}

std::string unjinja(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 1 < text.size() && text[i] == '{' && (text[i + 1] == '{' || text[i + 1] == '%' || text[i + 1] == '#')) {
            const char open = text[i + 1];
            const char close = open == '{' ? '}' : open;
            // `{{.+?}}`: at least one character, no newline, up to the first closer.
            std::size_t end = std::string_view::npos;
            for (std::size_t k = i + 2; k + 1 < text.size() && text[k] != '\n'; ++k) {
                if (k >= i + 3 && text[k] == close && text[k + 1] == '}') {
                    end = k + 2;
                    break;
                }
            }
            if (end != std::string_view::npos) {
                out += open == '{' ? "JINJA_EXPRESSION" : (open == '%' ? "JINJA_STATEMENT" : "JINJA_COMMENT");
                i = end;
                continue;
            }
        }
        out += text[i];
        ++i;
    }
    return out;
}

bool truthy(const yaml::Node* node) {
    if (node == nullptr) return false;
    if (node->is_sequence()) return !node->items.empty();
    if (node->is_mapping()) return !node->pairs.empty();
    switch (yaml::resolve(*node, yaml::Dialect::Yaml11)) {
        case yaml::ScalarType::Null: return false;
        case yaml::ScalarType::Bool: return yaml::as_bool(*node, yaml::Dialect::Yaml11).value_or(false);
        case yaml::ScalarType::Int: return yaml::as_int(*node, yaml::Dialect::Yaml11).value_or(1) != 0;
        case yaml::ScalarType::Float: return yaml::as_float(*node, yaml::Dialect::Yaml11).value_or(1.0) != 0.0;
        default: return !node->text.empty();
    }
}

bool skipped(const an::Task& task) {
    const yaml::Node* tags = task.keyword("tags");
    if (tags == nullptr) return false;
    if (tags->is_scalar()) return tags->text.find("skip_ansible_lint") != std::string::npos;
    if (tags->is_sequence())
        for (const yaml::Node* t : tags->items)
            if (t->is_scalar() && t->text == "skip_ansible_lint") return true;
    return false;
}

std::vector<std::string> command_arguments(const an::Task& task) {
    if (!task.raw_params.empty()) return {task.raw_params};
    return task.argv;
}

}  // namespace coconut::policy::rules::ansible
