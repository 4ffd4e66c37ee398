// Helpers of the Ansible rules (common.hpp).
#include "coconut/policy/rules/ansible/common.hpp"

#include "coconut/policy/inputs/ansible.hpp"

namespace coconut::policy::rules::ansible {

RuleInfo ansible_rule(std::string id, std::string title, Severity severity, std::vector<std::string> kinds,
                      std::string description, std::string remediation, std::vector<std::string> aliases,
                      std::vector<ComplianceRef> compliance) {
    return documented(rule_info(std::move(id), std::move(title), severity, inputs::k_ansible, std::move(kinds)),
                      std::move(description), std::move(remediation), std::move(aliases), std::move(compliance));
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
