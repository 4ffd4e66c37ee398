// Task hygiene: ANS-DEPRECATED-MODULE, ANS-LOCAL-ACTION, ANS-LITERAL-COMPARE, ANS-IGNORE-ERRORS,
// ANS-KEY-ORDER, ANS-NO-LOG-PASSWORD (ansible-lint deprecated-module, deprecated-local-action,
// literal-compare, ignore-errors, key-order[task], no-log-password).
#include <regex>
#include <set>

#include "coconut/policy/engine.hpp"
#include "coconut/policy/rules/ansible/common.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::ansible {

namespace {

class AnsDeprecatedModule : public BasicRule {
public:
    AnsDeprecatedModule()
        : BasicRule(ansible_rule(
              "ANS-DEPRECATED-MODULE", "Deprecated module", Severity::Medium, {"AnsibleTask"},
              "The task calls a module that Ansible deprecated or removed (`include`, `docker`, `ec2_vpc`, "
              "`kubernetes`, `azure`, ...). Deprecated modules stop working on upgrade and get no fixes.",
              "Replace it with its successor: `include` with `include_tasks`/`import_tasks`, `docker` with "
              "`community.docker.docker_container`, and so on (see the module's documentation).",
              {"ansible-lint:deprecated-module"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t)) return;
        static const std::set<std::string, std::less<>> k_deprecated = {
            "accelerate", "aos_asn_pool", "aos_blueprint", "aos_blueprint_param", "aos_blueprint_virtnet",
            "aos_device", "aos_external_router", "aos_ip_pool", "aos_logical_device", "aos_logical_device_map",
            "aos_login", "aos_rack_type", "aos_template", "azure", "cl_bond", "cl_bridge", "cl_img_install",
            "cl_interface", "cl_interface_policy", "cl_license", "cl_ports", "cs_nic", "docker", "ec2_ami_find",
            "ec2_ami_search", "ec2_remote_facts", "ec2_vpc", "kubernetes", "netscaler", "nxos_ip_interface",
            "nxos_mtu", "nxos_portchannel", "nxos_switchport", "oc", "panos_nat_policy", "panos_security_policy",
            "vsphere_guest", "win_msi", "include"};
        if (k_deprecated.count(t.module) == 0) return;
        out.report(doc, t.node, describe(t) + " uses the deprecated module " + t.action);
    }
};

class AnsLocalAction : public BasicRule {
public:
    AnsLocalAction()
        : BasicRule(ansible_rule(
              "ANS-LOCAL-ACTION", "local_action instead of delegate_to", Severity::Low, {"AnsibleTask"},
              "`local_action:` is the old way of running a task on the control node; it hides the module in a "
              "string or nested mapping, defeats argument validation and FQCN checks, and is deprecated in "
              "favour of `delegate_to: localhost`.",
              "Write the module normally and add `delegate_to: localhost`.",
              {"ansible-lint:deprecated-local-action"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.node->find_key("local_action") == nullptr) return;
        out.report(doc, t.node, describe(t) + " uses local_action; use delegate_to: localhost");
    }
};

// Any `when:` anywhere inside the task (blocks include their children, as ansible-lint's
// nested_items_path walk does).
bool literal_compare(const yaml::Node* n) {
    static const std::regex k_re("[=!]= ?(True|true|False|false)");
    if (n == nullptr) return false;
    if (n->is_sequence()) {
        for (const yaml::Node* i : n->items)
            if (literal_compare(i)) return true;
        return false;
    }
    if (!n->is_mapping()) return false;
    for (const auto& p : n->pairs) {
        if (p.key != nullptr && p.key->is_scalar() && p.key->text == "when" && p.value != nullptr) {
            const yaml::Node* v = p.value;
            if (v->is_scalar() && yaml::resolve(*v, yaml::Dialect::Yaml11) == yaml::ScalarType::String) {
                if (std::regex_search(v->text, k_re)) return true;
            } else if (v->is_sequence()) {
                for (const yaml::Node* i : v->items)
                    if (i->is_scalar() && yaml::resolve(*i, yaml::Dialect::Yaml11) == yaml::ScalarType::String &&
                        std::regex_search(i->text, k_re))
                        return true;
            }
        }
        if (literal_compare(p.value)) return true;
    }
    return false;
}

class AnsLiteralCompare : public BasicRule {
public:
    AnsLiteralCompare()
        : BasicRule(ansible_rule(
              "ANS-LITERAL-COMPARE", "Comparison to a literal True/False in when", Severity::Low, {"AnsibleTask"},
              "A `when:` condition compares to a literal boolean (`x == True`, `y != false`). The comparison is "
              "redundant and, with string values such as \"yes\", silently wrong. Like ansible-lint, a block "
              "is flagged too when one of its tasks has such a condition.",
              "Use the value itself: `when: x` or `when: not x` (with `| bool` for strings).",
              {"ansible-lint:literal-compare"})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (skipped(t) || !literal_compare(t.node)) return;
        out.report(doc, t.node, describe(t) + " compares to a literal True/False in when:");
    }
};

class AnsIgnoreErrors : public BasicRule {
public:
    AnsIgnoreErrors()
        : BasicRule(ansible_rule(
              "ANS-IGNORE-ERRORS", "ignore_errors without register", Severity::Low, {"AnsibleTask"},
              "`ignore_errors: true` without `register:` swallows every failure of the task, expected or not, "
              "and nothing later can tell that it failed. Failures that matter (permissions, missing files, "
              "network) go unnoticed.",
              "Use `failed_when:` with the acceptable condition, or `register:` the result and check it; "
              "`ignore_errors: \"{{ ansible_check_mode }}\"` is accepted.",
              {"ansible-lint:ignore-errors"}, {{"soc2", "CC7.2"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (skipped(t)) return;
        const yaml::Node* ie = t.keyword("ignore_errors");
        if (!truthy(ie)) return;
        if (ie->is_scalar() && ie->text == "{{ ansible_check_mode }}") return;
        if (truthy(t.keyword("register"))) return;
        out.report(doc, t.node, describe(t) + " sets ignore_errors without register or failed_when");
    }
};

class AnsKeyOrder : public BasicRule {
public:
    AnsKeyOrder()
        : BasicRule(ansible_rule(
              "ANS-KEY-ORDER", "Task keys out of order", Severity::Info, {"AnsibleTask"},
              "A task's `name:` should come first and `block:`, `rescue:`, `always:` last, so that a reader "
              "sees what a task is before how it runs, and a block's conditions before its body.",
              "Reorder the keys: name first, then the module and the other keywords, then block, rescue, "
              "always.",
              {"ansible-lint:key-order[task]"})) {}

    static int rank(std::string_view key) {
        if (key == "name") return 0;
        if (key == "block") return 2;
        if (key == "rescue") return 3;
        if (key == "always") return 4;
        return 1;
    }

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (skipped(t)) return;
        int highest = -1;
        std::string first_late;
        std::vector<std::string> keys;
        bool bad = false;
        for (const auto& p : t.node->pairs) {
            if (p.key == nullptr || !p.key->is_scalar() || p.key->text.rfind('_', 0) == 0) continue;
            keys.push_back(p.key->text);
            const int r = rank(p.key->text);
            if (r < highest) bad = true;
            highest = std::max(highest, r);
        }
        if (!bad) return;
        std::stable_sort(keys.begin(), keys.end(), [](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
        std::string order;
        for (const auto& k : keys) order += (order.empty() ? "" : ", ") + k;
        out.report(doc, t.node, describe(t) + " has its keys out of order; use: " + order);
    }
};

class AnsNoLogPassword : public BasicRule {
public:
    AnsNoLogPassword()
        : BasicRule(ansible_rule(
              "ANS-NO-LOG-PASSWORD", "Password argument in a loop without no_log", Severity::High, {"AnsibleTask"},
              "A looping task passes a `*password*` argument without `no_log: true`. Ansible prints each loop "
              "item in the run output and logs, so every password of the loop ends up in CI logs and callback "
              "plugins. (As ansible-lint's opt-in rule: only looping tasks are flagged.)",
              "Add `no_log: true` to the task (or move the secret out of the loop items).",
              {"ansible-lint:no-log-password"},
              {{"soc2", "CC6.1"}, {"hipaa", "164.312(a)(1)"}, {"gdpr", "Art. 32(1)(b)"}})) {}

    void check(const Document& doc, const CheckContext&, Reporter& out) const override {
        const an::Task& t = *doc.task;
        if (t.is_block || skipped(t) || t.action.empty()) return;
        bool has_password = false;
        const an::Param* lock = t.param("password_lock");
        const an::Param* password = t.param("password");
        if (t.action == "ansible.builtin.user" && lock != nullptr && lock->truthy() &&
            !(password != nullptr && password->truthy())) {
            has_password = false;
        } else {
            for (const auto& p : t.params)
                if (p.key.find("password") != std::string::npos) has_password = true;
        }
        if (!has_password) return;
        bool loop = false;
        for (const auto& p : t.node->pairs)
            if (p.key != nullptr && (p.key->text == "loop" || p.key->text.rfind("with_", 0) == 0)) loop = true;
        if (!loop) return;
        const yaml::Node* no_log = t.keyword("no_log");
        if (no_log != nullptr && no_log->is_scalar()) {
            const std::string& v = no_log->text;
            if (v.size() >= 4 && v.rfind("{{", 0) == 0 && v.compare(v.size() - 2, 2, "}}") == 0) return;
            an::Param p;
            p.value = no_log;
            p.text = v;
            if (p.boolean()) return;
        }
        out.report(doc, t.node, describe(t) + " passes a password argument in a loop without no_log: true");
    }
};

}  // namespace

COCONUT_REGISTER_RULE(AnsDeprecatedModule);
COCONUT_REGISTER_RULE(AnsLocalAction);
COCONUT_REGISTER_RULE(AnsLiteralCompare);
COCONUT_REGISTER_RULE(AnsIgnoreErrors);
COCONUT_REGISTER_RULE(AnsKeyOrder);
COCONUT_REGISTER_RULE(AnsNoLogPassword);

}  // namespace coconut::policy::rules::ansible
