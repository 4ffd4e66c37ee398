// Ansible reader (reader.hpp): plays, tasks, blocks, roles and module arguments, following
// ansible-core 2.14's ModuleArgsParser and ansible-lint 6.13's task walk (what the peer tool
// sees is what our rules see).
#include "coconut/policy/ansible/reader.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::ansible {

namespace {

using namespace std::string_view_literals;

// Task and Handler FieldAttributes of ansible-core 2.14, plus local_action and static.
constexpr std::array k_task_keywords = {
    "action"sv, "any_errors_fatal"sv, "args"sv, "async"sv, "async_val"sv, "become"sv, "become_exe"sv,
    "become_flags"sv, "become_method"sv, "become_user"sv, "changed_when"sv, "check_mode"sv,
    "collections"sv, "connection"sv, "debugger"sv, "delay"sv, "delegate_facts"sv, "delegate_to"sv,
    "diff"sv, "environment"sv, "failed_when"sv, "ignore_errors"sv, "ignore_unreachable"sv, "listen"sv,
    "local_action"sv, "loop"sv, "loop_control"sv, "loop_with"sv, "module_defaults"sv, "name"sv,
    "no_log"sv, "notify"sv, "poll"sv, "port"sv, "register"sv, "remote_user"sv, "retries"sv,
    "run_once"sv, "static"sv, "tags"sv, "throttle"sv, "timeout"sv, "until"sv, "vars"sv, "when"sv,
};

// Block attributes that are not task attributes.
constexpr std::array k_block_keys = {"block"sv, "rescue"sv, "always"sv};

// `ansible-doc -t module -l ansible.builtin` of ansible-core 2.14 (sorted).
constexpr std::array k_builtin_modules = {
    "add_host"sv, "apt"sv, "apt_key"sv, "apt_repository"sv, "assemble"sv, "assert"sv,
    "async_status"sv, "blockinfile"sv, "command"sv, "copy"sv, "cron"sv, "debconf"sv, "debug"sv,
    "dnf"sv, "dpkg_selections"sv, "expect"sv, "fail"sv, "fetch"sv, "file"sv, "find"sv,
    "gather_facts"sv, "get_url"sv, "getent"sv, "git"sv, "group"sv, "group_by"sv, "hostname"sv,
    "import_playbook"sv, "import_role"sv, "import_tasks"sv, "include"sv, "include_role"sv,
    "include_tasks"sv, "include_vars"sv, "iptables"sv, "known_hosts"sv, "lineinfile"sv, "meta"sv,
    "package"sv, "package_facts"sv, "pause"sv, "ping"sv, "pip"sv, "raw"sv, "reboot"sv, "replace"sv,
    "rpm_key"sv, "script"sv, "service"sv, "service_facts"sv, "set_fact"sv, "set_stats"sv, "setup"sv,
    "shell"sv, "slurp"sv, "stat"sv, "subversion"sv, "systemd"sv, "systemd_service"sv, "sysvinit"sv,
    "tempfile"sv, "template"sv, "unarchive"sv, "uri"sv, "user"sv, "validate_argument_spec"sv,
    "wait_for"sv, "wait_for_connection"sv, "yum"sv, "yum_repository"sv,
};

// Short names routed by ansible-core's ansible_builtin_runtime.yml to a collection: the
// commonly used part (posix, general, docker, windows, crypto, mysql, postgresql, kubernetes,
// aws core, netcommon). Sorted by short name.
struct Redirect {
    std::string_view name;
    std::string_view fqcn;
};
constexpr Redirect k_redirects[] = {
    {"acl", "ansible.posix.acl"},
    {"acme_account", "community.crypto.acme_account"},
    {"acme_account_facts", "community.crypto.acme_account_facts"},
    {"acme_account_info", "community.crypto.acme_account_info"},
    {"acme_certificate", "community.crypto.acme_certificate"},
    {"acme_certificate_revoke", "community.crypto.acme_certificate_revoke"},
    {"acme_challenge_cert_helper", "community.crypto.acme_challenge_cert_helper"},
    {"acme_inspect", "community.crypto.acme_inspect"},
    {"alternatives", "community.general.alternatives"},
    {"apache2_mod_proxy", "community.general.apache2_mod_proxy"},
    {"apache2_module", "community.general.apache2_module"},
    {"apk", "community.general.apk"},
    {"apt_rpm", "community.general.apt_rpm"},
    {"archive", "community.general.archive"},
    {"at", "ansible.posix.at"},
    {"authorized_key", "ansible.posix.authorized_key"},
    {"bigpanda", "community.general.bigpanda"},
    {"bower", "community.general.bower"},
    {"bundler", "community.general.bundler"},
    {"capabilities", "community.general.capabilities"},
    {"certificate_complete_chain", "community.crypto.certificate_complete_chain"},
    {"circonus_annotation", "community.general.circonus_annotation"},
    {"cli_command", "ansible.netcommon.cli_command"},
    {"cli_config", "ansible.netcommon.cli_config"},
    {"composer", "community.general.composer"},
    {"consul", "community.general.consul"},
    {"consul_kv", "community.general.consul_kv"},
    {"cpanm", "community.general.cpanm"},
    {"crypttab", "community.general.crypttab"},
    {"datadog_event", "community.general.datadog_event"},
    {"dconf", "community.general.dconf"},
    {"django_manage", "community.general.django_manage"},
    {"docker_compose", "community.docker.docker_compose"},
    {"docker_config", "community.docker.docker_config"},
    {"docker_container", "community.docker.docker_container"},
    {"docker_container_info", "community.docker.docker_container_info"},
    {"docker_host_info", "community.docker.docker_host_info"},
    {"docker_image", "community.docker.docker_image"},
    {"docker_image_info", "community.docker.docker_image_info"},
    {"docker_login", "community.docker.docker_login"},
    {"docker_network", "community.docker.docker_network"},
    {"docker_network_info", "community.docker.docker_network_info"},
    {"docker_node", "community.docker.docker_node"},
    {"docker_node_info", "community.docker.docker_node_info"},
    {"docker_prune", "community.docker.docker_prune"},
    {"docker_secret", "community.docker.docker_secret"},
    {"docker_stack", "community.docker.docker_stack"},
    {"docker_swarm", "community.docker.docker_swarm"},
    {"docker_swarm_info", "community.docker.docker_swarm_info"},
    {"docker_swarm_service", "community.docker.docker_swarm_service"},
    {"docker_swarm_service_info", "community.docker.docker_swarm_service_info"},
    {"docker_volume", "community.docker.docker_volume"},
    {"docker_volume_info", "community.docker.docker_volume_info"},
    {"easy_install", "community.general.easy_install"},
    {"ec2", "amazon.aws.ec2"},
    {"ecs_certificate", "community.crypto.ecs_certificate"},
    {"ecs_domain", "community.crypto.ecs_domain"},
    {"filesystem", "community.general.filesystem"},
    {"firewalld", "ansible.posix.firewalld"},
    {"flatpak", "community.general.flatpak"},
    {"gconftool2", "community.general.gconftool2"},
    {"gem", "community.general.gem"},
    {"get_certificate", "community.crypto.get_certificate"},
    {"git_config", "community.general.git_config"},
    {"github_release", "community.general.github_release"},
    {"gitlab_project", "community.general.gitlab_project"},
    {"haproxy", "community.general.haproxy"},
    {"hg", "community.general.hg"},
    {"homebrew", "community.general.homebrew"},
    {"homebrew_cask", "community.general.homebrew_cask"},
    {"homebrew_tap", "community.general.homebrew_tap"},
    {"honeybadger_deployment", "community.general.honeybadger_deployment"},
    {"htpasswd", "community.general.htpasswd"},
    {"ini_file", "community.general.ini_file"},
    {"interfaces_file", "community.general.interfaces_file"},
    {"ipify_facts", "community.general.ipify_facts"},
    {"iso_extract", "community.general.iso_extract"},
    {"jenkins_job", "community.general.jenkins_job"},
    {"jenkins_plugin", "community.general.jenkins_plugin"},
    {"jira", "community.general.jira"},
    {"k8s", "kubernetes.core.k8s"},
    {"k8s_auth", "kubernetes.core.k8s_auth"},
    {"k8s_facts", "kubernetes.core.k8s_facts"},
    {"k8s_info", "kubernetes.core.k8s_info"},
    {"k8s_raw", "kubernetes.core.k8s_raw"},
    {"k8s_scale", "kubernetes.core.k8s_scale"},
    {"k8s_service", "kubernetes.core.k8s_service"},
    {"kernel_blacklist", "community.general.kernel_blacklist"},
    {"keycloak_client", "community.general.keycloak_client"},
    {"ldap_entry", "community.general.ldap_entry"},
    {"listen_ports_facts", "community.general.listen_ports_facts"},
    {"locale_gen", "community.general.locale_gen"},
    {"logentries", "community.general.logentries"},
    {"luks_device", "community.crypto.luks_device"},
    {"lvg", "community.general.lvg"},
    {"lvol", "community.general.lvol"},
    {"lxc_container", "community.general.lxc_container"},
    {"lxd_container", "community.general.lxd_container"},
    {"macports", "community.general.macports"},
    {"mail", "community.general.mail"},
    {"make", "community.general.make"},
    {"mas", "community.general.mas"},
    {"mattermost", "community.general.mattermost"},
    {"maven_artifact", "community.general.maven_artifact"},
    {"modprobe", "community.general.modprobe"},
    {"mount", "ansible.posix.mount"},
    {"mysql_db", "community.mysql.mysql_db"},
    {"mysql_info", "community.mysql.mysql_info"},
    {"mysql_query", "community.mysql.mysql_query"},
    {"mysql_replication", "community.mysql.mysql_replication"},
    {"mysql_user", "community.mysql.mysql_user"},
    {"mysql_variables", "community.mysql.mysql_variables"},
    {"nagios", "community.general.nagios"},
    {"net_banner", "ansible.netcommon.net_banner"},
    {"net_get", "ansible.netcommon.net_get"},
    {"net_interface", "ansible.netcommon.net_interface"},
    {"net_l2_interface", "ansible.netcommon.net_l2_interface"},
    {"net_l3_interface", "ansible.netcommon.net_l3_interface"},
    {"net_linkagg", "ansible.netcommon.net_linkagg"},
    {"net_lldp", "ansible.netcommon.net_lldp"},
    {"net_lldp_interface", "ansible.netcommon.net_lldp_interface"},
    {"net_logging", "ansible.netcommon.net_logging"},
    {"net_ping", "ansible.netcommon.net_ping"},
    {"net_put", "ansible.netcommon.net_put"},
    {"net_static_route", "ansible.netcommon.net_static_route"},
    {"net_system", "ansible.netcommon.net_system"},
    {"net_user", "ansible.netcommon.net_user"},
    {"net_vlan", "ansible.netcommon.net_vlan"},
    {"net_vrf", "ansible.netcommon.net_vrf"},
    {"netconf_config", "ansible.netcommon.netconf_config"},
    {"netconf_get", "ansible.netcommon.netconf_get"},
    {"netconf_rpc", "ansible.netcommon.netconf_rpc"},
    {"newrelic_deployment", "community.general.newrelic_deployment"},
    {"nginx_status_info", "community.general.nginx_status_info"},
    {"nmcli", "community.general.nmcli"},
    {"npm", "community.general.npm"},
    {"ohai", "community.general.ohai"},
    {"open_iscsi", "community.general.open_iscsi"},
    {"openbsd_pkg", "community.general.openbsd_pkg"},
    {"openshift_raw", "kubernetes.core.openshift_raw"},
    {"openshift_scale", "kubernetes.core.openshift_scale"},
    {"openssh_cert", "community.crypto.openssh_cert"},
    {"openssh_keypair", "community.crypto.openssh_keypair"},
    {"openssl_certificate", "community.crypto.x509_certificate"},
    {"openssl_certificate_info", "community.crypto.x509_certificate_info"},
    {"openssl_csr", "community.crypto.openssl_csr"},
    {"openssl_csr_info", "community.crypto.openssl_csr_info"},
    {"openssl_dhparam", "community.crypto.openssl_dhparam"},
    {"openssl_pkcs12", "community.crypto.openssl_pkcs12"},
    {"openssl_privatekey", "community.crypto.openssl_privatekey"},
    {"openssl_privatekey_info", "community.crypto.openssl_privatekey_info"},
    {"openssl_publickey", "community.crypto.openssl_publickey"},
    {"opkg", "community.general.opkg"},
    {"osx_defaults", "community.general.osx_defaults"},
    {"pacman", "community.general.pacman"},
    {"pagerduty", "community.general.pagerduty"},
    {"pam_limits", "community.general.pam_limits"},
    {"parted", "community.general.parted"},
    {"patch", "ansible.posix.patch"},
    {"pear", "community.general.pear"},
    {"pids", "community.general.pids"},
    {"pip_package_info", "community.general.pip_package_info"},
    {"pkg5", "community.general.pkg5"},
    {"pkgng", "community.general.pkgng"},
    {"pkgutil", "community.general.pkgutil"},
    {"portage", "community.general.portage"},
    {"postgresql_copy", "community.postgresql.postgresql_copy"},
    {"postgresql_db", "community.postgresql.postgresql_db"},
    {"postgresql_ext", "community.postgresql.postgresql_ext"},
    {"postgresql_idx", "community.postgresql.postgresql_idx"},
    {"postgresql_info", "community.postgresql.postgresql_info"},
    {"postgresql_lang", "community.postgresql.postgresql_lang"},
    {"postgresql_membership", "community.postgresql.postgresql_membership"},
    {"postgresql_owner", "community.postgresql.postgresql_owner"},
    {"postgresql_pg_hba", "community.postgresql.postgresql_pg_hba"},
    {"postgresql_ping", "community.postgresql.postgresql_ping"},
    {"postgresql_privs", "community.postgresql.postgresql_privs"},
    {"postgresql_publication", "community.postgresql.postgresql_publication"},
    {"postgresql_query", "community.postgresql.postgresql_query"},
    {"postgresql_schema", "community.postgresql.postgresql_schema"},
    {"postgresql_sequence", "community.postgresql.postgresql_sequence"},
    {"postgresql_set", "community.postgresql.postgresql_set"},
    {"postgresql_slot", "community.postgresql.postgresql_slot"},
    {"postgresql_subscription", "community.postgresql.postgresql_subscription"},
    {"postgresql_table", "community.postgresql.postgresql_table"},
    {"postgresql_tablespace", "community.postgresql.postgresql_tablespace"},
    {"postgresql_user", "community.postgresql.postgresql_user"},
    {"postgresql_user_obj_stat_info", "community.postgresql.postgresql_user_obj_stat_info"},
    {"puppet", "community.general.puppet"},
    {"rabbitmq_binding", "community.rabbitmq.rabbitmq_binding"},
    {"rabbitmq_exchange", "community.rabbitmq.rabbitmq_exchange"},
    {"rabbitmq_global_parameter", "community.rabbitmq.rabbitmq_global_parameter"},
    {"rabbitmq_parameter", "community.rabbitmq.rabbitmq_parameter"},
    {"rabbitmq_plugin", "community.rabbitmq.rabbitmq_plugin"},
    {"rabbitmq_policy", "community.rabbitmq.rabbitmq_policy"},
    {"rabbitmq_publish", "community.rabbitmq.rabbitmq_publish"},
    {"rabbitmq_queue", "community.rabbitmq.rabbitmq_queue"},
    {"rabbitmq_user", "community.rabbitmq.rabbitmq_user"},
    {"rabbitmq_vhost", "community.rabbitmq.rabbitmq_vhost"},
    {"rabbitmq_vhost_limits", "community.rabbitmq.rabbitmq_vhost_limits"},
    {"read_csv", "community.general.read_csv"},
    {"redhat_subscription", "community.general.redhat_subscription"},
    {"redis", "community.general.redis"},
    {"restconf_config", "ansible.netcommon.restconf_config"},
    {"restconf_get", "ansible.netcommon.restconf_get"},
    {"rhsm_repository", "community.general.rhsm_repository"},
    {"rollbar_deployment", "community.general.rollbar_deployment"},
    {"rundeck_project", "community.general.rundeck_project"},
    {"runit", "community.general.runit"},
    {"seboolean", "ansible.posix.seboolean"},
    {"sefcontext", "community.general.sefcontext"},
    {"selinux", "ansible.posix.selinux"},
    {"selinux_permissive", "community.general.selinux_permissive"},
    {"selogin", "community.general.selogin"},
    {"sensu_check", "community.general.sensu_check"},
    {"seport", "community.general.seport"},
    {"slack", "community.general.slack"},
    {"slackpkg", "community.general.slackpkg"},
    {"snap", "community.general.snap"},
    {"sorcery", "community.general.sorcery"},
    {"supervisorctl", "community.general.supervisorctl"},
    {"svc", "community.general.svc"},
    {"svr4pkg", "community.general.svr4pkg"},
    {"swdepot", "community.general.swdepot"},
    {"swupd", "community.general.swupd"},
    {"synchronize", "ansible.posix.synchronize"},
    {"sysctl", "ansible.posix.sysctl"},
    {"syslogger", "community.general.syslogger"},
    {"telegram", "community.general.telegram"},
    {"telnet", "ansible.netcommon.telnet"},
    {"terraform", "community.general.terraform"},
    {"timezone", "community.general.timezone"},
    {"ufw", "community.general.ufw"},
    {"uptimerobot", "community.general.uptimerobot"},
    {"urpmi", "community.general.urpmi"},
    {"wakeonlan", "community.general.wakeonlan"},
    {"win_acl", "ansible.windows.win_acl"},
    {"win_acl_inheritance", "ansible.windows.win_acl_inheritance"},
    {"win_certificate_store", "ansible.windows.win_certificate_store"},
    {"win_command", "ansible.windows.win_command"},
    {"win_copy", "ansible.windows.win_copy"},
    {"win_dns_client", "ansible.windows.win_dns_client"},
    {"win_domain", "ansible.windows.win_domain"},
    {"win_domain_controller", "ansible.windows.win_domain_controller"},
    {"win_domain_membership", "ansible.windows.win_domain_membership"},
    {"win_dsc", "ansible.windows.win_dsc"},
    {"win_environment", "ansible.windows.win_environment"},
    {"win_feature", "ansible.windows.win_feature"},
    {"win_file", "ansible.windows.win_file"},
    {"win_find", "ansible.windows.win_find"},
    {"win_get_url", "ansible.windows.win_get_url"},
    {"win_group", "ansible.windows.win_group"},
    {"win_group_membership", "ansible.windows.win_group_membership"},
    {"win_hostname", "ansible.windows.win_hostname"},
    {"win_optional_feature", "ansible.windows.win_optional_feature"},
    {"win_owner", "ansible.windows.win_owner"},
    {"win_package", "ansible.windows.win_package"},
    {"win_path", "ansible.windows.win_path"},
    {"win_ping", "ansible.windows.win_ping"},
    {"win_reboot", "ansible.windows.win_reboot"},
    {"win_reg_stat", "ansible.windows.win_reg_stat"},
    {"win_regedit", "ansible.windows.win_regedit"},
    {"win_service", "ansible.windows.win_service"},
    {"win_share", "ansible.windows.win_share"},
    {"win_shell", "ansible.windows.win_shell"},
    {"win_stat", "ansible.windows.win_stat"},
    {"win_tempfile", "ansible.windows.win_tempfile"},
    {"win_template", "ansible.windows.win_template"},
    {"win_updates", "ansible.windows.win_updates"},
    {"win_uri", "ansible.windows.win_uri"},
    {"win_user", "ansible.windows.win_user"},
    {"win_user_right", "ansible.windows.win_user_right"},
    {"win_wait_for", "ansible.windows.win_wait_for"},
    {"win_whoami", "ansible.windows.win_whoami"},
    {"x509_crl", "community.crypto.x509_crl"},
    {"x509_crl_info", "community.crypto.x509_crl_info"},
    {"xattr", "community.general.xattr"},
    {"xbps", "community.general.xbps"},
    {"xml", "community.general.xml"},
    {"yarn", "community.general.yarn"},
    {"zfs", "community.general.zfs"},
    {"zypper", "community.general.zypper"},
};

// C.MODULE_REQUIRE_ARGS: modules whose free-form text is the command itself.
constexpr std::array k_freeform_modules = {
    "ansible.builtin.command"sv, "ansible.builtin.raw"sv, "ansible.builtin.script"sv,
    "ansible.builtin.shell"sv, "ansible.builtin.win_command"sv, "ansible.builtin.win_shell"sv,
    "ansible.legacy.command"sv, "ansible.legacy.raw"sv, "ansible.legacy.script"sv,
    "ansible.legacy.shell"sv, "ansible.legacy.win_command"sv, "ansible.legacy.win_shell"sv,
    "ansible.windows.win_command"sv, "ansible.windows.win_shell"sv, "command"sv, "raw"sv, "script"sv,
    "shell"sv, "win_command"sv, "win_shell"sv,
};

constexpr std::array k_check_raw_options = {
    "creates"sv, "removes"sv, "chdir"sv, "executable"sv, "warn"sv, "stdin"sv, "stdin_add_newline"sv,
    "strip_empty_ends"sv,
};

// Keys that make a top-level mapping a play (ansible-lint's is_playbook set).
constexpr std::array k_play_keys = {
    "gather_facts"sv, "hosts"sv, "import_playbook"sv, "ansible.builtin.import_playbook"sv,
    "ansible.legacy.import_playbook"sv, "post_tasks"sv, "pre_tasks"sv, "roles"sv, "tasks"sv,
};

constexpr std::array k_task_sections = {"tasks"sv, "pre_tasks"sv, "post_tasks"sv, "handlers"sv};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view s) {
    return std::find(set.begin(), set.end(), s) != set.end();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string scalar_text(const yaml::Node* n) {
    if (n == nullptr || !n->is_scalar() || n->is_null()) return {};
    return n->text;
}

bool is_import_playbook_key(std::string_view k) {
    return k == "import_playbook" || k == "ansible.builtin.import_playbook" || k == "ansible.legacy.import_playbook";
}

// ansible-lint's is_nested_task: a truthy block/rescue/always.
bool is_nested(const yaml::Node& task) {
    for (auto key : k_block_keys) {
        const yaml::Node* v = task.find(key);
        if (v == nullptr) continue;
        if (v->is_sequence() && !v->items.empty()) return true;
        if (v->is_mapping() && !v->pairs.empty()) return true;
        if (v->is_scalar() && !v->is_null() && !v->text.empty()) return true;
    }
    return false;
}

std::string unquote(std::string_view s) {
    if (s.size() > 1 && s.front() == s.back() && (s.front() == '"' || s.front() == '\'') && s[s.size() - 2] != '\\')
        return std::string(s.substr(1, s.size() - 2));
    return std::string(s);
}

struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool newline_after = false;
};

// Ansible's split_args, simplified: whitespace separates tokens except inside quotes and
// jinja2 {{ }}, {% %}, {# #} blocks.
std::vector<Token> split_tokens(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        while (i < n && is_space(s[i])) ++i;
        if (i >= n) break;
        Token t;
        t.begin = i;
        char quote = 0;
        int jinja = 0;
        while (i < n) {
            const char c = s[i];
            if (quote != 0) {
                if (c == '\\' && i + 1 < n) {
                    i += 2;
                    continue;
                }
                if (c == quote) quote = 0;
                ++i;
                continue;
            }
            if (i + 1 < n && c == '{' && (s[i + 1] == '{' || s[i + 1] == '%' || s[i + 1] == '#')) {
                ++jinja;
                i += 2;
                continue;
            }
            if (jinja > 0 && i + 1 < n && (c == '}' || c == '%' || c == '#') && s[i + 1] == '}') {
                --jinja;
                i += 2;
                continue;
            }
            if (jinja == 0 && is_space(c)) break;
            if (c == '"' || c == '\'') quote = c;
            ++i;
        }
        t.end = i;
        std::size_t j = i;
        while (j < n && is_space(s[j])) {
            if (s[j] == '\n') t.newline_after = true;
            ++j;
        }
        out.push_back(t);
    }
    return out;
}

yaml::Mark mark_of(const yaml::Node* n) { return n != nullptr ? n->start : yaml::Mark{}; }

class Reader {
public:
    Reader(const yaml::Node& root, FileKind kind, std::string_view path) : m_file(std::make_unique<File>()) {
        m_file->kind = kind;
        m_file->root = &root;
        std::string p(path);
        std::replace(p.begin(), p.end(), '\\', '/');
        const bool handlers = p.find("/handlers/") != std::string::npos || p.rfind("handlers/", 0) == 0;
        m_file->section = kind == FileKind::Tasks ? (handlers ? "handlers" : "tasks") : "";
        std::string base = p.substr(p.find_last_of('/') == std::string::npos ? 0 : p.find_last_of('/') + 1);
        const auto dot = base.find_last_of('.');
        m_file->stem = dot == std::string::npos ? base : base.substr(0, dot);
    }

    std::unique_ptr<File> run() {
        const yaml::Node& root = *m_file->root;
        if (!root.is_sequence()) {
            error(&root, m_file->kind == FileKind::Playbook ? "a playbook must be a list of plays"
                                                            : "a task file must be a list of tasks");
            return std::move(m_file);
        }
        if (m_file->kind == FileKind::Playbook) {
            for (const yaml::Node* item : root.items) read_play(item);
        } else {
            read_task_list(&root, m_file->section, -1, -1, "");
        }
        return std::move(m_file);
    }

private:
    void error(const yaml::Node* at, std::string message) {
        m_file->errors.push_back({mark_of(at), std::move(message)});
    }

    void read_play(const yaml::Node* item) {
        if (item == nullptr || item->is_null()) return;
        if (!item->is_mapping()) {
            error(item, "a play must be a mapping");
            return;
        }
        Play play;
        play.node = item;
        play.name_node = item->find("name");
        play.name = scalar_text(play.name_node);
        for (const auto& pair : item->pairs) {
            if (pair.key != nullptr && is_import_playbook_key(pair.key->text)) {
                play.import_playbook = true;
                play.import_target = scalar_text(pair.value);
            }
        }
        if (const yaml::Node* roles = item->find("roles"); roles != nullptr && roles->is_sequence()) {
            for (const yaml::Node* r : roles->items) {
                Role role;
                role.node = r;
                if (r->is_scalar()) {
                    role.name = r->text;
                } else if (r->is_mapping()) {
                    role.name = scalar_text(r->find("role"));
                    if (role.name.empty()) role.name = scalar_text(r->find("name"));
                }
                play.roles.push_back(std::move(role));
            }
        }
        const int index = static_cast<int>(m_file->plays.size());
        m_file->plays.push_back(std::move(play));
        for (const auto& pair : item->pairs) {
            if (pair.key == nullptr || !contains(k_task_sections, pair.key->text)) continue;
            read_task_list(pair.value, pair.key->text, index, -1, "");
        }
    }

    void read_task_list(const yaml::Node* list, const std::string& section, int play, int parent,
                        const std::string& block_section) {
        if (list == nullptr || list->is_null()) return;
        if (!list->is_sequence()) {
            error(list, "'" + (block_section.empty() ? section : block_section) + "' must be a list of tasks");
            return;
        }
        for (const yaml::Node* item : list->items) {
            if (item == nullptr || item->is_null()) continue;
            if (!item->is_mapping()) {
                error(item, "a task must be a mapping");
                continue;
            }
            if (item->pairs.empty()) continue;   // ansible-lint skips empty tasks
            read_task(*item, section, play, parent, block_section);
        }
    }

    void read_task(const yaml::Node& node, const std::string& section, int play, int parent,
                   const std::string& block_section) {
        Task task;
        task.node = &node;
        task.section = section;
        task.play = play;
        task.parent = parent;
        task.block_section = block_section;
        task.name_node = node.find("name");
        task.name = scalar_text(task.name_node);
        if (is_nested(node)) {
            task.is_block = true;
            const int index = static_cast<int>(m_file->tasks.size());
            m_file->tasks.push_back(std::move(task));
            for (auto key : k_block_keys) {
                const yaml::Node* v = node.find(key);
                if (v != nullptr) read_task_list(v, section, play, index, std::string(key));
            }
            return;
        }
        parse_action(task);
        m_file->tasks.push_back(std::move(task));
    }

    static void add_param(Task& task, Param p) {
        task.params.erase(std::remove_if(task.params.begin(), task.params.end(),
                                         [&](const Param& q) { return q.key == p.key; }),
                          task.params.end());
        task.params.push_back(std::move(p));
    }

    static void add_mapping_params(Task& task, const yaml::Node& map, std::string_view skip = {}) {
        for (const auto& pair : map.pairs) {
            if (pair.key == nullptr || !pair.key->is_scalar()) continue;
            if (!skip.empty() && pair.key->text == skip) continue;
            Param p;
            p.key = pair.key->text;
            p.key_node = pair.key;
            p.value = pair.value;
            p.text = scalar_text(pair.value);
            add_param(task, std::move(p));
        }
    }

    // The k=v options and raw text of a free-form module argument.
    static void add_free_form_params(Task& task, std::string_view text) {
        const FreeForm ff = parse_free_form(text, is_freeform_module(task.action));
        for (const auto& [k, v] : ff.options) {
            Param p;
            p.key = k;
            p.text = v;
            add_param(task, std::move(p));
        }
        task.raw_params = ff.raw;
    }

    static void add_free_form(Task& task, std::string_view text) {
        task.free_form = true;
        add_free_form_params(task, text);
    }

    // Old style: `action: shell echo hi`, `local_action: {module: copy, src: a}`.
    void parse_old_style(Task& task, const yaml::Node* key, const yaml::Node* value) {
        task.old_style = true;
        task.action_key = key;
        task.args = value;
        if (value == nullptr || value->is_null()) {
            error(key, "'" + key->text + "' needs a module");
            return;
        }
        if (value->is_scalar()) {
            const std::string_view text = value->text;
            std::size_t b = 0;
            while (b < text.size() && is_space(text[b])) ++b;
            std::size_t e = b;
            while (e < text.size() && !is_space(text[e])) ++e;
            task.action = std::string(text.substr(b, e - b));
            std::size_t r = e;
            while (r < text.size() && is_space(text[r])) ++r;
            add_free_form(task, text.substr(r));
            task.free_form = false;   // the module key itself has no free-form value
        } else if (value->is_mapping()) {
            const std::string module = scalar_text(value->find("module"));
            std::size_t e = 0;
            while (e < module.size() && !is_space(module[e])) ++e;
            task.action = module.substr(0, e);
            add_mapping_params(task, *value, "module");
            if (e < module.size()) add_free_form_params(task, std::string_view(module).substr(e));
            if (task.action.empty()) error(value, "'" + key->text + "' mapping without 'module'");
        } else {
            error(value, "unexpected parameter type in '" + key->text + "'");
        }
    }

    void parse_action(Task& task) {
        const yaml::Node& node = *task.node;
        // `args:` (lower priority than the module's own arguments).
        if (const yaml::Node* args = node.find("args"); args != nullptr && args->is_mapping())
            add_mapping_params(task, *args);
        if (const yaml::Node* k = node.find_key("action"); k != nullptr) parse_old_style(task, k, node.find("action"));
        if (const yaml::Node* k = node.find_key("local_action"); k != nullptr) {
            if (!task.action.empty()) error(k, "action and local_action are mutually exclusive");
            task.local_action = true;
            parse_old_style(task, k, node.find("local_action"));
        }
        for (const auto& pair : node.pairs) {
            if (pair.key == nullptr || !pair.key->is_scalar()) continue;
            const std::string& key = pair.key->text;
            if (is_task_keyword(key) || key.rfind("with_", 0) == 0) continue;
            if (contains(k_block_keys, key)) continue;   // an empty block: not an action
            if (!task.action.empty()) {
                error(pair.key, "conflicting action statements: " + task.action + ", " + key);
                continue;
            }
            task.action = key;
            task.action_key = pair.key;
            task.args = pair.value;
            if (pair.value != nullptr && pair.value->is_mapping()) {
                add_mapping_params(task, *pair.value);
            } else if (pair.value != nullptr && pair.value->is_scalar() && !pair.value->is_null()) {
                add_free_form(task, pair.value->text);
            }
        }
        if (task.action.empty()) {
            if (!task.old_style) error(task.node, "no module/action detected in task");   // else reported above
            return;
        }
        if (const Param* argv = task.param("argv"); argv != nullptr && argv->value != nullptr && argv->value->is_sequence()) {
            for (const yaml::Node* a : argv->value->items)
                if (a->is_scalar()) task.argv.push_back(a->text);
        }
        task.module = task.action.rfind("ansible.builtin.", 0) == 0 ? task.action.substr(16) : task.action;
        task.fqcn = resolve_fqcn(task.action);
        if (task.fqcn.empty()) task.fqcn = task.action;
    }

    std::unique_ptr<File> m_file;
};

// A mapping that looks like a task: a block, action/local_action, or exactly one non-keyword key.
bool looks_like_task(const yaml::Node& item, bool& known_module) {
    if (!item.is_mapping() || item.pairs.empty()) return false;
    if (is_nested(item)) {
        known_module = true;
        return true;
    }
    int actions = 0;
    for (const auto& pair : item.pairs) {
        if (pair.key == nullptr || !pair.key->is_scalar()) return false;
        const std::string& key = pair.key->text;
        if (key == "action" || key == "local_action") {
            ++actions;
            known_module = true;
            continue;
        }
        if (is_task_keyword(key) || key.rfind("with_", 0) == 0 || contains(k_block_keys, key)) continue;
        ++actions;
        if (!resolve_fqcn(key).empty()) known_module = true;
    }
    return actions == 1;
}

bool in_task_dir(std::string_view path) {
    std::string p(path);
    std::replace(p.begin(), p.end(), '\\', '/');
    p.insert(0, "/");
    const bool yaml_ext = p.size() > 4 && (p.ends_with(".yml") || p.ends_with(".yaml"));
    return yaml_ext && (p.find("/tasks/") != std::string::npos || p.find("/handlers/") != std::string::npos);
}

}  // namespace

// --- Param / Task -----------------------------------------------------------------------------

bool Param::is_null() const { return value != nullptr && value->is_scalar() && value->is_null() && value->tag.empty(); }

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

bool Param::truthy() const {
    return value == nullptr ? !text.empty() : ansible::truthy(value);
}

bool Param::boolean() const {
    if (value != nullptr) {
        if (!value->is_scalar()) return false;
        const auto t = yaml::resolve(*value, yaml::Dialect::Yaml11);
        if (t == yaml::ScalarType::Bool) return yaml::as_bool(*value, yaml::Dialect::Yaml11).value_or(false);
        if (t == yaml::ScalarType::Int) return yaml::as_int(*value, yaml::Dialect::Yaml11).value_or(0) == 1;
        if (t == yaml::ScalarType::Float) return yaml::as_float(*value, yaml::Dialect::Yaml11).value_or(0.0) == 1.0;
        if (t != yaml::ScalarType::String) return false;
    }
    std::string lower;
    for (char c : text) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return lower == "y" || lower == "yes" || lower == "on" || lower == "1" || lower == "true" || lower == "t";
}

std::string_view Task::action_type() const {
    if (parent >= 0) return "meta";
    if (section == "handlers") return "handler";
    return "task";
}

const Param* Task::param(std::string_view key) const {
    for (auto it = params.rbegin(); it != params.rend(); ++it)
        if (it->key == key) return &*it;
    return nullptr;
}

const yaml::Node* Task::keyword(std::string_view key) const { return node != nullptr ? node->find(key) : nullptr; }

// --- names ------------------------------------------------------------------------------------

bool is_task_keyword(std::string_view key) { return contains(k_task_keywords, key); }

bool is_builtin_module(std::string_view short_name) {
    return std::binary_search(k_builtin_modules.begin(), k_builtin_modules.end(), short_name);
}

std::string_view collection_redirect(std::string_view short_name) {
    const auto* begin = std::begin(k_redirects);
    const auto* end = std::end(k_redirects);
    const auto* it = std::lower_bound(begin, end, short_name,
                                      [](const Redirect& r, std::string_view s) { return r.name < s; });
    return it != end && it->name == short_name ? it->fqcn : std::string_view{};
}

std::string resolve_fqcn(std::string_view action) {
    if (action.empty()) return {};
    if (action.find('.') != std::string_view::npos) {
        if (action.rfind("ansible.legacy.", 0) == 0 && is_builtin_module(action.substr(15)))
            return "ansible.builtin." + std::string(action.substr(15));
        return std::string(action);
    }
    if (is_builtin_module(action)) return "ansible.builtin." + std::string(action);
    return std::string(collection_redirect(action));
}

bool is_freeform_module(std::string_view action) { return contains(k_freeform_modules, action); }

FreeForm parse_free_form(std::string_view text, bool check_raw) {
    FreeForm out;
    const std::vector<Token> tokens = split_tokens(text);
    std::vector<const Token*> raw;
    for (const Token& t : tokens) {
        const std::string_view x = text.substr(t.begin, t.end - t.begin);
        std::size_t pos = std::string_view::npos;
        for (std::size_t i = 1; i < x.size(); ++i) {
            if (x[i] == '=' && x[i - 1] != '\\') {
                pos = i;
                break;
            }
        }
        if (pos == std::string_view::npos) {
            raw.push_back(&t);
            continue;
        }
        const std::string_view k = x.substr(0, pos);
        if (check_raw && !contains(k_check_raw_options, k)) {
            raw.push_back(&t);
            continue;
        }
        std::string key(k);
        while (!key.empty() && is_space(key.back())) key.pop_back();
        while (!key.empty() && is_space(key.front())) key.erase(key.begin());
        std::string_view v = x.substr(pos + 1);
        while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
        while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
        out.options.emplace_back(std::move(key), unquote(v));
    }
    if (raw.size() == tokens.size()) {
        // Nothing extracted: the text as written (Ansible keeps its spacing and newlines).
        std::size_t b = 0;
        while (b < text.size() && (text[b] == ' ' || text[b] == '\t')) ++b;
        out.raw = std::string(text.substr(b));
        return out;
    }
    for (const Token* t : raw) {
        if (!out.raw.empty() && out.raw.back() != '\n') out.raw += ' ';
        out.raw += text.substr(t->begin, t->end - t->begin);
        if (t->newline_after) out.raw += '\n';
    }
    return out;
}

// --- detection and reading --------------------------------------------------------------------

std::optional<FileKind> detect(const yaml::Node& root, std::string_view path) {
    if (!root.is_sequence() || root.items.empty()) return std::nullopt;
    bool all_mappings = true;
    bool play_like = false;
    for (const yaml::Node* item : root.items) {
        if (item == nullptr || item->is_null()) continue;
        if (!item->is_mapping()) {
            all_mappings = false;
            break;
        }
        for (const auto& pair : item->pairs) {
            if (pair.key == nullptr) continue;
            const std::string& k = pair.key->text;
            if (k == "hosts" || is_import_playbook_key(k)) play_like = true;
            if ((k == "tasks" || k == "pre_tasks" || k == "post_tasks" || k == "roles") && pair.value != nullptr &&
                pair.value->is_sequence())
                play_like = true;
        }
    }
    if (!all_mappings) return std::nullopt;
    if (play_like) {
        // Every entry must at least be a plausible play.
        for (const yaml::Node* item : root.items) {
            if (item == nullptr || item->is_null()) continue;
            bool has_play_key = false;
            for (const auto& pair : item->pairs)
                if (pair.key != nullptr && contains(k_play_keys, pair.key->text)) has_play_key = true;
            if (!has_play_key && item->find("name") == nullptr) return std::nullopt;
        }
        return FileKind::Playbook;
    }
    bool known = false;
    for (const yaml::Node* item : root.items) {
        if (item == nullptr || item->is_null()) continue;
        if (!looks_like_task(*item, known)) return std::nullopt;
    }
    if (known || in_task_dir(path)) return FileKind::Tasks;
    return std::nullopt;
}

std::unique_ptr<File> read(const yaml::Node& root, FileKind kind, std::string_view path) {
    return Reader(root, kind, path).run();
}

}  // namespace coconut::policy::ansible
