// Spec rules of the `servers` target (Ansible; src/coconut/generate/ansible/): inventory groups
// name services, hosts are listed once, services sharing a host do not share slot ports, and
// what cannot run on servers is said at its position. Runs on the base tree and on each
// environment's merged tree (validate.hpp); reports only when `targets.servers` is present.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coconut/spec/validate.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::spec::detail {

namespace {

using yaml::Node;

struct ServiceInfo {
    std::string name;
    const Node* key = nullptr;
    const Node* body = nullptr;   // may be null
    int port = 0;
};

int int_of(const Node* n, int def) {
    if (!n || !n->is_scalar()) return def;
    auto v = yaml::as_int(*n, yaml::Dialect::Core12);
    return v ? static_cast<int>(*v) : def;
}

std::string text_of(const Node* n) { return n && n->is_scalar() ? n->text : std::string(); }

// Characters nginx reads literally in a `location` prefix (no spaces, quotes, `;`, braces or `#`).
bool nginx_safe_path(std::string_view p) {
    return std::all_of(p.begin(), p.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("/-._~%!$&()*+,=:@").find(c) != std::string_view::npos;
    });
}

void check_servers(const Node& root, std::vector<Issue>& out) {
    const Node* targets = value_of(&root, "targets");
    const Node* servers = value_of(targets, "servers");
    if (!servers || !servers->is_mapping()) return;
    const Path sp = Path().key("targets").key("servers");
    auto error = [&](const Node& n, const Path& p, std::string msg) {
        out.push_back(Issue{&n, n.start, p, std::move(msg)});
    };

    // ---- services ----
    std::vector<ServiceInfo> services;
    if (const Node* s = value_of(&root, "services"); s && s->is_mapping()) {
        for (const auto& p : s->pairs) {
            if (!p.key->is_scalar()) continue;
            ServiceInfo info{p.key->text, p.key, p.value->is_mapping() ? p.value : nullptr, 0};
            const bool web = text_of(value_of(info.body, "type")) == "web";
            info.port = int_of(value_of(info.body, "port"), web ? 8080 : 0);
            services.push_back(info);
        }
    }
    std::vector<std::string> service_names;
    for (const auto& s : services) service_names.push_back(s.name);
    auto find_service = [&](std::string_view n) -> const ServiceInfo* {
        for (const auto& s : services)
            if (s.name == n) return &s;
        return nullptr;
    };

    for (const auto& s : services) {
        const Path p = Path().key("services").key(s.name);
        if (s.name == "app" || s.name == "lb")
            error(*s.key, p,
                  "the name " + quote(s.name) + " is reserved on servers (inventory group `" + s.name +
                      "`); rename the service");
        else if (!s.name.empty() && !(s.name[0] >= 'a' && s.name[0] <= 'z'))
            error(*s.key, p, "on servers a service name must start with a letter (it names an Ansible role)");
        const Node* build = value_of(s.body, "build");
        const std::string runtime = build ? text_of(value_of(build, "runtime")) : std::string();
        const bool binary = build && (runtime.empty() || runtime == "static");
        if (const Node* vols = value_of(s.body, "volumes"); binary && vols && vols->is_sequence() && !vols->items.empty())
            error(*vols, p.key("volumes"),
                  "cannot run on servers: a static binary has no container to mount volumes into; give the "
                  "service an `image` (run with podman) or drop its volumes");
        if (const Node* ing = value_of(s.body, "ingress")) {
            const Node* path = value_of(ing, "path");
            if (path && path->is_scalar() && !nginx_safe_path(path->text))
                error(*path, p.key("ingress").key("path"),
                      "on servers the path becomes an nginx location: use URL characters only (no spaces, quotes, "
                      "';', '{', '}' or '#'), got " + quote(path->text));
        }
    }

    // Services that nginx routes to: by ingress, or web services with a port; one per host + path.
    std::map<std::pair<std::string, std::string>, std::string> routes;
    for (const auto& s : services) {
        const Node* ing = value_of(s.body, "ingress");
        const bool web = text_of(value_of(s.body, "type")) == "web";
        if (!ing && !(web && s.port > 0)) continue;
        std::string host = text_of(value_of(ing, "host"));
        std::string path = text_of(value_of(ing, "path"));
        if (path.empty()) path = "/";
        auto [it, inserted] = routes.emplace(std::make_pair(host, path), s.name);
        if (!inserted)
            error(ing ? *ing : *s.key, ing ? Path().key("services").key(s.name).key("ingress") : Path().key("services").key(s.name),
                  "on servers nginx routes " + (host.empty() ? std::string("every host") : quote(host)) + " path " +
                      quote(path) + " to service " + quote(it->second) + " already; give this service an `ingress` " +
                      "with another host or path");
    }

    // ---- inventory ----
    const Node* inventory = value_of(servers, "inventory");
    std::map<std::string, const Node*> groups;   // group -> hosts node
    std::map<std::string, std::vector<std::string>> hosts_of;   // group -> host names
    if (inventory && inventory->is_mapping()) {
        std::vector<std::string> known = service_names;
        known.emplace_back("app");
        known.emplace_back("lb");
        std::map<std::string, std::string> detailed_in;   // host -> group where its settings are
        std::set<std::string> group_names;                 // as Ansible spells them
        for (const auto& p : inventory->pairs)
            if (p.key->is_scalar()) {
                std::string g = p.key->text;
                std::replace(g.begin(), g.end(), '-', '_');
                group_names.insert(g);
            }
        for (const auto& p : inventory->pairs) {
            if (!p.key->is_scalar()) continue;
            const std::string group = p.key->text;
            const Path gp = sp.key("inventory").key(group);
            groups[group] = p.value;
            if (group != "app" && group != "lb" && !find_service(group))
                error(*p.key, gp,
                      unknown_name_message("group", group, known, "groups") +
                          " (a group is a service, `app` for services without a group, or `lb`)");
            if (!p.value->is_sequence()) continue;
            std::set<std::string> seen;
            for (std::size_t i = 0; i < p.value->items.size(); ++i) {
                const Node& h = *p.value->items[i];
                std::string name = h.is_scalar() ? h.text : text_of(value_of(&h, "name"));
                if (name.empty()) continue;
                const Node& at = h.is_mapping() && value_of(&h, "name") ? *value_of(&h, "name") : h;
                if (!seen.insert(name).second) {
                    error(at, gp.index(i), "host " + quote(name) + " is listed twice in group " + quote(group));
                    continue;
                }
                hosts_of[group].push_back(name);
                if (group_names.count(name))
                    error(at, gp.index(i),
                          "host " + quote(name) + " has the name of an inventory group: Ansible cannot tell them "
                          "apart in host patterns; rename the host (e.g. " + quote(name + "-1") + ")");
                if (h.is_mapping()) {
                    auto [it, inserted] = detailed_in.emplace(name, group);
                    if (!inserted)
                        error(at, gp.index(i),
                              "host " + quote(name) + " has its settings in group " + quote(it->second) +
                                  " already; list it here by name only");
                }
            }
        }
    }
    if (!inventory) return;

    // ---- services need hosts; slot ports must not collide on a host ----
    const Node* ports = value_of(servers, "ports");
    if (ports && ports->is_mapping())
        for (const auto& p : ports->pairs) {
            if (!p.key->is_scalar()) continue;
            const ServiceInfo* s = find_service(p.key->text);
            if (!s)
                error(*p.key, sp.key("ports").key(p.key->text),
                      unknown_name_message("service", p.key->text, service_names, "services"));
            else if (s->port == 0)
                error(*p.key, sp.key("ports").key(p.key->text),
                      "service " + quote(s->name) + " has no port: it has no slot ports on servers");
        }
    std::map<std::string, std::map<int, std::string>> used;   // host -> port -> service
    for (const auto& s : services) {
        std::string group = groups.count(s.name) ? s.name : (groups.count("app") ? "app" : "");
        if (group.empty())
            error(*inventory, sp.key("inventory"),
                  "service " + quote(s.name) + " has no hosts: add a group " + quote(s.name) +
                      " (or a group 'app' for every service without its own)");
        if (s.port == 0 || text_of(value_of(s.body, "type")) == "job") continue;
        const Node* override_node = ports && ports->is_mapping() ? value_of(ports, s.name) : nullptr;
        const int blue = int_of(override_node, s.port);
        const Node& at = override_node ? *override_node
                                       : (value_of(s.body, "port") ? *value_of(s.body, "port") : *s.key);
        const Path ap = override_node ? sp.key("ports").key(s.name) : Path().key("services").key(s.name).key("port");
        if (blue >= 65535) {
            error(at, ap, "the green slot listens on port + 1, so the port must be at most 65534 on servers (set "
                          "targets.servers.ports." + s.name + ")");
            continue;
        }
        if (group.empty()) continue;
        for (const auto& host : hosts_of[group]) {
            bool reported = false;
            for (int port : {blue, blue + 1}) {
                auto [it, inserted] = used[host].emplace(port, s.name);
                if (!inserted && !reported) {
                    reported = true;
                    error(at, ap,
                          "slot port " + std::to_string(port) + " of service " + quote(s.name) + " on host " +
                              quote(host) + " is taken by service " + quote(it->second) +
                              " (each service uses port and port + 1): set targets.servers.ports." + s.name);
                }
            }
            if (reported) break;
        }
    }
}

}  // namespace

COCONUT_REGISTER_TARGET_CHECK(servers, check_servers);

}  // namespace coconut::spec::detail
