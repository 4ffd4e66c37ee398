// The roles of the ansible target. A service role installs one slot (blue or green) of the
// service on each host of its play, under `<coconut_root>/<app>/<service>/<slot>/`, starts it with
// the chosen service manager and waits until it is healthy; the `lb` role writes nginx's
// configuration (both slots of every host, weighted) and reloads it. Values from the spec reach
// Ansible only as variable values (jinja_literal), never inside templates or task text.
#include "coconut/generate/ansible/roles.hpp"

#include <algorithm>
#include <iterator>
#include <map>

#include "coconut/generate/ansible/templates.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::generate::ansible {

namespace {

using spec::Service;
using spec::ServiceType;

constexpr const char* k_ssd = "/usr/sbin/start-stop-daemon";
constexpr const char* k_nginx = "/usr/sbin/nginx";

bool is_binary(const Service& s) { return s.build && s.build->runtime == spec::Runtime::Static; }
bool is_job(const Service& s) { return s.type == ServiceType::Job; }
bool has_port(const Service& s) { return s.port > 0 && !is_job(s); }
bool uses_systemd(const spec::Spec& spec) {
    return spec.targets.servers->service_manager == spec::ServiceManager::Systemd;
}

Json task(const std::string& name, const std::string& module, Json args) {
    Json t = Json::object();
    t["name"] = name;
    t[module] = std::move(args);
    return t;
}

Json str_list(const std::vector<std::string>& v) {
    Json a = Json::array();
    for (const auto& s : v) a.push_back(jinja_literal(s));
    return a;
}

std::string basename(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// `vault_<name>` of a secret reference: `shop/database-url` -> `vault_shop_database_url`.
std::string vault_var(std::string_view ref) {
    std::string out = "vault_";
    for (char c : ref) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) out += c;
        else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if (out.back() != '_') out += '_';
    }
    while (out.size() > 6 && out.back() == '_') out.pop_back();
    return out;
}

// Cron fields of a schedule for ansible.builtin.cron: {minute, hour, day, month, weekday} or
// {special_time}.
Json cron_fields(const std::string& schedule) {
    Json j = Json::object();
    if (!schedule.empty() && schedule[0] == '@') {
        std::string macro = schedule.substr(1);
        if (macro == "midnight") macro = "daily";
        j["special_time"] = macro;
        return j;
    }
    std::vector<std::string> f;
    std::string cur;
    for (char c : schedule) {
        if (c == ' ' || c == '\t') {
            if (!cur.empty()) f.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) f.push_back(cur);
    f.resize(5, "*");
    j["minute"] = f[0];
    j["hour"] = f[1];
    j["day"] = f[2];
    j["month"] = f[3];
    j["weekday"] = f[4];
    return j;
}

// One line of documentation per role variable suffix (argument_specs.yml).
const std::map<std::string, std::string>& variable_docs() {
    static const std::map<std::string, std::string> docs = {
        {"coconut_app", "App name: the directory under coconut_root and the prefix of units and containers."},
        {"coconut_environment", "Environment this inventory deploys (informational)."},
        {"coconut_version", "Version being deployed (COCONUT_VERSION in the service environment)."},
        {"coconut_root", "Base directory on the hosts."},
        {"coconut_slot", "Slot to install and start: blue or green."},
        {"coconut_slot_state", "started: install and start the slot; stopped: stop it (and install nothing)."},
        {"coconut_active_slot", "Slot nginx sends the traffic to when coconut_weights is empty."},
        {"coconut_weights", "Per-slot nginx weights, e.g. {blue: 90, green: 10}; 0 marks a slot down."},
        {"coconut_service_weights", "Per-service slot weights, e.g. {web: {blue: 90, green: 10}}; win over coconut_weights."},
        {"coconut_serial", "Hosts updated at a time (play serial)."},
        {"coconut_max_fail_percentage", "Failed hosts (percent of a batch) that abort the rollout."},
        {"coconut_host_env", "Environment variables for every service of a host (host variable)."},
        {"env", "Environment variables of the service (from the spec)."},
        {"secret_env", "Secret environment variables, as references to vault variables."},
        {"ports", "Slot ports on the host: {blue: port, green: port + 1}."},
        {"container_port", "Port the service listens on inside its container."},
        {"binary", "File name of the service's binary in <slot>/bin."},
        {"artifact_src", "Binary (or release archive) on the controller to install (copied)."},
        {"artifact_url", "URL of the binary (or release archive) to install when artifact_src is empty."},
        {"artifact_checksum", "Checksum of artifact_url, e.g. sha256:<hex>."},
        {"artifact_archive", "The artifact is a release archive (tar, tar.gz, zip) holding the binary at its top."},
        {"image", "Container image the service runs (podman)."},
        {"entrypoint", "Command overriding the image's entrypoint (spec `command`)."},
        {"args", "Arguments of the service (spec `args`)."},
        {"health_path", "HTTP path of the health check; empty: a TCP check."},
        {"health_timeout", "Seconds one health request may take."},
        {"health_retries", "Health checks (one a second) before the host fails."},
        {"user", "User the unit runs as (systemd): a system user for binaries, root (rootful podman) for containers."},
        {"lb_port", "Port nginx listens on."},
        {"lb_listen_address", "Address nginx listens on; empty: every address."},
        {"lb_upstreams", "Upstreams: name, service, inventory group, ports variable and default ports."},
        {"lb_sites", "nginx servers: server_name, default, locations (path, upstream)."},
        {"lb_dir", "Directory of nginx's configuration."},
        {"lb_user", "nginx worker user; empty when nginx does not run as root."},
        {"lb_worker_processes", "nginx worker_processes."},
        {"lb_pid_file", "nginx pid file."},
        {"lb_error_log", "nginx error log."},
        {"lb_access_log", "nginx access log (format `coconut`, with the upstream address)."},
        {"lb_temp_dir", "Directory of nginx's temporary files; empty: nginx's defaults."},
    };
    return docs;
}

std::string type_of(const Json& v) {
    if (v.is_boolean()) return "bool";
    if (v.is_number_integer()) return "int";
    if (v.is_object()) return "dict";
    if (v.is_array()) return "list";
    return "str";
}

// meta/argument_specs.yml: every default of the role with its type; `prefix` is stripped to find
// the shared description of a service variable (`web_ports` -> `ports`).
Json argument_specs(const std::string& description, const Json& defaults, const std::string& prefix) {
    Json options = Json::object();
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        const std::string& name = it.key();
        std::string key = name;
        if (!prefix.empty() && util::starts_with(name, prefix + "_")) key = name.substr(prefix.size() + 1);
        const auto& docs = variable_docs();
        auto d = docs.find(key);
        Json o = Json::object();
        o["description"] = d != docs.end() ? d->second : name;
        o["type"] = type_of(it.value());
        if (o["type"] == "list") o["elements"] = "raw";
        options[name] = std::move(o);
    }
    Json main = Json::object();
    main["short_description"] = description;
    main["options"] = std::move(options);
    Json specs = Json::object();
    specs["main"] = std::move(main);
    return Json{{"argument_specs", std::move(specs)}};
}

Json meta(const std::string& description) {
    Json platform = Json::object();
    platform["name"] = "Debian";
    platform["versions"] = Json::array({"all"});
    Json info = Json::object();
    info["author"] = "coconut";
    info["description"] = description;
    info["company"] = "generated by coconut";
    info["license"] = "Apache-2.0";
    info["min_ansible_version"] = "2.14";
    info["platforms"] = Json::array({platform});
    Json m = Json::object();
    m["galaxy_info"] = std::move(info);
    m["dependencies"] = Json::array();
    return m;
}

// The argv that starts a slot under start-stop-daemon (run.sh in the background, pidfile).
Json ssd_start_argv(const std::string& p, const std::string& svc) {
    return Json::array({k_ssd, "--start", "--background", "--make-pidfile", "--pidfile",
                        "{{ " + p + "_dir }}/run/" + svc + ".pid", "--chdir", "{{ " + p + "_dir }}", "--output",
                        "{{ " + p + "_dir }}/log/" + svc + ".log", "--startas", "/bin/sh", "--",
                        "{{ " + p + "_dir }}/run.sh"});
}

Json ssd_stop_argv(const std::string& p, const std::string& svc) {
    return Json::array({k_ssd, "--stop", "--oknodo", "--pidfile", "{{ " + p + "_dir }}/run/" + svc + ".pid",
                        "--remove-pidfile", "--retry", "TERM/10/KILL/5"});
}

// A command task whose exit code 1 means "nothing to do" (start-stop-daemon without --oknodo).
Json ssd_task(const std::string& name, Json argv, const std::string& reg) {
    Json t = task(name, "ansible.builtin.command", Json{{"argv", std::move(argv)}});
    t["register"] = reg;
    t["changed_when"] = reg + ".rc == 0";
    t["failed_when"] = reg + ".rc not in [0, 1]";
    return t;
}

Json template_task(const std::string& name, const std::string& src, const std::string& dest, const std::string& mode,
                   Json vars, const std::string& notify) {
    Json args = Json::object();
    args["src"] = src;
    args["dest"] = dest;
    args["mode"] = mode;
    Json t = task(name, "ansible.builtin.template", std::move(args));
    if (!vars.empty()) t["vars"] = std::move(vars);
    if (!notify.empty()) t["notify"] = notify;
    return t;
}

Role service_role(const spec::Spec& spec, const Service& s) {
    const bool systemd = uses_systemd(spec);
    const bool binary = is_binary(s);
    const bool job = is_job(s);
    const std::string p = role_name(s.name);
    const std::string v = "{{ " + p;   // "{{ web" -> "{{ web_dir }}"
    const std::string restart = "Restart " + s.name;
    Role r;
    r.name = p;

    Json defaults = global_vars(spec);
    Json own = service_vars(spec, s);
    for (auto it = own.begin(); it != own.end(); ++it) defaults[it.key()] = it.value();
    r.defaults = defaults;

    Json tasks = Json::array();
    // ---- layout ----
    // Role vars, not set_fact: Ansible templates them lazily, once, so a value from the spec that
    // was written `{% raw %}…{% endraw %}` stays literal (a fact would be templated again).
    Json computed = Json::object();
    computed[p + "_dir"] = "{{ coconut_root }}/{{ coconut_app }}/" + s.name + (job ? "/job" : "/{{ coconut_slot }}");
    computed[p + "_address"] = "{{ coconut_address | default(ansible_host | default(inventory_hostname)) }}";
    if (has_port(s)) computed[p + "_slot_port"] = v + "_ports[coconut_slot] }}";
    if (binary)
        computed[p + "_artifact_dest"] = "{{ " + p + "_dir ~ ('/release.archive' if " + p +
                                         "_artifact_archive | bool else '/bin/' ~ " + p + "_binary) }}";
    if (systemd && !job) computed[p + "_unit"] = "{{ coconut_app }}-" + s.name + "-{{ coconut_slot }}.service";

    Json checks = Json::array();
    if (!job) checks.push_back("coconut_slot in ['blue', 'green']");
    if (!job) checks.push_back("coconut_slot_state in ['started', 'stopped']");
    if (binary)
        checks.push_back((job ? std::string() : std::string("coconut_slot_state == 'stopped' or ")) + p +
                         "_artifact_src | length > 0 or " + p + "_artifact_url | length > 0");
    if (!checks.empty()) {
        Json a = Json::object();
        a["that"] = std::move(checks);
        std::string msg = job ? std::string("needs ") : std::string("needs coconut_slot blue or green");
        if (binary) msg += (job ? "" : ", and ") + p + "_artifact_src or " + p + "_artifact_url";
        a["fail_msg"] = msg;
        a["quiet"] = true;
        tasks.push_back(task("Check the settings of " + s.name, "ansible.builtin.assert", a));
    }

    // ---- environment and command ----
    Json fixed = Json::object();
    if (has_port(s)) fixed["PORT"] = binary ? v + "_slot_port }}" : v + "_container_port }}";
    fixed["COCONUT_SLOT"] = job ? std::string("job") : std::string("{{ coconut_slot }}");
    fixed["COCONUT_VERSION"] = "{{ coconut_version }}";
    Json parts = Json::array();
    if (binary) {
        parts.push_back(Json::array({v + "_dir }}/bin/" + v + "_binary }}"}));
        parts.push_back(v + "_args }}");
    } else {
        const std::string name = "{{ coconut_app }}-" + s.name + (job ? "-job" : "-{{ coconut_slot }}");
        parts.push_back(Json::array({"podman", "run", "--rm", "--replace", "--name", name}));
        parts.push_back(v + "_env_all.keys() | map('regex_replace', '^', '--env=') | list }}");
        if (has_port(s))
            parts.push_back(Json::array({"--publish", "{{ coconut_bind_address | default('0.0.0.0') }}:" + v +
                                                          "_slot_port }}:" + v + "_container_port }}"}));
        for (const auto& vol : s.volumes) {
            std::string mount = "{{ coconut_root }}/{{ coconut_app }}/" + s.name + "/volumes/" + vol.name + ":" +
                                jinja_literal(vol.path);
            if (vol.read_only) mount += ":ro";
            parts.push_back(Json::array({"--volume", mount}));
        }
        parts.push_back("{{ ['--entrypoint', " + p + "_entrypoint[0]] if " + p + "_entrypoint | length > 0 else [] }}");
        parts.push_back(Json::array({v + "_image }}"}));
        parts.push_back(v + "_entrypoint[1:] }}");
        parts.push_back(v + "_args }}");
    }
    computed[p + "_env_fixed"] = fixed;
    computed[p + "_env_all"] = v + "_env | combine(" + p + "_secret_env, coconut_host_env, " + p + "_env_fixed) }}";
    computed[p + "_argv_parts"] = parts;
    computed[p + "_argv"] = v + "_argv_parts | flatten }}";
    r.vars = std::move(computed);

    // ---- files ----
    if (systemd && binary) {
        Json u = Json::object();
        u["name"] = v + "_user }}";
        u["system"] = true;
        u["shell"] = "/usr/sbin/nologin";
        u["create_home"] = false;
        tasks.push_back(task("Create the user of " + s.name, "ansible.builtin.user", u));
    }
    {
        Json f = Json::object();
        f["path"] = "{{ item }}";
        f["state"] = "directory";
        f["mode"] = "0755";
        Json t = task("Create the directories of " + s.name, "ansible.builtin.file", f);
        Json items = Json::array({v + "_dir }}", v + "_dir }}/bin", v + "_dir }}/run", v + "_dir }}/log"});
        t["loop"] = std::move(items);
        tasks.push_back(std::move(t));
        if (systemd) {
            Json o = Json::object();
            o["path"] = "{{ item }}";
            o["state"] = "directory";
            o["owner"] = v + "_user }}";
            o["mode"] = "0750";
            Json ot = task("Let the user of " + s.name + " write its run and log directories", "ansible.builtin.file", o);
            ot["loop"] = Json::array({v + "_dir }}/run", v + "_dir }}/log"});
            tasks.push_back(std::move(ot));
        }
        if (!s.volumes.empty()) {
            Json vf = Json::object();
            vf["path"] = "{{ coconut_root }}/{{ coconut_app }}/" + s.name + "/volumes/{{ item }}";
            vf["state"] = "directory";
            if (systemd) vf["owner"] = v + "_user }}";
            vf["mode"] = "0750";
            Json vt = task("Create the volumes of " + s.name, "ansible.builtin.file", vf);
            Json names = Json::array();
            for (const auto& vol : s.volumes) names.push_back(vol.name);
            vt["loop"] = std::move(names);
            tasks.push_back(std::move(vt));
        }
    }
    if (binary) {
        // The artifact is the binary itself, or (<svc>_artifact_archive) a release archive that is
        // unpacked into <slot>/bin and holds the binary at its top level.
        Json c = Json::object();
        c["src"] = v + "_artifact_src }}";
        c["dest"] = v + "_artifact_dest }}";
        c["mode"] = "0755";
        Json t = task("Install the artifact of " + s.name + " from the controller", "ansible.builtin.copy", c);
        t["when"] = p + "_artifact_src | length > 0";
        t["notify"] = restart;
        tasks.push_back(std::move(t));
        Json g = Json::object();
        g["url"] = v + "_artifact_url }}";
        g["checksum"] = v + "_artifact_checksum }}";
        g["dest"] = v + "_artifact_dest }}";
        g["mode"] = "0755";
        Json gt = task("Download the artifact of " + s.name, "ansible.builtin.get_url", g);
        gt["when"] = p + "_artifact_src | length == 0";
        gt["notify"] = restart;
        tasks.push_back(std::move(gt));
        Json u = Json::object();
        u["src"] = v + "_artifact_dest }}";
        u["dest"] = v + "_dir }}/bin";
        u["remote_src"] = true;
        Json ut = task("Unpack the release archive of " + s.name, "ansible.builtin.unarchive", u);
        ut["when"] = p + "_artifact_archive | bool";
        ut["notify"] = restart;
        tasks.push_back(std::move(ut));
    } else {
        Json i = Json::object();
        i["name"] = v + "_image }}";
        Json t = task("Pull the image of " + s.name, "containers.podman.podman_image", i);
        t["notify"] = restart;
        tasks.push_back(std::move(t));
    }
    Json env_vars = Json{{"tpl_env", v + "_env_all }}"}};
    Json env_task = template_task("Write the environment of " + s.name, "env.j2", v + "_dir }}/" + s.name + ".env",
                                  systemd ? "0640" : "0600", env_vars, restart);
    if (systemd) env_task["ansible.builtin.template"]["group"] = v + "_user }}";
    if (!s.secrets.empty()) env_task["no_log"] = true;
    tasks.push_back(std::move(env_task));

    Json run_vars = Json::object();
    run_vars["tpl_env_file"] = v + "_dir }}/" + s.name + ".env";
    run_vars["tpl_dir"] = v + "_dir }}";
    run_vars["tpl_argv"] = v + "_argv }}";
    if (job || !systemd)
        tasks.push_back(template_task("Write the start script of " + s.name, "run.sh.j2", v + "_dir }}/run.sh", "0755",
                                      run_vars, job ? std::string() : restart));
    if (systemd && !job) {
        Json unit_vars = run_vars;
        unit_vars["tpl_description"] = "{{ coconut_app }} " + s.name + " ({{ coconut_slot }} slot)";
        unit_vars["tpl_user"] = v + "_user }}";
        tasks.push_back(template_task("Write the systemd unit of " + s.name, "unit.service.j2",
                                      "/etc/systemd/system/" + v + "_unit }}", "0644", unit_vars, restart));
    }

    // ---- start ----
    Json handlers = Json::array();
    if (job) {
        Json c = cron_fields(s.schedule);
        c["name"] = "{{ coconut_app }}-" + s.name;
        c["job"] = "{{ (" + p + "_dir ~ '/run.sh') | quote }} >> {{ (" + p + "_dir ~ '/log/" + s.name +
                   ".log') | quote }} 2>&1";
        if (systemd) c["user"] = v + "_user }}";
        tasks.push_back(task("Schedule " + s.name, "ansible.builtin.cron", c));
    } else {
        tasks.push_back(task("Restart " + s.name + " when it changed", "ansible.builtin.meta", "flush_handlers"));
        if (systemd) {
            Json st = Json::object();
            st["name"] = v + "_unit }}";
            st["state"] = "started";
            st["enabled"] = true;
            st["daemon_reload"] = true;
            tasks.push_back(task("Start " + s.name, "ansible.builtin.systemd", st));
            Json h = Json::object();
            h["name"] = v + "_unit }}";
            h["state"] = "restarted";
            h["daemon_reload"] = true;
            handlers.push_back(task(restart, "ansible.builtin.systemd", h));
        } else {
            tasks.push_back(ssd_task("Start " + s.name, ssd_start_argv(p, s.name), p + "_start"));
            Json stop = task("Stop " + s.name, "ansible.builtin.command", Json{{"argv", ssd_stop_argv(p, s.name)}});
            stop["changed_when"] = true;
            stop["listen"] = restart;
            handlers.push_back(std::move(stop));
            Json start = task("Start " + s.name + " again", "ansible.builtin.command",
                              Json{{"argv", ssd_start_argv(p, s.name)}});
            start["changed_when"] = true;
            start["listen"] = restart;
            handlers.push_back(std::move(start));
        }
        if (has_port(s)) {
            const bool http = s.health && !s.health->path.empty();
            if (http) {
                Json u = Json::object();
                u["url"] = "http://" + v + "_address }}:" + v + "_slot_port }}" + v + "_health_path }}";
                u["status_code"] = 200;
                u["timeout"] = v + "_health_timeout }}";
                Json t = task("Wait until " + s.name + " is healthy", "ansible.builtin.uri", u);
                t["register"] = p + "_health";
                t["until"] = p + "_health.status == 200";
                t["retries"] = v + "_health_retries }}";
                t["delay"] = 1;
                tasks.push_back(std::move(t));
            } else {
                Json w = Json::object();
                w["host"] = v + "_address }}";
                w["port"] = v + "_slot_port }}";
                w["timeout"] = v + "_health_retries }}";
                tasks.push_back(task("Wait until " + s.name + " accepts connections", "ansible.builtin.wait_for", w));
            }
        }
    }
    if (handlers.empty()) {
        // Jobs restart nothing: the next cron run uses the new files. Ansible needs the topic.
        Json d = Json::object();
        d["msg"] = s.name + " runs from cron: the next run uses the new files";
        Json h = task(restart, "ansible.builtin.debug", d);
        handlers.push_back(std::move(h));
    }
    if (!job) {
        // coconut_slot_state: stopped stops the slot and installs nothing (the other tasks are
        // skipped; flush_handlers has nothing to run then).
        const std::string started = "coconut_slot_state == 'started'";
        for (std::size_t i = 1; i < tasks.size(); ++i) {
            Json& t = tasks[i];
            if (t.contains("ansible.builtin.meta")) continue;
            if (!t.contains("when")) {
                t["when"] = started;
            } else {
                Json both = Json::array({started, t["when"]});
                t["when"] = std::move(both);
            }
        }
        Json stop;
        if (systemd) {
            Json st = Json::object();
            st["name"] = v + "_unit }}";
            st["state"] = "stopped";
            st["enabled"] = false;
            stop = task("Stop the slot of " + s.name, "ansible.builtin.systemd", st);
        } else {
            Json argv = Json::array({k_ssd, "--stop", "--pidfile", "{{ " + p + "_dir }}/run/" + s.name + ".pid",
                                     "--remove-pidfile", "--retry", "TERM/10/KILL/5"});
            stop = ssd_task("Stop the slot of " + s.name, std::move(argv), p + "_stop");
        }
        stop["when"] = "coconut_slot_state == 'stopped'";
        tasks.push_back(std::move(stop));
    }
    r.tasks = std::move(tasks);
    r.handlers = std::move(handlers);

    const std::string description = "Installs and runs the " + s.name + " service of " + spec.name + " (" +
                                    (binary ? "binary" : "container") + ", " +
                                    (job ? "cron" : systemd ? "systemd" : "start-stop-daemon") + ")";
    r.meta = meta(description);
    r.argument_specs = argument_specs(description, r.defaults, p);
    r.templates.emplace_back("env.j2", env_template());
    if (job || !systemd) r.templates.emplace_back("run.sh.j2", run_script_template());
    if (systemd && !job) r.templates.emplace_back("unit.service.j2", systemd_unit_template());
    return r;
}

Role lb_role(const spec::Spec& spec) {
    const bool systemd = uses_systemd(spec);
    Role r;
    r.name = "lb";
    Json defaults = Json::object();
    const Json globals = global_vars(spec);
    for (const char* k :
         {"coconut_app", "coconut_root", "coconut_active_slot", "coconut_weights", "coconut_service_weights"})
        defaults[k] = globals[k];
    Json lb = lb_vars(spec);
    for (auto it = lb.begin(); it != lb.end(); ++it) defaults[it.key()] = it.value();
    defaults["lb_listen_address"] = "";
    if (systemd) {
        defaults["lb_dir"] = "/etc/nginx";
        defaults["lb_user"] = "www-data";
        defaults["lb_worker_processes"] = "auto";
        defaults["lb_pid_file"] = "/run/nginx.pid";
        defaults["lb_error_log"] = "/var/log/nginx/error.log";
        defaults["lb_access_log"] = "/var/log/nginx/access.log";
        defaults["lb_temp_dir"] = "";
    } else {
        defaults["lb_dir"] = "{{ coconut_root }}/{{ coconut_app }}/lb";
        defaults["lb_user"] = "";
        defaults["lb_worker_processes"] = "1";
        defaults["lb_pid_file"] = "{{ lb_dir }}/nginx.pid";
        defaults["lb_error_log"] = "{{ lb_dir }}/logs/error.log";
        defaults["lb_access_log"] = "{{ lb_dir }}/logs/access.log";
        defaults["lb_temp_dir"] = "{{ lb_dir }}/tmp";
    }
    r.defaults = defaults;

    Json tasks = Json::array();
    const std::string notify = "Reload nginx";
    Json tmpl = Json::object();
    tmpl["src"] = "nginx.conf.j2";
    tmpl["dest"] = "{{ lb_dir }}/nginx.conf";
    tmpl["mode"] = "0644";
    Json handlers = Json::array();
    if (systemd) {
        Json pkg = Json::object();
        pkg["name"] = "nginx";
        pkg["state"] = "present";
        tasks.push_back(task("Install nginx", "ansible.builtin.package", pkg));
        tmpl["validate"] = std::string(k_nginx) + " -t -q -c %s";
        Json t = task("Write the nginx configuration", "ansible.builtin.template", tmpl);
        t["notify"] = notify;
        tasks.push_back(std::move(t));
        Json st = Json::object();
        st["name"] = "nginx";
        st["state"] = "started";
        st["enabled"] = true;
        tasks.push_back(task("Start nginx", "ansible.builtin.systemd", st));
        Json h = Json::object();
        h["name"] = "nginx";
        h["state"] = "reloaded";
        handlers.push_back(task(notify, "ansible.builtin.systemd", h));
    } else {
        Json f = Json::object();
        f["path"] = "{{ item }}";
        f["state"] = "directory";
        f["mode"] = "0755";
        Json dirs = task("Create the nginx directories", "ansible.builtin.file", f);
        dirs["loop"] = Json::array({"{{ lb_dir }}", "{{ lb_dir }}/logs", "{{ lb_temp_dir }}"});
        tasks.push_back(std::move(dirs));
        tmpl["validate"] = std::string(k_nginx) + " -t -q -e {{ lb_error_log }} -p {{ lb_dir }}/ -c %s";
        Json t = task("Write the nginx configuration", "ansible.builtin.template", tmpl);
        t["notify"] = notify;
        tasks.push_back(std::move(t));
        // A reload before the start: HUP must never reach an nginx that is still starting.
        tasks.push_back(task("Reload nginx when its configuration changed", "ansible.builtin.meta", "flush_handlers"));
        Json start = Json::array({k_ssd, "--start", "--background", "--make-pidfile", "--pidfile", "{{ lb_pid_file }}",
                                  "--output", "{{ lb_dir }}/logs/stderr.log", "--exec", k_nginx, "--", "-p",
                                  "{{ lb_dir }}/", "-c", "{{ lb_dir }}/nginx.conf", "-e", "{{ lb_error_log }}", "-g",
                                  "daemon off;"});
        tasks.push_back(ssd_task("Start nginx", start, "lb_start"));
        Json reload = Json::array({k_ssd, "--stop", "--signal", "HUP", "--oknodo", "--pidfile", "{{ lb_pid_file }}",
                                   "--exec", k_nginx});
        Json h = task(notify, "ansible.builtin.command", Json{{"argv", reload}});
        h["changed_when"] = true;
        handlers.push_back(std::move(h));
    }
    Json w = Json::object();
    w["host"] = "{{ lb_listen_address if lb_listen_address | length > 0 else '127.0.0.1' }}";
    w["port"] = "{{ lb_port }}";
    w["timeout"] = 30;
    tasks.push_back(task("Wait until nginx accepts connections", "ansible.builtin.wait_for", w));
    r.tasks = std::move(tasks);
    r.handlers = std::move(handlers);
    const std::string description = "nginx in front of the web services of " + spec.name +
                                    ": both slots of every host, weighted (" +
                                    (systemd ? "systemd" : "start-stop-daemon") + ")";
    r.meta = meta(description);
    r.argument_specs = argument_specs(description, r.defaults, "");
    r.templates.emplace_back("nginx.conf.j2", nginx_template());
    return r;
}

}  // namespace

std::string role_name(std::string_view service) {
    std::string out(service);
    for (char& c : out)
        if (c == '-') c = '_';
    return out;
}

std::string ansible_group(std::string_view group) { return role_name(group); }

Json global_vars(const spec::Spec& spec) {
    const spec::ServersTarget& servers = *spec.targets.servers;
    Json g = Json::object();
    g["coconut_app"] = spec.name;
    g["coconut_environment"] = spec.environment.empty() ? std::string("default") : spec.environment;
    g["coconut_version"] = jinja_literal(spec.version);
    g["coconut_root"] = jinja_literal(servers.root);
    g["coconut_slot"] = "blue";
    g["coconut_slot_state"] = "started";
    g["coconut_active_slot"] = "blue";
    g["coconut_weights"] = Json::object();
    g["coconut_service_weights"] = Json::object();
    g["coconut_host_env"] = Json::object();
    return g;
}

Json service_vars(const spec::Spec& spec, const Service& s) {
    const std::string p = role_name(s.name);
    Json v = Json::object();
    Json env = Json::object();
    for (const auto& [k, val] : s.env) env[k] = jinja_literal(val);
    v[p + "_env"] = std::move(env);
    Json secrets = Json::object();
    for (const auto& [k, ref] : s.secrets) secrets[k] = "{{ " + vault_var(ref) + " }}";
    v[p + "_secret_env"] = std::move(secrets);
    if (has_port(s)) {
        const int blue = spec.targets.servers->slot_port(s.name, s.port);
        v[p + "_ports"] = Json{{"blue", blue}, {"green", blue + 1}};
        if (!is_binary(s)) v[p + "_container_port"] = s.port;
    }
    if (is_binary(s)) {
        v[p + "_binary"] = jinja_literal(basename(s.build->binary.empty() ? s.name : s.build->binary));
        v[p + "_artifact_src"] = "";
        v[p + "_artifact_url"] = "";
        v[p + "_artifact_checksum"] = "";
        v[p + "_artifact_archive"] = false;
    } else {
        v[p + "_image"] = jinja_literal(spec.image_of(s));
        v[p + "_entrypoint"] = str_list(s.command);
    }
    v[p + "_args"] = str_list(s.args);
    if (has_port(s)) {
        v[p + "_health_path"] = s.health ? jinja_literal(s.health->path) : std::string();
        v[p + "_health_timeout"] = s.health ? static_cast<int>(s.health->timeout.seconds) : 2;
        v[p + "_health_retries"] = static_cast<int>(spec.deploy.health_timeout.seconds);
    }
    // Binaries run as a system user named like the app; containers run under rootful podman (a
    // rootless one would need a home and subordinate ids): the image's own USER applies inside.
    if (uses_systemd(spec)) v[p + "_user"] = is_binary(s) ? spec.name : std::string("root");
    return v;
}

Json lb_vars(const spec::Spec& spec) {
    Json upstreams = Json::array();
    std::vector<std::pair<std::string, Json>> sites;   // server_name -> locations
    for (const auto& s : spec.services) {
        const bool routed = has_port(s) && (s.ingress || s.type == ServiceType::Web);
        if (!routed) continue;
        const std::string p = role_name(s.name);
        const std::string upstream = role_name(spec.name) + "_" + p;
        const int blue = spec.targets.servers->slot_port(s.name, s.port);
        Json u = Json::object();
        u["name"] = upstream;
        u["service"] = s.name;
        u["group"] = ansible_group(spec.targets.servers->group_of(s.name));
        u["ports_var"] = p + "_ports";
        u["ports"] = Json{{"blue", blue}, {"green", blue + 1}};
        upstreams.push_back(std::move(u));
        const std::string host = s.ingress && !s.ingress->host.empty() ? s.ingress->host : "_";
        const std::string path = s.ingress ? s.ingress->path : "/";
        auto it = std::find_if(sites.begin(), sites.end(), [&](const auto& x) { return x.first == host; });
        if (it == sites.end()) {
            sites.emplace_back(host, Json::array());
            it = std::prev(sites.end());
        }
        it->second.push_back(Json{{"path", jinja_literal(path)}, {"upstream", upstream}});
    }
    Json site_list = Json::array();
    for (auto& [host, locations] : sites) {
        Json site = Json::object();
        site["server_name"] = jinja_literal(host);
        site["default"] = host == "_";
        site["locations"] = std::move(locations);
        site_list.push_back(std::move(site));
    }
    Json v = Json::object();
    v["lb_port"] = spec.targets.servers->lb_port;
    v["lb_upstreams"] = std::move(upstreams);
    v["lb_sites"] = std::move(site_list);
    return v;
}

std::vector<Role> build_roles(const spec::Spec& spec) {
    std::vector<Role> roles;
    for (const auto& s : spec.services) roles.push_back(service_role(spec, s));
    roles.push_back(lb_role(spec));
    return roles;
}

}  // namespace coconut::generate::ansible
