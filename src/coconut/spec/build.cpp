// The typed model from a validated tree, with the defaults the descriptor table documents; and
// the model back as data. Only called on trees without problems, but still defensive: a value
// that is not what validation promised is skipped, never dereferenced blindly.
#include "coconut/spec/build.hpp"

#include "coconut/spec/quantity.hpp"
#include "coconut/spec/validate.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::spec::detail {

using yaml::Dialect;
using yaml::Node;
using Json = nlohmann::ordered_json;

namespace {

std::string text(const Node* n, std::string def = {}) {
    if (!n || !n->is_scalar()) return def;
    return n->text;
}

int integer(const Node* n, int def) {
    if (!n) return def;
    auto v = yaml::as_int(*n, Dialect::Core12);
    return v ? static_cast<int>(*v) : def;
}

std::optional<double> number(const Node* n) {
    if (!n) return std::nullopt;
    return yaml::as_float(*n, Dialect::Core12);
}

bool boolean(const Node* n, bool def) {
    if (!n || !n->is_scalar()) return def;
    if (auto b = yaml::as_bool(*n, Dialect::Core12)) return *b;
    if (auto b = yaml::as_bool(*n, Dialect::Yaml11)) return *b;
    return def;
}

Duration duration(const Node* n, Duration def) {
    if (!n || !n->is_scalar()) return def;
    auto ms = parse_duration_ms(n->text);
    if (!ms) return def;
    return Duration{n->text, duration_seconds(*ms)};
}

StringMap string_map(const Node* n) {
    StringMap out;
    if (!n || !n->is_mapping()) return out;
    for (const auto& p : n->pairs)
        if (p.key->is_scalar()) out.emplace_back(p.key->text, p.value->is_null() ? std::string() : text(p.value));
    return out;
}

std::vector<std::string> string_list(const Node* n) {
    std::vector<std::string> out;
    if (!n || !n->is_sequence()) return out;
    for (const auto* item : n->items)
        if (item->is_scalar()) out.push_back(item->text);
    return out;
}

std::vector<std::string> words(const Node* n) {
    if (n && n->is_scalar()) return split_words(n->text).value_or(std::vector<std::string>{});
    return string_list(n);
}

template <class E, std::size_t N>
E enum_of(const Node* n, const std::pair<const char*, E> (&table)[N], E def) {
    const std::string t = text(n);
    for (const auto& [name, value] : table)
        if (t == name) return value;
    return def;
}

const std::pair<const char*, ServiceType> k_service_types[] = {
    {"web", ServiceType::Web}, {"backend", ServiceType::Backend}, {"worker", ServiceType::Worker}, {"job", ServiceType::Job}};
const std::pair<const char*, Runtime> k_runtimes[] = {{"node", Runtime::Node},     {"python", Runtime::Python},
                                                      {"go", Runtime::Go},         {"java", Runtime::Java},
                                                      {"static", Runtime::Static}, {"dockerfile", Runtime::Dockerfile}};
const std::pair<const char*, Strategy> k_strategies[] = {{"rolling", Strategy::Rolling},
                                                         {"blue-green", Strategy::BlueGreen},
                                                         {"canary", Strategy::Canary},
                                                         {"immutable", Strategy::Immutable}};
const std::pair<const char*, Profile> k_profiles[] = {{"baseline", Profile::Baseline},
                                                      {"restricted", Profile::Restricted}};
const std::pair<const char*, CpuArchitecture> k_architectures[] = {{"x86_64", CpuArchitecture::X86_64},
                                                                   {"arm64", CpuArchitecture::Arm64}};
const std::pair<const char*, ServiceManager> k_managers[] = {{"systemd", ServiceManager::Systemd},
                                                             {"start-stop-daemon", ServiceManager::StartStopDaemon}};

std::string default_runtime_version(Runtime r) {
    switch (r) {
        case Runtime::Node: return "20";
        case Runtime::Python: return "3.12";
        case Runtime::Go: return "1.22";
        case Runtime::Java: return "21";
        case Runtime::Static:
        case Runtime::Dockerfile: return "";
    }
    return "";
}

Build build_of(const Node& n, const std::string& service) {
    Build b;
    b.context = text(value_of(&n, "context"), ".");
    b.runtime = enum_of(value_of(&n, "runtime"), k_runtimes, Runtime::Static);
    b.version = text(value_of(&n, "version"), default_runtime_version(b.runtime));
    b.dockerfile = text(value_of(&n, "dockerfile"), b.runtime == Runtime::Dockerfile ? "Dockerfile" : "");
    b.binary = text(value_of(&n, "binary"), b.runtime == Runtime::Static ? service : "");
    b.args = string_map(value_of(&n, "args"));
    b.base_image = text(value_of(&n, "base_image"));
    b.builder_image = text(value_of(&n, "builder_image"));
    b.healthcheck = words(value_of(&n, "healthcheck"));
    b.packages = string_list(value_of(&n, "packages"));
    b.build_packages = string_list(value_of(&n, "build_packages"));
    return b;
}

Service service_of(const std::string& name, const Node& key, const Node* s, const Spec& spec) {
    Service svc;
    svc.name = name;
    svc.position = key.start;
    svc.type = enum_of(value_of(s, "type"), k_service_types, ServiceType::Backend);
    if (const Node* b = value_of(s, "build"); b && b->is_mapping()) svc.build = build_of(*b, name);
    svc.image = text(value_of(s, "image"));
    svc.port = integer(value_of(s, "port"), svc.type == ServiceType::Web ? 8080 : 0);
    svc.command = words(value_of(s, "command"));
    svc.args = words(value_of(s, "args"));
    svc.env = string_map(value_of(s, "env"));
    svc.secrets = string_map(value_of(s, "secrets"));

    if (const Node* r = value_of(s, "resources")) {
        const std::string cpu_limit = text(value_of(r, "cpu_limit"));
        const std::string memory_limit = text(value_of(r, "memory_limit"));
        // As Kubernetes does: a request that is not set defaults to the limit when there is one.
        svc.resources.cpu = text(value_of(r, "cpu"), cpu_limit.empty() ? svc.resources.cpu : cpu_limit);
        svc.resources.memory = text(value_of(r, "memory"), memory_limit.empty() ? svc.resources.memory : memory_limit);
        svc.resources.cpu_limit = cpu_limit;
        svc.resources.memory_limit = memory_limit;
    }
    if (svc.resources.cpu_limit.empty()) svc.resources.cpu_limit = svc.resources.cpu;
    if (svc.resources.memory_limit.empty()) svc.resources.memory_limit = svc.resources.memory;

    // Long-running services default to two replicas: one pod is a single point of failure, and
    // coconut's own checks (K8S-REPLICAS-MIN) must pass on what a spec does not ask for.
    const int default_min = svc.type == ServiceType::Job ? 1 : 2;
    svc.replicas.min = svc.replicas.max = default_min;
    if (const Node* r = value_of(s, "replicas")) {
        if (r->is_mapping()) {
            const Node* max = value_of(r, "max");
            // {max: 1} alone means at most one: the default minimum never exceeds a given maximum.
            const int min_default = max ? std::min(default_min, integer(max, default_min)) : default_min;
            svc.replicas.min = integer(value_of(r, "min"), min_default);
            svc.replicas.max = integer(max, svc.replicas.min);
            svc.replicas.cpu_percent = integer(value_of(r, "cpu_percent"), 80);
            if (const Node* m = value_of(r, "memory_percent")) svc.replicas.memory_percent = integer(m, 80);
        } else {
            svc.replicas.min = svc.replicas.max = integer(r, 1);
        }
    }

    if (const Node* h = value_of(s, "health")) {
        Health health;
        health.command = words(value_of(h, "command"));
        health.path = text(value_of(h, "path"));
        health.port = integer(value_of(h, "port"), svc.port);
        health.interval = duration(value_of(h, "interval"), health.interval);
        health.timeout = duration(value_of(h, "timeout"), health.timeout);
        health.initial_delay = duration(value_of(h, "initial_delay"), health.initial_delay);
        health.failure_threshold = integer(value_of(h, "failure_threshold"), health.failure_threshold);
        svc.health = health;
    } else if (svc.type == ServiceType::Web && svc.port > 0) {
        Health health;  // the default: a TCP check on the port
        health.port = svc.port;
        svc.health = health;
    }

    if (const Node* i = value_of(s, "ingress")) {
        Ingress ing;
        ing.host = text(value_of(i, "host"));
        ing.path = text(value_of(i, "path"), "/");
        ing.tls = boolean(value_of(i, "tls"), false);
        ing.tls_secret = text(value_of(i, "tls_secret"), ing.tls ? name + "-tls" : "");
        const std::string target_class =
            spec.targets.kubernetes ? spec.targets.kubernetes->ingress_class : std::string();
        ing.class_name = text(value_of(i, "class"), target_class);
        ing.annotations = string_map(value_of(i, "annotations"));
        svc.ingress = ing;
    }

    if (const Node* vols = value_of(s, "volumes"); vols && vols->is_sequence()) {
        for (const auto* v : vols->items) {
            Volume vol;
            vol.name = text(value_of(v, "name"));
            vol.path = text(value_of(v, "path"));
            vol.size = text(value_of(v, "size"));
            vol.storage_class = text(value_of(v, "storage_class"));
            vol.read_only = boolean(value_of(v, "read_only"), false);
            svc.volumes.push_back(vol);
        }
    }
    svc.schedule = text(value_of(s, "schedule"));
    svc.depends_on = string_list(value_of(s, "depends_on"));
    svc.run_as_user = integer(value_of(s, "run_as_user"), svc.run_as_user);
    return svc;
}

Targets targets_of(const Node* t, const std::string& app) {
    Targets out;
    if (const Node* k = value_of(t, "kubernetes")) {
        KubernetesTarget kt;
        kt.namespace_name = text(value_of(k, "namespace"), app);
        kt.chart = boolean(value_of(k, "chart"), true);
        kt.context = text(value_of(k, "context"));
        kt.ingress_class = text(value_of(k, "ingress_class"));
        kt.secret_store = text(value_of(k, "secret_store"), kt.secret_store);
        kt.ingress_namespace = text(value_of(k, "ingress_namespace"), kt.ingress_namespace);
        out.kubernetes = kt;
    } else if (t && t->is_mapping() && t->find("kubernetes")) {
        KubernetesTarget kt;  // `kubernetes:` with no settings: every default
        kt.namespace_name = app;
        out.kubernetes = kt;
    }
    if (const Node* e = value_of(t, "ecs")) {
        EcsTarget et;
        et.app = text(value_of(e, "app"), app);
        et.cluster = text(value_of(e, "cluster"));
        et.region = text(value_of(e, "region"));
        et.copilot = boolean(value_of(e, "copilot"), false);
        et.account_id = text(value_of(e, "account_id"));
        et.subnets = string_list(value_of(e, "subnets"));
        et.security_groups = string_list(value_of(e, "security_groups"));
        et.assign_public_ip = boolean(value_of(e, "assign_public_ip"), false);
        et.execution_role = text(value_of(e, "execution_role"), et.execution_role);
        et.task_role = text(value_of(e, "task_role"));
        et.scheduler_role = text(value_of(e, "scheduler_role"), et.scheduler_role);
        et.log_group = text(value_of(e, "log_group"));
        et.ssm_prefix = text(value_of(e, "ssm_prefix"));
        et.target_groups = string_map(value_of(e, "target_groups"));
        et.efs = string_map(value_of(e, "efs"));
        et.platform_version = text(value_of(e, "platform_version"), et.platform_version);
        et.architecture = enum_of(value_of(e, "architecture"), k_architectures, CpuArchitecture::X86_64);
        et.service_connect = boolean(value_of(e, "service_connect"), true);
        out.ecs = et;
    } else if (t && t->is_mapping() && t->find("ecs")) {
        EcsTarget et;  // `ecs:` with no settings: every default
        et.app = app;
        out.ecs = et;
    }
    if (const Node* s = value_of(t, "servers")) {
        ServersTarget st;
        if (const Node* inv = value_of(s, "inventory"); inv && inv->is_mapping())
            for (const auto& p : inv->pairs) {
                if (!p.key->is_scalar()) continue;
                std::vector<ServerHost> hosts;
                if (p.value->is_sequence())
                    for (const auto* h : p.value->items) {
                        ServerHost host;
                        if (h->is_scalar()) {
                            host.name = h->text;
                        } else if (h->is_mapping()) {
                            host.name = text(value_of(h, "name"));
                            host.address = text(value_of(h, "address"));
                            host.port = integer(value_of(h, "port"), 0);
                            host.user = text(value_of(h, "user"));
                            host.env = string_map(value_of(h, "env"));
                            host.vars = string_map(value_of(h, "vars"));
                            host.detailed = true;
                        } else {
                            continue;
                        }
                        hosts.push_back(std::move(host));
                    }
                st.inventory.emplace_back(p.key->text, std::move(hosts));
            }
        st.user = text(value_of(s, "user"), st.user);
        st.service_manager = enum_of(value_of(s, "service_manager"), k_managers, ServiceManager::Systemd);
        st.root = text(value_of(s, "root"), st.root);
        st.lb_port = integer(value_of(s, "lb_port"), st.lb_port);
        st.serial = integer(value_of(s, "serial"), st.serial);
        st.max_fail_percentage = integer(value_of(s, "max_fail_percentage"), st.max_fail_percentage);
        if (const Node* ports = value_of(s, "ports"); ports && ports->is_mapping())
            for (const auto& p : ports->pairs)
                if (p.key->is_scalar()) st.ports.emplace_back(p.key->text, integer(p.value, 0));
        out.servers = st;
    }
    return out;
}

Deploy deploy_of(const Node* d) {
    Deploy out;
    out.strategy = enum_of(value_of(d, "strategy"), k_strategies, Strategy::Rolling);
    out.health_timeout = duration(value_of(d, "health_timeout"), out.health_timeout);
    if (const Node* c = value_of(d, "canary")) {
        if (const Node* steps = value_of(c, "steps"); steps && steps->is_sequence()) {
            out.canary.steps.clear();
            for (const auto* s : steps->items) out.canary.steps.push_back(integer(s, 100));
        }
        out.canary.pause = duration(value_of(c, "pause"), out.canary.pause);
        if (const Node* a = value_of(c, "analysis"); a && a->is_sequence()) {
            for (const auto* m : a->items) {
                AnalysisMetric metric;
                metric.name = text(value_of(m, "name"));
                metric.query = text(value_of(m, "query"));
                metric.max = number(value_of(m, "max"));
                metric.min = number(value_of(m, "min"));
                out.canary.analysis.push_back(metric);
            }
        }
    }
    return out;
}

Policies policies_of(const Node* p) {
    Policies out;
    out.profile = enum_of(value_of(p, "profile"), k_profiles, Profile::Restricted);
    out.custom = string_list(value_of(p, "custom"));
    if (const Node* ex = value_of(p, "exceptions"); ex && ex->is_sequence()) {
        for (const auto* e : ex->items) {
            PolicyException pe;
            pe.rule = text(value_of(e, "rule"));
            pe.service = text(value_of(e, "service"));
            pe.environment = text(value_of(e, "environment"));
            pe.reason = text(value_of(e, "reason"));
            out.exceptions.push_back(pe);
        }
    }
    return out;
}

Monitoring monitoring_of(const Node* m) {
    Monitoring out;
    if (const Node* slo = value_of(m, "slo")) {
        out.slo_availability = number(value_of(slo, "availability"));
        if (const Node* l = value_of(slo, "latency_p99")) out.slo_latency_p99 = duration(l, Duration{});
    }
    out.alert_route = text(value_of(value_of(m, "alerts"), "route"));
    return out;
}

// ---- data view ----

Json string_map_json(const StringMap& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m) j[k] = v;
    return j;
}

Json service_json(const Service& s) {
    Json j = Json::object();
    j["type"] = to_string(s.type);
    if (s.build) {
        Json b = Json::object();
        b["context"] = s.build->context;
        b["runtime"] = to_string(s.build->runtime);
        if (!s.build->version.empty()) b["version"] = s.build->version;
        if (!s.build->dockerfile.empty()) b["dockerfile"] = s.build->dockerfile;
        if (!s.build->binary.empty()) b["binary"] = s.build->binary;
        if (!s.build->args.empty()) b["args"] = string_map_json(s.build->args);
        if (!s.build->base_image.empty()) b["base_image"] = s.build->base_image;
        if (!s.build->builder_image.empty()) b["builder_image"] = s.build->builder_image;
        if (!s.build->healthcheck.empty()) b["healthcheck"] = s.build->healthcheck;
        if (!s.build->packages.empty()) b["packages"] = s.build->packages;
        if (!s.build->build_packages.empty()) b["build_packages"] = s.build->build_packages;
        j["build"] = std::move(b);
    }
    if (!s.image.empty()) j["image"] = s.image;
    if (s.port > 0) j["port"] = s.port;
    if (!s.command.empty()) j["command"] = s.command;
    if (!s.args.empty()) j["args"] = s.args;
    if (!s.env.empty()) j["env"] = string_map_json(s.env);
    if (!s.secrets.empty()) j["secrets"] = string_map_json(s.secrets);
    j["resources"] = Json{{"cpu", s.resources.cpu},
                          {"memory", s.resources.memory},
                          {"cpu_limit", s.resources.cpu_limit},
                          {"memory_limit", s.resources.memory_limit}};
    Json r = Json{{"min", s.replicas.min}, {"max", s.replicas.max}, {"cpu_percent", s.replicas.cpu_percent}};
    if (s.replicas.memory_percent) r["memory_percent"] = *s.replicas.memory_percent;
    j["replicas"] = std::move(r);
    if (s.health) {
        Json h = Json::object();
        if (!s.health->path.empty()) h["path"] = s.health->path;
        if (s.health->port > 0) h["port"] = s.health->port;
        h["interval"] = s.health->interval.text;
        h["timeout"] = s.health->timeout.text;
        h["initial_delay"] = s.health->initial_delay.text;
        h["failure_threshold"] = s.health->failure_threshold;
        j["health"] = std::move(h);
    }
    if (s.ingress) {
        Json i = Json::object();
        if (!s.ingress->host.empty()) i["host"] = s.ingress->host;
        i["path"] = s.ingress->path;
        i["tls"] = s.ingress->tls;
        if (!s.ingress->tls_secret.empty()) i["tls_secret"] = s.ingress->tls_secret;
        if (!s.ingress->class_name.empty()) i["class"] = s.ingress->class_name;
        if (!s.ingress->annotations.empty()) i["annotations"] = string_map_json(s.ingress->annotations);
        j["ingress"] = std::move(i);
    }
    if (!s.volumes.empty()) {
        Json vols = Json::array();
        for (const auto& v : s.volumes) {
            Json vj = Json{{"name", v.name}, {"path", v.path}};
            if (!v.size.empty()) vj["size"] = v.size;
            if (!v.storage_class.empty()) vj["storage_class"] = v.storage_class;
            vj["read_only"] = v.read_only;
            vols.push_back(std::move(vj));
        }
        j["volumes"] = std::move(vols);
    }
    if (!s.schedule.empty()) j["schedule"] = s.schedule;
    if (!s.depends_on.empty()) j["depends_on"] = s.depends_on;
    j["run_as_user"] = s.run_as_user;
    return j;
}

}  // namespace

Spec build_spec(const Node& root, const std::vector<std::string>& environment_names) {
    Spec spec;
    spec.api_version = text(value_of(&root, "apiVersion"), spec.api_version);
    spec.name = text(value_of(&root, "name"));
    spec.version = text(value_of(&root, "version"), spec.version);
    spec.registry = text(value_of(&root, "registry"));
    spec.environments = environment_names;
    spec.targets = targets_of(value_of(&root, "targets"), spec.name);
    spec.deploy = deploy_of(value_of(&root, "deploy"));
    spec.policies = policies_of(value_of(&root, "policies"));
    spec.monitoring = monitoring_of(value_of(&root, "monitoring"));
    spec.cost.pricing = text(value_of(value_of(&root, "cost"), "pricing"), spec.cost.pricing);
    if (const Node* services = value_of(&root, "services"); services && services->is_mapping()) {
        for (const auto& p : services->pairs) {
            if (!p.key->is_scalar()) continue;
            const Node* value = p.value->is_mapping() ? p.value : nullptr;
            spec.services.push_back(service_of(p.key->text, *p.key, value, spec));
        }
    }
    return spec;
}

Json to_data(const Spec& spec) {
    Json j = Json::object();
    j["apiVersion"] = spec.api_version;
    j["name"] = spec.name;
    j["version"] = spec.version;
    if (!spec.registry.empty()) j["registry"] = spec.registry;
    Json services = Json::object();
    for (const auto& s : spec.services) services[s.name] = service_json(s);
    j["services"] = std::move(services);

    Json targets = Json::object();
    if (const auto& k = spec.targets.kubernetes) {
        Json kj = Json::object();
        if (!k->namespace_name.empty()) kj["namespace"] = k->namespace_name;
        kj["chart"] = k->chart;
        if (!k->context.empty()) kj["context"] = k->context;
        if (!k->ingress_class.empty()) kj["ingress_class"] = k->ingress_class;
        kj["secret_store"] = k->secret_store;
        kj["ingress_namespace"] = k->ingress_namespace;
        targets["kubernetes"] = std::move(kj);
    }
    if (const auto& e = spec.targets.ecs) {
        Json ej = Json::object();
        if (!e->app.empty()) ej["app"] = e->app;
        if (!e->cluster.empty()) ej["cluster"] = e->cluster;
        if (!e->region.empty()) ej["region"] = e->region;
        ej["copilot"] = e->copilot;
        if (!e->account_id.empty()) ej["account_id"] = e->account_id;
        if (!e->subnets.empty()) ej["subnets"] = e->subnets;
        if (!e->security_groups.empty()) ej["security_groups"] = e->security_groups;
        ej["assign_public_ip"] = e->assign_public_ip;
        ej["execution_role"] = e->execution_role;
        if (!e->task_role.empty()) ej["task_role"] = e->task_role;
        ej["scheduler_role"] = e->scheduler_role;
        if (!e->log_group.empty()) ej["log_group"] = e->log_group;
        if (!e->ssm_prefix.empty()) ej["ssm_prefix"] = e->ssm_prefix;
        auto map_json = [](const StringMap& m) {
            Json o = Json::object();
            for (const auto& [k, v] : m) o[k] = v;
            return o;
        };
        if (!e->target_groups.empty()) ej["target_groups"] = map_json(e->target_groups);
        if (!e->efs.empty()) ej["efs"] = map_json(e->efs);
        ej["platform_version"] = e->platform_version;
        ej["architecture"] = to_string(e->architecture);
        ej["service_connect"] = e->service_connect;
        targets["ecs"] = std::move(ej);
    }
    if (const auto& s = spec.targets.servers) {
        Json inv = Json::object();
        for (const auto& [group, hosts] : s->inventory) {
            Json list = Json::array();
            for (const auto& h : hosts) {
                if (!h.detailed) {
                    list.push_back(h.name);
                    continue;
                }
                Json hj = Json{{"name", h.name}};
                if (!h.address.empty()) hj["address"] = h.address;
                if (h.port > 0) hj["port"] = h.port;
                if (!h.user.empty()) hj["user"] = h.user;
                if (!h.env.empty()) hj["env"] = string_map_json(h.env);
                if (!h.vars.empty()) hj["vars"] = string_map_json(h.vars);
                list.push_back(std::move(hj));
            }
            inv[group] = std::move(list);
        }
        Json sj = Json{{"inventory", std::move(inv)}, {"user", s->user},
                       {"service_manager", to_string(s->service_manager)}, {"root", s->root},
                       {"lb_port", s->lb_port}, {"serial", s->serial},
                       {"max_fail_percentage", s->max_fail_percentage}};
        if (!s->ports.empty()) {
            Json pj = Json::object();
            for (const auto& [svc, port] : s->ports) pj[svc] = port;
            sj["ports"] = std::move(pj);
        }
        targets["servers"] = std::move(sj);
    }
    if (!targets.empty()) j["targets"] = std::move(targets);

    Json canary = Json{{"steps", spec.deploy.canary.steps}, {"pause", spec.deploy.canary.pause.text}};
    if (!spec.deploy.canary.analysis.empty()) {
        Json analysis = Json::array();
        for (const auto& m : spec.deploy.canary.analysis) {
            Json mj = Json{{"name", m.name}, {"query", m.query}};
            if (m.max) mj["max"] = *m.max;
            if (m.min) mj["min"] = *m.min;
            analysis.push_back(std::move(mj));
        }
        canary["analysis"] = std::move(analysis);
    }
    j["deploy"] = Json{{"strategy", to_string(spec.deploy.strategy)},
                       {"canary", std::move(canary)},
                       {"health_timeout", spec.deploy.health_timeout.text}};

    Json policies = Json{{"profile", to_string(spec.policies.profile)}};
    if (!spec.policies.custom.empty()) policies["custom"] = spec.policies.custom;
    if (!spec.policies.exceptions.empty()) {
        Json ex = Json::array();
        for (const auto& e : spec.policies.exceptions) {
            Json ej = Json{{"rule", e.rule}};
            if (!e.service.empty()) ej["service"] = e.service;
            if (!e.environment.empty()) ej["environment"] = e.environment;
            ej["reason"] = e.reason;
            ex.push_back(std::move(ej));
        }
        policies["exceptions"] = std::move(ex);
    }
    j["policies"] = std::move(policies);

    Json monitoring = Json::object();
    Json slo = Json::object();
    if (spec.monitoring.slo_availability) slo["availability"] = *spec.monitoring.slo_availability;
    if (spec.monitoring.slo_latency_p99) slo["latency_p99"] = spec.monitoring.slo_latency_p99->text;
    if (!slo.empty()) monitoring["slo"] = std::move(slo);
    if (!spec.monitoring.alert_route.empty()) monitoring["alerts"] = Json{{"route", spec.monitoring.alert_route}};
    if (!monitoring.empty()) j["monitoring"] = std::move(monitoring);
    j["cost"] = Json{{"pricing", spec.cost.pricing}};
    return j;
}

}  // namespace coconut::spec::detail
