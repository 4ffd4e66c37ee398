#include "coconut/generate/helm/chart_model.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "coconut/generate/helm/values_tree.hpp"
#include "coconut/generate/kubernetes/objects.hpp"
#include "coconut/generate/kubernetes/overlay.hpp"
#include "coconut/util/strings.hpp"

namespace coconut::generate::helm {

namespace k8s = coconut::generate::kubernetes;

namespace {

using Pointer = Json::json_pointer;

// ---- keys and values ------------------------------------------------------------------------

ValueKey parse_key(std::string_view text, const std::string& service) {
    ValueKey k;
    if (!text.empty() && text.front() == '.') {
        text.remove_prefix(1);
    } else {
        k.service = service;
    }
    if (!text.empty())
        for (auto& part : util::split(text, '.')) k.path.push_back(part);
    return k;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
    return s;
}

Json* values_node(Json& values, const ValueKey& key, bool create) {
    Json* node = &values;
    auto step = [&](const std::string& k) -> bool {
        if (!node->is_object()) {
            if (!create || !node->is_null()) return false;
            *node = Json::object();
        }
        if (!node->contains(k)) {
            if (!create) return false;
            (*node)[k] = nullptr;
        }
        node = &(*node)[k];
        return true;
    };
    if (!key.service.empty() && (!step("services") || !step(key.service))) return nullptr;
    for (const auto& k : key.path)
        if (!step(k)) return nullptr;
    return node;
}

bool is_identifier(std::string_view s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string go_access(std::string base, const std::vector<std::string>& path, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
        if (is_identifier(path[i]))
            base += "." + path[i];
        else
            base = "(index " + base + " \"" + path[i] + "\")";
    }
    return base;
}

std::string go_base(const ValueKey& key) { return key.service.empty() ? "$.Values" : "$svc"; }

// ---- rules ------------------------------------------------------------------------------------

struct Match {
    const ObjectRule* rule = nullptr;
    std::string suffix;
};

std::string expand(std::string text, const std::string& suffix, std::string_view pod) {
    text = replace_all(std::move(text), "{suffix}", suffix);
    return replace_all(std::move(text), "{pod}", pod);
}

Match match_rule(const std::string& kind, const std::string& name, const std::string& service, const std::string& ns) {
    for (const auto& r : object_rules()) {
        if (r.kind != kind) continue;
        if (r.name == "{ns}" ? name == ns : r.name == "{svc}" ? name == service : r.name == name) return {&r, {}};
        if (r.name == "{svc}-{suffix}" && !service.empty() && name.size() > service.size() + 1 &&
            name.compare(0, service.size() + 1, service + "-") == 0)
            return {&r, name.substr(service.size() + 1)};
        const std::string with_svc = replace_all(r.name, "{svc}", service);
        if (!service.empty() && with_svc == name && r.name.find("{suffix}") == std::string::npos) return {&r, {}};
    }
    return {};
}

// ---- one object's template tree ------------------------------------------------------------------

// Copies parts that the first rendering lacks from another rendering into `tree`.
void add_missing(Json& tree, const Json& other, const std::string& pointer) {
    const Pointer p{pointer};
    if (tree.contains(p) || !other.contains(p)) return;
    const Pointer parent = p.parent_pointer();
    if (!tree.contains(parent)) return;
    Json& container = tree.at(parent);
    if (container.is_object()) {
        container[p.back()] = other.at(p);
    } else if (container.is_array() && p.back() == std::to_string(container.size())) {
        container.push_back(other.at(p));
    }
}

// Renames the member at `pointer` to carry a part marker (keeps the member's position), or for
// an array element object inserts the marker as its first key.
bool mark_part(Json& tree, const std::string& pointer, std::size_t guard) {
    const Pointer p{pointer};
    if (!tree.contains(p)) return false;
    const std::string marker = std::string(k_part_marker) + std::to_string(guard) + "__";
    Json& parent = tree.at(p.parent_pointer());
    if (parent.is_object()) {
        Json renamed = Json::object();
        for (auto& [k, v] : parent.items()) renamed[k == p.back() ? marker + k : k] = std::move(v);
        parent = std::move(renamed);
        return true;
    }
    Json& element = tree.at(p);
    if (!element.is_object()) return false;
    Json marked = Json::object();
    marked[marker] = nullptr;
    for (auto& [k, v] : element.items()) marked[k] = std::move(v);
    element = std::move(marked);
    return true;
}

// The pointers of every "labels" map in `node` (metadata.labels, pod template labels, ...).
void find_label_maps(const Json& node, const std::string& at, std::vector<std::string>& out) {
    if (node.is_object()) {
        for (const auto& [k, v] : node.items()) {
            const std::string p = at + "/" + k8s::escape_pointer_token(k);
            if (k == "labels" && v.is_object()) out.push_back(p);
            else find_label_maps(v, p, out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) find_label_maps(node[i], at + "/" + std::to_string(i), out);
    }
}

std::size_t depth(const std::string& pointer) { return static_cast<std::size_t>(std::count(pointer.begin(), pointer.end(), '/')); }

// ---- reading values out of an object ---------------------------------------------------------------

util::Expected<void> put(Json& values, const ValueKey& key, Json value, const std::string& what) {
    Json* node = values_node(values, key, true);
    if (node == nullptr) return util::fail(util::ErrorCode::Failure, "helm: cannot set " + key.dotted() + " (" + what + ")");
    if (!node->is_null() && !json_equal(*node, value))
        return util::fail(util::ErrorCode::Failure, "helm: " + key.dotted() + " would hold both " + node->dump() + " and " +
                                                        value.dump() + " (" + what + "); one value cannot render both");
    *node = std::move(value);
    return {};
}

util::Expected<void> read_slot(const Slot& slot, const ValueKey& key, const Json& body, const std::string& pointer,
                               Json& values, const std::string& what) {
    const Pointer p{pointer};
    if (!body.contains(p)) return {};
    const Json& v = body.at(p);
    switch (slot.form) {
        case Form::Namespace:
        case Form::SecretEnv:   // the names only; the keys come with the ExternalSecret's data
            return {};
        case Form::Image: {
            const ImageParts parts = split_image(v.is_string() ? v.get<std::string>() : std::string());
            for (auto [leaf, text] : {std::pair{"repository", &parts.repository}, std::pair{"tag", &parts.tag},
                                      std::pair{"digest", &parts.digest}}) {
                ValueKey k = key;
                k.path.emplace_back(leaf);
                TRY_VOID(put(values, k, *text, what));
            }
            return {};
        }
        case Form::SecretData: {
            Json list = Json::array();
            for (const auto& d : v) {
                Json name = d.value("secretKey", Json());
                Json ref = d.contains("remoteRef") ? d["remoteRef"].value("key", Json()) : Json();
                list.push_back(Json::object({{"name", name}, {"key", ref}}));
            }
            return put(values, key, std::move(list), what);
        }
        default:
            return put(values, key, v, what);
    }
}

}  // namespace

std::string ValueKey::dotted() const {
    std::string s = service.empty() ? "" : "services." + service + ".";
    return s + util::join(path, ".");
}

const Json* find_value(const Json& values, const ValueKey& key) {
    return values_node(const_cast<Json&>(values), key, false);
}

bool truthy(const Json* v) {
    if (v == nullptr || v->is_null()) return false;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_number()) return v->get<double>() != 0;
    if (v->is_string()) return !v->get_ref<const std::string&>().empty();
    return !v->empty();
}

std::string go_value(const ValueKey& key) { return go_access(go_base(key), key.path, key.path.size()); }

std::string go_condition(const Guard& g) {
    switch (g.op) {
        case Condition::Op::Always: return {};
        case Condition::Op::Truthy: return go_value(g.key);
        case Condition::Op::Has:
            return "hasKey " + go_access(go_base(g.key), g.key.path, g.key.path.size() - 1) + " \"" + g.key.path.back() +
                   "\"";
        case Condition::Op::Equals: return "eq (toString " + go_value(g.key) + ") \"" + g.value + "\"";
    }
    return {};
}

namespace {

bool holds(const Guard& g, const Json& values) {
    const Json* v = find_value(values, g.key);
    switch (g.op) {
        case Condition::Op::Always: return true;
        case Condition::Op::Truthy: return truthy(v);
        case Condition::Op::Has: return v != nullptr && !v->is_null();
        case Condition::Op::Equals: return v != nullptr && v->is_string() && v->get<std::string>() == g.value;
    }
    return false;
}

bool parse_marker(std::string_view text, std::string_view marker, std::size_t& id, std::string_view& rest) {
    if (text.substr(0, marker.size()) != marker) return false;
    text.remove_prefix(marker.size());
    const auto end = text.find("__");
    if (end == std::string_view::npos || end == 0) return false;
    id = std::stoul(std::string(text.substr(0, end)));
    rest = text.substr(end + 2);
    return true;
}

util::Expected<std::optional<Json>> render_hole(const ChartModel& m, const Hole& h, const Json& values, std::string_view ns) {
    if (h.form == Form::Namespace) return Json(std::string(ns));
    const Json* v = find_value(values, h.key);
    if (h.form == Form::Image) {
        auto leaf = [&](const char* name) {
            ValueKey k = h.key;
            k.path.emplace_back(name);
            const Json* x = find_value(values, k);
            return x && x->is_string() ? x->get<std::string>() : std::string();
        };
        std::string ref = leaf("repository");
        if (!leaf("tag").empty()) ref += ":" + leaf("tag");
        if (!leaf("digest").empty()) ref += "@" + leaf("digest");
        return Json(ref);
    }
    if (v == nullptr || v->is_null())
        return util::fail(util::ErrorCode::Failure, "helm: " + m.app + ": value " + h.key.dotted() + " is missing");
    if (h.form == Form::SecretEnv || h.form == Form::SecretData) {
        Json list = Json::array();
        for (const auto& s : *v) {
            const std::string name = s.value("name", "");
            list.push_back(h.form == Form::SecretEnv ? k8s::secret_env_var(h.secret_name, name)
                                                     : k8s::external_secret_data(name, s.value("key", "")));
        }
        return list;
    }
    return *v;
}

util::Expected<std::optional<Json>> render_node(const ChartModel& m, const Json& node, const Json& values, std::string_view ns) {
    std::size_t id = 0;
    std::string_view rest;
    if (node.is_string() && parse_marker(node.get_ref<const std::string&>(), k_hole_marker, id, rest))
        return render_hole(m, m.holes.at(id), values, ns);
    if (node.is_object()) {
        Json out = Json::object();
        for (const auto& [k, v] : node.items()) {
            std::string key = k;
            if (parse_marker(k, k_part_marker, id, rest)) {
                const bool on = holds(m.guards.at(id), values);
                if (rest.empty()) {                      // an element guard: the whole element
                    if (!on) return std::optional<Json>();
                    continue;
                }
                if (!on) continue;                       // a member guard: that member
                key = std::string(rest);
            }
            TRY(child, render_node(m, v, values, ns));
            if (child) out[key] = std::move(*child);
        }
        return out;
    }
    if (node.is_array()) {
        Json out = Json::array();
        for (const auto& v : node) {
            TRY(child, render_node(m, v, values, ns));
            if (child) out.push_back(std::move(*child));
        }
        return out;
    }
    return node;
}

}  // namespace

util::Expected<std::optional<Json>> render_object(const ChartModel& model, const TemplateObject& object, const Json& values,
                                                  std::string_view ns) {
    if (!object.service.empty()) {
        ValueKey enabled{object.service, {"enabled"}};
        if (!truthy(find_value(values, enabled))) return std::optional<Json>();
    }
    if (!holds(model.guards.at(object.guard), values)) return std::optional<Json>();
    // A member guard on an object member drops only that member: render_node's nullopt from a
    // member means "drop"; at the top it cannot happen (the object has no marker itself).
    std::optional<Json> out;
    TRY(body, render_node(model, object.tree, values, ns));
    out = std::move(body);
    return out;
}

namespace {

// The first pointer at which two trees differ (for messages).
std::string first_difference(const Json& a, const Json& b, const std::string& at) {
    if (a.is_object() && b.is_object()) {
        for (const auto& [k, v] : a.items()) {
            const std::string p = at + "/" + k8s::escape_pointer_token(k);
            if (!b.contains(k)) return p + " (the chart renders it, the kubernetes target has none)";
            if (!json_equal(v, b[k])) return first_difference(v, b[k], p);
        }
        for (const auto& [k, v] : b.items())
            if (!a.contains(k)) return at + "/" + k8s::escape_pointer_token(k) + " (the chart does not render it)";
    }
    if (a.is_array() && b.is_array() && a.size() == b.size())
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!json_equal(a[i], b[i])) return first_difference(a[i], b[i], at + "/" + std::to_string(i));
    return (at.empty() ? "/" : at) + " (the chart renders " + a.dump() + ", the kubernetes target has " + b.dump() + ")";
}

struct State {
    Rendering input;
    Json values = Json::object();
};

// Keys in the order values.yaml lists them (docs/generators/helm.md follows it).
constexpr const char* k_key_order[] = {
    "enabled", "kind", "annotations", "image", "command", "args", "port", "replicas", "autoscaling", "resources", "env", "secrets",
    "podAnnotations", "readinessProbe", "livenessProbe", "lifecycle", "securityContext", "podSecurityContext",
    "topologySpreadConstraints", "volumeMounts", "volumes", "persistentVolumeClaims", "volumeClaimTemplates",
    "progressDeadlineSeconds", "schedule", "suspend", "service", "ingress", "podDisruptionBudget", "networkPolicy",
};

Json ordered(const Json& v, bool top) {
    if (!v.is_object()) return v;
    Json out = Json::object();
    if (top)
        for (const char* k : k_key_order)
            if (v.contains(k)) out[k] = v[k];
    for (const auto& [k, x] : v.items())
        if (!out.contains(k)) out[k] = x;
    return out;
}

Json chart_only_values() {
    Json tests = Json::object();
    tests["enabled"] = true;
    tests["image"] = Json::object({{"repository", "busybox"}, {"tag", "1.36.1"}, {"digest", ""}, {"pullPolicy", "IfNotPresent"}});
    tests["timeoutSeconds"] = 5;
    tests["resources"] = Json::object({{"requests", Json::object({{"cpu", "10m"}, {"memory", "16Mi"}})},
                                       {"limits", Json::object({{"cpu", "100m"}, {"memory", "32Mi"}})}});
    return tests;
}

class ModelBuilder {
public:
    ModelBuilder(std::string app, std::vector<Rendering> renderings) {
        for (auto& r : renderings) m_renderings.push_back({std::move(r), Json::object()});
        m_model.app = std::move(app);
    }

    util::Expected<ChartModel> build() {
        TRY_VOID(collect_services());
        TRY_VOID(collect_objects());
        for (auto& t : m_templates) TRY_VOID(make_template(t));
        for (auto& r : m_renderings) TRY_VOID(read_values(r));
        for (auto& r : m_renderings) TRY_VOID(verify(r));
        collect_keys();
        m_model.base_values = finish_values(m_renderings.front().values);
        for (std::size_t i = 1; i < m_renderings.size(); ++i)
            m_model.environment_values.emplace_back(m_renderings[i].input.environment, finish_values(m_renderings[i].values));
        for (auto& t : m_templates) m_model.objects.push_back(std::move(t.object));
        return std::move(m_model);
    }

private:
    struct Pending {
        TemplateObject object;
        Match match;
        std::vector<const k8s::Object*> per_rendering;   // index: rendering; null when absent
        std::vector<std::pair<const Slot*, std::string>> slots;   // with pointers expanded
        std::vector<std::pair<Condition, std::string>> parts;
        std::vector<std::pair<const LabelSlot*, std::string>> labels;   // with pointers
    };

    util::Expected<void> collect_services() {
        m_model.services = m_renderings.front().input.services;
        for (const auto& r : m_renderings)
            if (r.input.services != m_model.services)
                return util::fail(util::ErrorCode::Failure,
                                  "helm: environment '" + r.input.environment +
                                      "' adds or removes services, which the chart cannot express (one chart, the same services)");
        return {};
    }

    util::Expected<void> collect_objects() {
        std::map<std::string, std::size_t> index;   // "service\nkind\nname" -> m_templates
        for (std::size_t ri = 0; ri < m_renderings.size(); ++ri) {
            for (const auto& o : m_renderings[ri].input.objects) {
                const std::string id = o.service + "\n" + o.kind + "\n" + o.name;
                auto it = index.find(id);
                if (it == index.end()) {
                    // The base namespace names the Namespace object in every rendering.
                    Match match = match_rule(o.kind, o.name, o.service, m_renderings[ri].input.namespace_name);
                    if (match.rule == nullptr)
                        return util::fail(util::ErrorCode::Failure,
                                          "helm: no chart rule for " + o.kind + "/" + o.name +
                                              " (add one to src/coconut/generate/helm/slots.cpp)");
                    Pending p;
                    p.object.service = o.service;
                    p.object.kind = o.kind;
                    p.object.name = o.kind == "Namespace" ? std::string("{{namespace}}") : o.name;
                    p.match = match;
                    p.per_rendering.assign(m_renderings.size(), nullptr);
                    it = index.emplace(id, m_templates.size()).first;
                    m_templates.push_back(std::move(p));
                }
                m_templates[it->second].per_rendering[ri] = &o;
            }
        }
        // The Namespace object is named after each rendering's namespace: one template.
        std::vector<Pending> merged;
        for (auto& t : m_templates) {
            if (t.object.kind == "Namespace" && !merged.empty() && merged.front().object.kind == "Namespace") {
                for (std::size_t i = 0; i < t.per_rendering.size(); ++i)
                    if (t.per_rendering[i]) merged.front().per_rendering[i] = t.per_rendering[i];
                continue;
            }
            merged.push_back(std::move(t));
        }
        m_templates = std::move(merged);
        // Namespace-wide objects first, then the services in spec order (stable within each).
        std::stable_sort(m_templates.begin(), m_templates.end(), [&](const Pending& a, const Pending& b) {
            return service_rank(a.object.service) < service_rank(b.object.service);
        });
        return {};
    }

    [[nodiscard]] std::size_t service_rank(const std::string& service) const {
        if (service.empty()) return 0;
        auto it = std::find(m_model.services.begin(), m_model.services.end(), service);
        return 1 + static_cast<std::size_t>(it - m_model.services.begin());
    }

    std::size_t add_guard(const Condition& c, const std::string& service, const std::string& suffix) {
        Guard g{c.op, parse_key(expand(c.key, suffix, ""), service), c.value};
        m_model.guards.push_back(std::move(g));
        return m_model.guards.size() - 1;
    }

    util::Expected<void> make_template(Pending& t) {
        const ObjectRule& rule = *t.match.rule;
        const std::string pod(pod_template_pointer(t.object.kind));
        const std::string& service = t.object.service;
        // The tree: the first rendering's object, with the optional parts other renderings have.
        const k8s::Object* first = nullptr;
        for (const auto* o : t.per_rendering)
            if (o && !first) first = o;
        Json tree = first->body;
        std::vector<std::pair<std::string, Condition>> optional;   // pointer -> condition
        for (const auto& p : rule.parts) optional.emplace_back(expand(p.pointer, t.match.suffix, pod), p.when);
        for (const auto& s : rule.slots)
            if (s.optional) optional.emplace_back(expand(s.pointer, t.match.suffix, pod), Condition::has(s.key));
        std::sort(optional.begin(), optional.end(),
                  [](const auto& a, const auto& b) { return depth(a.first) < depth(b.first); });
        for (const auto* o : t.per_rendering)
            if (o && o != first)
                for (const auto& [pointer, c] : optional) add_missing(tree, o->body, pointer);

        t.object.guard = add_guard(rule.when, service, t.match.suffix);
        // Holes first (they replace values), then part markers deepest first (they rename keys
        // that the shallower pointers do not contain).
        std::vector<std::pair<std::string, std::size_t>> parts;   // pointer -> guard
        for (const auto& s : rule.slots) {
            const std::string pointer = expand(s.pointer, t.match.suffix, pod);
            const Pointer p{pointer};
            if (!tree.contains(p)) continue;
            Hole h{s.form, parse_key(expand(s.key, t.match.suffix, pod), service), {}};
            if (s.form == Form::SecretEnv) {
                const Json& env = tree.at(p);
                if (env.is_array() && !env.empty() && env[0].contains("valueFrom"))
                    h.secret_name = env[0]["valueFrom"]["secretKeyRef"].value("name", "");
            }
            m_model.holes.push_back(std::move(h));
            tree.at(p) = std::string(k_hole_marker) + std::to_string(m_model.holes.size() - 1) + "__";
            t.slots.emplace_back(&s, pointer);
            if (s.optional) {
                // Not when a part around it already asks for the same key.
                bool covered = false;
                for (const auto& part : rule.parts) {
                    const std::string pp = expand(part.pointer, t.match.suffix, pod);
                    covered = covered || (part.when.op == Condition::Op::Has && part.when.key == s.key &&
                                          pointer.compare(0, pp.size() + 1, pp + "/") == 0);
                }
                if (!covered) parts.emplace_back(pointer, add_guard(Condition::has(s.key), service, t.match.suffix));
            }
        }
        // Labels every object carries (the version), in every labels map.
        std::vector<std::string> label_maps;
        find_label_maps(tree, "", label_maps);
        for (const auto& ls : label_slots()) {
            for (const auto& map : label_maps) {
                const std::string pointer = map + "/" + k8s::escape_pointer_token(ls.label);
                if (!tree.contains(Pointer(pointer))) continue;
                m_model.holes.push_back({Form::String, parse_key(ls.key, service), {}});
                tree.at(Pointer(pointer)) = std::string(k_hole_marker) + std::to_string(m_model.holes.size() - 1) + "__";
                t.labels.emplace_back(&ls, pointer);
                // Guarded only when some rendering has no such label (an empty version).
                const bool everywhere = std::all_of(t.per_rendering.begin(), t.per_rendering.end(), [&](const k8s::Object* o) {
                    return o == nullptr || o->body.contains(Pointer(pointer));
                });
                if (!everywhere) parts.emplace_back(pointer, add_guard(Condition::has(ls.key), service, t.match.suffix));
            }
        }
        // Every namespaced object lives in the release's namespace.
        if (t.object.kind != "Namespace" && tree.contains(Pointer("/metadata/namespace"))) {
            m_model.holes.push_back({Form::Namespace, {}, {}});
            tree["metadata"]["namespace"] = std::string(k_hole_marker) + std::to_string(m_model.holes.size() - 1) + "__";
        }
        for (const auto& part : rule.parts) {
            const std::string pointer = expand(part.pointer, t.match.suffix, pod);
            if (tree.contains(Pointer(pointer))) parts.emplace_back(pointer, add_guard(part.when, service, t.match.suffix));
        }
        std::stable_sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return depth(a.first) > depth(b.first); });
        for (const auto& [pointer, guard] : parts)
            if (!mark_part(tree, pointer, guard))
                return util::fail(util::ErrorCode::Failure, "helm: cannot mark " + pointer + " of " + t.object.kind + "/" +
                                                                t.object.name + " as optional");
        t.object.tree = std::move(tree);
        return {};
    }

    util::Expected<void> read_values(State& r) {
        Json& values = r.values;
        values["namespace"] = Json::object({{"create", false}});
        for (const auto& s : r.input.services) TRY_VOID(put(values, ValueKey{s, {"enabled"}}, true, "services"));
        const std::size_t ri = static_cast<std::size_t>(&r - m_renderings.data());
        for (auto& t : m_templates) {
            const ObjectRule& rule = *t.match.rule;
            const k8s::Object* o = t.per_rendering[ri];
            const Guard& when = m_model.guards[t.object.guard];
            const std::string what = t.object.kind + "/" + (o ? o->name : t.object.name);
            if (rule.presence_sets) {
                if (when.op == Condition::Op::Truthy) {
                    Json* v = values_node(values, when.key, true);
                    if (v->is_null() || o) *v = o != nullptr;
                } else if (when.op == Condition::Op::Equals && o) {
                    TRY_VOID(put(values, when.key, when.value, what));
                }
            }
            if (!o) continue;
            for (const auto& [label, pointer] : t.labels)
                if (o->body.contains(Pointer(pointer)))
                    TRY_VOID(put(values, parse_key(label->key, t.object.service), o->body.at(Pointer(pointer)), what));
            for (const auto& [slot, pointer] : t.slots)
                TRY_VOID(read_slot(*slot, parse_key(expand(slot->key, t.match.suffix, ""), t.object.service), o->body,
                                   pointer, values, what));
        }
        values["tests"] = chart_only_values();
        return {};
    }

    util::Expected<void> verify(State& r) {
        const std::size_t ri = static_cast<std::size_t>(&r - m_renderings.data());
        const std::string where =
            r.input.environment.empty() ? std::string("the base spec") : "environment '" + r.input.environment + "'";
        // The Namespace renders only on request: compare it as it renders with namespace.create=true.
        // Only that one object gets a copy of the values (a copy per object made this check
        // quadratic in the number of services: 16 s for 200).
        Json namespace_values;
        for (auto& t : m_templates) {
            const Json* values = &r.values;
            if (t.object.kind == "Namespace") {
                if (namespace_values.is_null()) {
                    namespace_values = r.values;
                    namespace_values["namespace"]["create"] = true;
                }
                values = &namespace_values;
            }
            TRY(rendered, render_object(m_model, t.object, *values, r.input.namespace_name));
            const k8s::Object* o = t.per_rendering[ri];
            const std::string what = t.object.kind + "/" + (o ? o->name : t.object.name);
            if (!rendered && o)
                return util::fail(util::ErrorCode::Failure,
                                  "helm: " + where + ": the chart does not render " + what + " of the kubernetes target");
            if (rendered && !o)
                return util::fail(util::ErrorCode::Failure, "helm: " + where + ": the chart renders " + what +
                                                                ", which the kubernetes target does not have");
            if (rendered && !json_equal(*rendered, o->body))
                return util::fail(util::ErrorCode::Failure,
                                  "helm: " + where + ": the chart renders " + what + " differently from the kubernetes target at " +
                                      first_difference(*rendered, o->body, "") +
                                      "; no chart value covers that field (add a slot to src/coconut/generate/helm/slots.cpp)");
        }
        return {};
    }

    void collect_keys() {
        std::map<std::string, std::pair<ValueKey, bool>> keys;   // dotted -> (key, in every rendering)
        auto note = [&](const ValueKey& k) {
            if (k.path.empty()) return;
            bool everywhere = true;
            for (const auto& r : m_renderings) {
                const Json* v = find_value(r.values, k);
                everywhere = everywhere && v != nullptr && !v->is_null();
            }
            auto [it, inserted] = keys.emplace(k.dotted(), std::make_pair(k, everywhere));
            (void)it;
            (void)inserted;
        };
        for (const auto& h : m_model.holes) {
            if (h.form == Form::Image) {
                for (const char* leaf : {"repository", "tag", "digest"}) {
                    ValueKey k = h.key;
                    k.path.emplace_back(leaf);
                    note(k);
                }
            } else if (h.form != Form::Namespace) {
                note(h.key);
            }
        }
        for (const auto& g : m_model.guards)
            if (g.op != Condition::Op::Always) note(g.key);
        for (const auto& s : m_model.services) note(ValueKey{s, {"enabled"}});
        for (const char* leaf : {"enabled", "timeoutSeconds", "resources"}) note(ValueKey{"", {"tests", leaf}});
        for (const char* leaf : {"repository", "tag", "digest", "pullPolicy"}) note(ValueKey{"", {"tests", "image", leaf}});
        for (auto& [_, v] : keys) m_model.keys.push_back(std::move(v));
    }

    Json finish_values(const Json& values) const {
        Json out = Json::object();
        for (const char* k : {"app", "namespace", "networkPolicy", "externalSecrets"})
            if (values.contains(k)) out[k] = values[k];
        Json services = Json::object();
        for (const auto& s : m_model.services)
            if (values.contains("services") && values["services"].contains(s)) services[s] = ordered(values["services"][s], true);
        out["services"] = std::move(services);
        out["tests"] = values["tests"];
        return out;
    }

    std::vector<State> m_renderings;
    std::vector<Pending> m_templates;
    ChartModel m_model;
};

}  // namespace

util::Expected<ChartModel> build_chart_model(std::string app, std::vector<Rendering> renderings) {
    return ModelBuilder(std::move(app), std::move(renderings)).build();
}

util::Expected<ChartModel> build_chart_model(const spec::Spec& base, const std::vector<spec::Spec>& environments) {
    std::vector<Rendering> renderings;
    auto add = [&](const spec::Spec& s) -> util::Expected<void> {
        Rendering r{s.environment, s.kubernetes_namespace(), {}, {}};
        for (const auto& svc : s.services) r.services.push_back(svc.name);
        TRY(objects, k8s::build_objects(s, r.namespace_name));
        r.objects = std::move(objects);
        renderings.push_back(std::move(r));
        return {};
    };
    TRY_VOID(add(base));
    for (const auto& e : environments) TRY_VOID(add(e));
    return build_chart_model(base.name, std::move(renderings));
}

}  // namespace coconut::generate::helm
