#include "coconut/generate/ansible/ansible_generator.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coconut/generate/ansible/roles.hpp"
#include "coconut/generate/ansible/templates.hpp"
#include "coconut/yaml/emit.hpp"

namespace coconut::generate::ansible {

namespace {

constexpr const char* k_kind_playbook = "ansible-playbook";
constexpr const char* k_kind_tasks = "ansible-tasks";
constexpr const char* k_kind_vars = "ansible-vars";
constexpr const char* k_kind_meta = "ansible-meta";
constexpr const char* k_kind_inventory = "ansible-inventory";
constexpr const char* k_kind_template = "ansible-template";
constexpr const char* k_kind_config = "ansible-config";

// Services in deploy order: dependencies first (validation rejects cycles), else spec order.
std::vector<const spec::Service*> deploy_order(const spec::Spec& spec) {
    std::vector<const spec::Service*> out;
    std::set<std::string> done;
    std::set<std::string> visiting;
    auto visit = [&](auto&& self, const spec::Service& s) -> void {
        if (done.count(s.name) || visiting.count(s.name)) return;
        visiting.insert(s.name);
        for (const auto& d : s.depends_on)
            if (const spec::Service* dep = spec.find_service(d)) self(self, *dep);
        visiting.erase(s.name);
        done.insert(s.name);
        out.push_back(&s);
    };
    for (const auto& s : spec.services)
        if (s.type != spec::ServiceType::Job) visit(visit, s);
    for (const auto& s : spec.services)
        if (s.type == spec::ServiceType::Job) visit(visit, s);
    return out;
}

Json play(const spec::Spec& spec, const spec::Service& s, bool systemd) {
    Json p = Json::object();
    p["name"] = "Deploy " + s.name;
    p["hosts"] = ansible_group(spec.targets.servers->group_of(s.name));
    p["gather_facts"] = false;
    if (systemd) p["become"] = true;
    // Play keywords are templated before any inventory variable is known: the spec's value is
    // the default of `serial` here, and an orchestrator overrides it with -e. Ansible's playbook
    // schema wants a number for max_fail_percentage: the spec's value, fixed.
    const spec::ServersTarget& servers = *spec.targets.servers;
    p["serial"] = "{{ coconut_serial | default(" + std::to_string(servers.serial) + ") }}";
    p["max_fail_percentage"] = servers.max_fail_percentage;
    p["tags"] = Json::array({s.name, "services"});
    p["roles"] = Json::array({Json{{"role", role_name(s.name)}}});
    return p;
}

Json site(const spec::Spec& spec) {
    const bool systemd = spec.targets.servers->service_manager == spec::ServiceManager::Systemd;
    Json plays = Json::array();
    for (const spec::Service* s : deploy_order(spec)) plays.push_back(play(spec, *s, systemd));
    Json lb = Json::object();
    lb["name"] = "Configure the load balancer";
    lb["hosts"] = "lb";
    lb["gather_facts"] = false;
    if (systemd) lb["become"] = true;
    lb["tags"] = Json::array({"lb"});
    lb["roles"] = Json::array({Json{{"role", "lb"}}});
    plays.push_back(std::move(lb));
    return plays;
}

std::string ansible_cfg(const std::string& header) {
    // INI, not YAML: written as text. Host key checking stays on (the default).
    return header +
           "[defaults]\n"
           "roles_path = roles\n"
           "interpreter_python = auto_silent\n"
           "retry_files_enabled = False\n"
           "stdout_callback = default\n"
           "\n"
           "[ssh_connection]\n"
           "pipelining = True\n"
           "ssh_args = -o ControlMaster=auto -o ControlPersist=60s\n";
}

// hosts.yml of one environment: every group with its hosts; a host's variables where it is
// first listed.
Json inventory(const spec::Spec& env) {
    const spec::ServersTarget& servers = *env.targets.servers;
    std::map<std::string, const spec::ServerHost*> detailed;
    for (const auto& [group, hosts] : servers.inventory)
        for (const auto& h : hosts)
            if (h.detailed) detailed.emplace(h.name, &h);
    std::set<std::string> written;
    Json children = Json::object();
    for (const auto& [group, hosts] : servers.inventory) {
        Json hj = Json::object();
        for (const auto& h : hosts) {
            Json vars = Json::object();
            if (written.insert(h.name).second) {
                auto it = detailed.find(h.name);
                const spec::ServerHost& d = it != detailed.end() ? *it->second : h;
                if (!d.address.empty() && d.address != d.name) vars["ansible_host"] = jinja_literal(d.address);
                if (d.port > 0) vars["ansible_port"] = d.port;
                if (!d.user.empty()) vars["ansible_user"] = jinja_literal(d.user);
                if (!d.env.empty()) {
                    Json env_vars = Json::object();
                    for (const auto& [k, v] : d.env) env_vars[k] = jinja_literal(v);
                    vars["coconut_host_env"] = std::move(env_vars);
                }
                for (const auto& [k, v] : d.vars) vars[k] = jinja_literal(v);
            }
            hj[h.name] = vars.empty() ? Json(nullptr) : std::move(vars);
        }
        Json g = Json::object();
        g["hosts"] = std::move(hj);
        children[ansible_group(group)] = std::move(g);
    }
    Json all = Json::object();
    all["children"] = std::move(children);
    return Json{{"all", std::move(all)}};
}

// group_vars/all.yml of one environment: the settings of the environment, and every role
// variable whose value differs from the role's default (the base spec).
Json group_vars(const spec::Spec& base, const spec::Spec& env) {
    Json vars = global_vars(env);
    vars["ansible_user"] = jinja_literal(env.targets.servers->user);
    for (const auto& s : env.services) {
        const spec::Service* b = base.find_service(s.name);
        const Json mine = service_vars(env, s);
        const Json theirs = b ? service_vars(base, *b) : Json::object();
        for (auto it = mine.begin(); it != mine.end(); ++it)
            if (!theirs.contains(it.key()) || theirs[it.key()] != it.value()) vars[it.key()] = it.value();
    }
    const Json mine = lb_vars(env);
    const Json theirs = lb_vars(base);
    for (auto it = mine.begin(); it != mine.end(); ++it)
        if (theirs[it.key()] != it.value()) vars[it.key()] = it.value();
    return vars;
}

}  // namespace

util::Expected<void> AnsibleGenerator::generate(const GenerateInput& in, ArtifactSet& out) const {
    const spec::Spec& base = in.base;
    if (!base.targets.servers)
        return util::fail(util::ErrorCode::Usage, "ansible: the spec has no `targets.servers` block");
    for (const auto& env : in.environments)
        if (!env.targets.servers)
            return util::fail(util::ErrorCode::Usage,
                              "ansible: environment '" + env.environment + "' removes `targets.servers`");
    const std::string header = header_comment(in.source_file);
    const std::string doc = header + "---\n";

    out.add("ansible/ansible.cfg", ansible_cfg(header), k_kind_config);
    out.add("ansible/site.yml", doc + yaml::emit(site(base)), k_kind_playbook);

    for (const auto& role : build_roles(base)) {
        const std::string dir = "ansible/roles/" + role.name + "/";
        out.add(dir + "tasks/main.yml", doc + yaml::emit(role.tasks), k_kind_tasks);
        out.add(dir + "handlers/main.yml", doc + yaml::emit(role.handlers), k_kind_tasks);
        out.add(dir + "defaults/main.yml", doc + yaml::emit(role.defaults), k_kind_vars);
        if (!role.vars.empty()) out.add(dir + "vars/main.yml", doc + yaml::emit(role.vars), k_kind_vars);
        out.add(dir + "meta/main.yml", doc + yaml::emit(role.meta), k_kind_meta);
        out.add(dir + "meta/argument_specs.yml", doc + yaml::emit(role.argument_specs), k_kind_meta);
        for (const auto& [file, text] : role.templates) out.add(dir + "templates/" + file, text, k_kind_template);
    }
    out.add_root("ansible/roles");

    // One inventory per environment; a spec without environments gets `default`.
    std::vector<const spec::Spec*> envs;
    for (const auto& env : in.environments) envs.push_back(&env);
    spec::Spec default_env;
    if (envs.empty() && base.environments.empty()) {
        default_env = base;
        default_env.environment = "default";
        envs.push_back(&default_env);
    }
    for (const spec::Spec* env : envs) {
        const std::string root = "ansible/inventories/" + env->environment;
        out.add(root + "/hosts.yml", doc + yaml::emit(inventory(*env)), k_kind_inventory);
        out.add(root + "/group_vars/all.yml", doc + yaml::emit(group_vars(base, *env)), k_kind_vars);
        out.add_root(root, env->environment);
    }
    return {};
}

COCONUT_REGISTER_GENERATOR(AnsibleGenerator);

}  // namespace coconut::generate::ansible
