#include "coconut/policy/rules/copilot/manifest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "coconut/policy/inputs/copilot.hpp"
#include "coconut/util/strings.hpp"
#include "coconut/yaml/dialect.hpp"

namespace coconut::policy::rules::copilot {

std::string Scope::where() const {
    return env.empty() ? std::string() : " in environment \"" + env + "\"";
}

bool is_production(std::string_view env) {
    // Words of the name: "eu-prod" -> eu, prod; "production_us" -> production, us.
    std::vector<std::string> words;
    std::string cur;
    for (char c : util::to_lower(env)) {
        if (c == '-' || c == '_' || c == '.') {
            if (!cur.empty()) words.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) words.push_back(std::move(cur));
    bool production = false;
    for (const auto& w : words) {
        if (w == "pre" || w == "non" || util::starts_with(w, "preprod") || util::starts_with(w, "nonprod"))
            return false;
        std::string_view base = w;
        while (!base.empty() && std::isdigit(static_cast<unsigned char>(base.back())) != 0) base.remove_suffix(1);
        if (base == "prod" || base == "prd" || base == "production" || base == "live") production = true;
    }
    return production;
}

bool is_set(const yaml::Node* node) {
    if (node == nullptr || node->is_null()) return false;
    if (node->is_sequence()) return !node->items.empty();
    if (node->is_mapping()) return !node->pairs.empty();
    return true;
}

std::optional<bool> as_bool(const yaml::Node* node) {
    if (node == nullptr || !node->is_scalar()) return std::nullopt;
    return yaml::as_bool(*node, yaml::Dialect::Yaml11);
}

std::optional<std::int64_t> as_int(const yaml::Node* node) {
    if (node == nullptr || !node->is_scalar()) return std::nullopt;
    return yaml::as_int(*node, yaml::Dialect::Core12);
}

const yaml::Node* deepest(const yaml::Node* map, std::initializer_list<std::string_view> keys) {
    const yaml::Node* cur = map;
    const yaml::Node* at = map;  // the key of `cur` (the map itself at the top)
    for (std::string_view k : keys) {
        const yaml::Node* next = get(cur, k);
        if (next == nullptr || next->is_null() || !next->is_mapping()) {
            // A key whose value is null or not a mapping: report at that key.
            if (next != nullptr)
                if (const yaml::Node* key = cur->find_key(k)) return key;
            return at;
        }
        if (const yaml::Node* key = cur->find_key(k)) at = key;
        cur = next;
    }
    return at;
}

std::string_view type(const Document& doc) {
    return scalar_text(get(doc.root, "type"));
}

std::string_view name(const Document& doc) {
    return scalar_text(get(doc.root, "name"));
}

std::string subject(const Document& doc) {
    std::string out(type(doc));
    if (out.empty()) out = "manifest";
    out += " \"" + std::string(name(doc)) + "\"";
    return out;
}

std::vector<Scope> scopes(const Document& doc) {
    std::vector<Scope> out;
    if (doc.root == nullptr || !doc.root->is_mapping()) return out;
    out.push_back(Scope{"", doc.root, nullptr, false});
    const yaml::Node* envs = get(doc.root, "environments");
    if (envs == nullptr || !envs->is_mapping()) return out;
    for (const auto& p : envs->pairs) {
        if (p.key == nullptr || !p.key->is_scalar() || p.value == nullptr || !p.value->is_mapping()) continue;
        out.push_back(Scope{p.key->text, p.value, p.key, is_production(p.key->text)});
    }
    return out;
}

std::vector<Missing> missing_setting(const std::vector<Scope>& all, const std::function<bool(const yaml::Node*)>& has,
                                     const yaml::Node* base_at) {
    std::vector<Missing> out;
    if (all.empty()) return out;
    if (has(all.front().node)) return out;
    bool any_env = false;
    for (std::size_t i = 1; i < all.size(); ++i) any_env = any_env || has(all[i].node);
    if (!any_env) {
        out.push_back(Missing{&all.front(), base_at});
        return out;
    }
    for (std::size_t i = 1; i < all.size(); ++i)
        if (all[i].production && !has(all[i].node)) out.push_back(Missing{&all[i], all[i].anchor()});
    return out;
}

std::vector<Scope> scopes_of(const Document& doc, std::initializer_list<std::string_view> types) {
    if (std::find(types.begin(), types.end(), type(doc)) == types.end()) return {};
    return scopes(doc);
}

RuleInfo copilot_rule(std::string id, std::string title, Severity severity) {
    return rule_info(std::move(id), std::move(title), severity, inputs::k_copilot, {"CopilotManifest"});
}

}  // namespace coconut::policy::rules::copilot
