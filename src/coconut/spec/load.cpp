// Loading coconut.yaml: parse, validate the base, merge and validate every environment, then
// build the typed model. Problems from every stage are collected and reported together.
#include "coconut/spec/load.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_set>

#include "coconut/spec/build.hpp"
#include "coconut/spec/schema.hpp"
#include "coconut/spec/validate.hpp"
#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::spec {

using detail::Issue;
using detail::Path;
using detail::value_of;
using yaml::Node;

std::string Problem::format() const {
    std::string out = file;
    if (mark.line > 0) out += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
    out += ": error: ";
    if (!path.empty()) out += path + ": ";
    out += message;
    return out;
}

namespace {

// Environment overlays merged onto the base tree (DESIGN §2): mappings merge key by key,
// scalars and lists replace, `null` removes. New nodes live in `m_arena` and carry the overlay's
// position, so a problem the merge causes is reported where the overlay is written.
class Merger {
public:
    explicit Merger(std::unordered_set<const Node*>& overlay_nodes) : m_overlay(overlay_nodes) {}

    // The base root (without `environments`) merged with `overlay` (an environment's mapping).
    // Overlay keys that are not overridable and services the base does not define were reported
    // already; they are left out.
    const Node* merge_root(const Node& base, const Node* overlay, const std::vector<std::string>& services) {
        Node* out = make(yaml::Kind::Mapping, overlay ? overlay->start : base.start);
        const schema::Type& root = schema::root();
        const schema::Type& env = schema::environment();
        for (const auto& p : base.pairs) {
            if (p.key->is_scalar() && p.key->text == "environments") continue;
            const Node* over = overlay && p.key->is_scalar() && env.field(p.key->text) ? overlay->find(p.key->text)
                                                                                       : nullptr;
            if (!over) {
                out->pairs.push_back(p);
                continue;
            }
            if (p.key->text == "services") over = known_services(*over, services);
            const schema::Field* f = root.field(p.key->text);
            if (const Node* merged = merge(f ? f->type : nullptr, p.value, over)) out->pairs.push_back({p.key, merged});
        }
        if (overlay && overlay->is_mapping()) {
            for (const auto& p : overlay->pairs) {
                if (!p.key->is_scalar() || !env.field(p.key->text) || base.find(p.key->text) || p.value->is_null())
                    continue;
                const Node* value = p.key->text == "services" ? known_services(*p.value, services) : p.value;
                out->pairs.push_back({p.key, value});
            }
        }
        return out;
    }

private:
    Node* make(yaml::Kind kind, yaml::Mark mark) {
        Node& n = m_arena.emplace_back();
        n.kind = kind;
        n.style = yaml::Style::Block;
        n.start = mark;
        m_overlay.insert(&n);
        return &n;
    }

    const Node* known_services(const Node& over, const std::vector<std::string>& services) {
        if (!over.is_mapping()) return &over;
        Node* out = make(yaml::Kind::Mapping, over.start);
        for (const auto& p : over.pairs)
            if (p.key->is_scalar() && std::find(services.begin(), services.end(), p.key->text) != services.end())
                out->pairs.push_back(p);
        return out;
    }

    // The descriptor of the value under `key` in a value of type `t`, when it is a mapping.
    static const schema::Type* child_type(const schema::Type* t, std::string_view key) {
        if (!t) return nullptr;
        if (t->kind == schema::Kind::OneOf) {
            for (const auto* a : t->alternatives)
                if (a->kind == schema::Kind::Object || a->kind == schema::Kind::Map) return child_type(a, key);
            return nullptr;
        }
        if (t->kind == schema::Kind::Map) return t->item;
        if (t->kind == schema::Kind::Object) {
            const schema::Field* f = t->field(key);
            return f ? f->type : nullptr;
        }
        return nullptr;
    }

    static bool is_mapping_type(const schema::Type* t) {
        if (!t) return false;
        if (t->kind == schema::Kind::Object || t->kind == schema::Kind::Map) return true;
        if (t->kind == schema::Kind::OneOf)
            for (const auto* a : t->alternatives)
                if (a->kind == schema::Kind::Object || a->kind == schema::Kind::Map) return true;
        return false;
    }

    // nullptr: the key is removed.
    const Node* merge(const schema::Type* t, const Node* base, const Node* over) {
        if (over->is_null()) return nullptr;
        if (!base || base->is_null()) return over;
        // Recursion follows the descriptor table, so its depth is bounded whatever the input.
        if (!is_mapping_type(t) || !base->is_mapping() || !over->is_mapping()) return over;
        Node* out = make(yaml::Kind::Mapping, over->start);
        out->style = over->style;
        for (const auto& p : base->pairs) {
            const Node* o = p.key->is_scalar() ? over->find(p.key->text) : nullptr;
            if (!o) {
                out->pairs.push_back(p);
                continue;
            }
            if (const Node* merged = merge(child_type(t, p.key->text), p.value, o)) out->pairs.push_back({p.key, merged});
        }
        for (const auto& p : over->pairs) {
            if (p.key->is_scalar() && base->find(p.key->text)) continue;
            if (p.value->is_null()) continue;
            out->pairs.push_back(p);
        }
        return out;
    }

    std::unordered_set<const Node*>& m_overlay;
    std::deque<Node> m_arena;
};

void collect_nodes(const Node* n, std::unordered_set<const Node*>& out) {
    std::vector<const Node*> stack{n};
    while (!stack.empty()) {
        const Node* x = stack.back();
        stack.pop_back();
        if (!x || !out.insert(x).second) continue;
        for (const auto* c : x->items) stack.push_back(c);
        for (const auto& p : x->pairs) {
            stack.push_back(p.key);
            stack.push_back(p.value);
        }
    }
}

// The position for a problem found in an environment's merged tree: the node itself when the
// overlay wrote it, else the deepest node on its path that the overlay wrote.
yaml::Mark overlay_mark(const Issue& issue, const Node& merged_root, const std::unordered_set<const Node*>& overlay) {
    if (issue.node && overlay.count(issue.node)) return issue.mark;
    yaml::Mark mark = merged_root.start;
    const Node* n = &merged_root;
    for (const auto& part : issue.path.parts()) {
        const Node* next = nullptr;
        if (n->is_sequence() && part.size() > 2 && part.front() == '[') {
            std::size_t i = 0;
            for (std::size_t k = 1; k + 1 < part.size(); ++k) i = i * 10 + static_cast<std::size_t>(part[k] - '0');
            if (i < n->items.size()) next = n->items[i];
        } else if (n->is_mapping()) {
            next = n->find(part);
        }
        if (!next) break;
        n = next;
        if (overlay.count(n)) mark = n->start;
    }
    return mark;
}

struct EnvTree {
    std::string name;
    const Node* overlay = nullptr;
    const Node* merged = nullptr;
};

}  // namespace

LoadResult load(std::string_view text, const std::string& file) {
    LoadResult result;
    const yaml::Stream stream = yaml::parse(text, file);
    std::vector<Problem> problems;
    for (const auto& e : stream.errors) problems.push_back(Problem{file, e.mark, "", e.message});

    const Node* root = nullptr;
    bool first = true;  // a document broken by a syntax error (no root) still is the spec's
    for (std::size_t i = 0; i < stream.documents.size(); ++i) {
        const Node* r = stream.documents[i].root();
        if (!r && stream.errors.empty()) continue;
        if (first) {
            root = r;
            first = false;
        } else if (r && !r->is_null()) {
            problems.push_back(Problem{file, r->start, "",
                                       "expected a single YAML document, found another one (coconut.yaml holds one "
                                       "spec)"});
            break;
        }
    }
    if (!root || root->is_null()) {
        if (stream.errors.empty())
            problems.push_back(Problem{file, yaml::Mark{1, 1}, "",
                                       "the file is empty: expected a mapping with apiVersion, name and services"});
        result.problems = std::move(problems);
        return result;
    }

    std::vector<Issue> issues;
    std::vector<std::string> env_names;
    if (const Node* envs = root->is_mapping() ? value_of(root, "environments") : nullptr; envs && envs->is_mapping())
        for (const auto& p : envs->pairs)
            if (p.key->is_scalar()) env_names.push_back(p.key->text);
    detail::ValidateOptions options{env_names};
    detail::validate_root(*root, options, issues);

    // Environments: each overlay merged onto the base and validated as a whole. A problem the
    // base has already is not repeated; a new one is reported at the overlay.
    std::unordered_set<const Node*> overlay_nodes;
    Merger merger(overlay_nodes);
    std::vector<EnvTree> envs;
    if (const Node* e = root->is_mapping() ? value_of(root, "environments") : nullptr; e && e->is_mapping()) {
        std::vector<std::string> services;
        if (const Node* s = value_of(root, "services"); s && s->is_mapping())
            for (const auto& p : s->pairs)
                if (p.key->is_scalar()) services.push_back(p.key->text);
        std::set<std::pair<std::string, std::string>> base_keys;
        for (const auto& i : issues) base_keys.emplace(i.path.str(), i.message);

        for (const auto& p : e->pairs) {
            if (!p.key->is_scalar()) continue;
            const Node* overlay = p.value;
            if (!overlay->is_mapping() && !overlay->is_null()) continue;  // reported: expected a mapping
            const Path env_path = Path().key("environments").key(p.key->text);
            if (overlay->is_mapping()) collect_nodes(overlay, overlay_nodes);
            if (const Node* os = value_of(overlay, "services"); os && os->is_mapping()) {
                for (const auto& sp : os->pairs) {
                    if (!sp.key->is_scalar()) continue;
                    if (std::find(services.begin(), services.end(), sp.key->text) != services.end()) continue;
                    issues.push_back(Issue{sp.key, sp.key->start, env_path.key("services").key(sp.key->text),
                                           detail::unknown_name_message("service", sp.key->text, services, "services")});
                }
            }
            const Node* merged = merger.merge_root(*root, overlay->is_mapping() ? overlay : nullptr, services);
            std::vector<Issue> env_issues;
            detail::ValidateOptions env_options = options;
            env_options.preferred = &overlay_nodes;
            detail::validate_root(*merged, env_options, env_issues);
            for (auto& i : env_issues) {
                if (base_keys.count({i.path.str(), i.message})) continue;
                i.mark = overlay_mark(i, *merged, overlay_nodes);
                i.path = i.path.prefixed(env_path);
                issues.push_back(std::move(i));
            }
            envs.push_back(EnvTree{p.key->text, overlay, merged});
        }
    }

    for (const auto& i : issues) problems.push_back(Problem{file, i.mark, i.path.str(), i.message});
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
        if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
        return a.mark.column < b.mark.column;
    });
    // The same node reached twice (aliases) would repeat a problem word for word.
    std::vector<Problem> unique;
    std::set<std::string> seen;
    for (auto& p : problems)
        if (seen.insert(p.format()).second) unique.push_back(std::move(p));
    result.problems = std::move(unique);
    if (!result.problems.empty()) return result;

    LoadedSpec& out = result.spec;
    out.m_base = detail::build_spec(*root, env_names);
    out.m_base_data = detail::to_data(out.m_base);
    for (const auto& env : envs) {
        out.m_env_overlays.emplace_back(
            env.name, env.overlay->is_mapping() ? yaml::to_json(*env.overlay, yaml::Dialect::Core12)
                                                : nlohmann::ordered_json::object());
        Spec resolved = detail::build_spec(*env.merged, env_names);
        resolved.environment = env.name;
        out.m_resolved.emplace_back(env.name, std::move(resolved));
    }
    return result;
}

LoadResult load_file(const std::string& path) {
    auto text = util::read_file(path);
    if (!text) {
        LoadResult result;
        result.problems.push_back(Problem{path, {}, "", text.error().message});
        return result;
    }
    return load(*text, path);
}

util::Expected<Spec> LoadedSpec::resolve(std::string_view env) const {
    if (env.empty()) return m_base;
    for (const auto& [name, spec] : m_resolved)
        if (name == env) return spec;
    std::vector<std::string> names;
    for (const auto& [name, spec] : m_resolved) names.push_back(name);
    return util::fail(util::ErrorCode::Usage,
                      detail::unknown_name_message("environment", env, names, "environments"));
}

util::Expected<nlohmann::ordered_json> LoadedSpec::resolved_data(std::string_view env) const {
    TRY(spec, resolve(env));
    return detail::to_data(spec);
}

}  // namespace coconut::spec
