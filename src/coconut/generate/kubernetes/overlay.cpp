#include "coconut/generate/kubernetes/overlay.hpp"

#include <string>
#include <unordered_map>

namespace coconut::generate::kubernetes {

namespace {

Json op(const char* name, const std::string& path) {
    Json o = Json::object();
    o["op"] = name;
    o["path"] = path;
    return o;
}

Json op(const char* name, const std::string& path, const Json& value) {
    Json o = op(name, path);
    o["value"] = value;
    return o;
}

std::string key_of(const Object& o) {
    std::string k;
    k.reserve(o.kind.size() + o.name.size() + 1);
    k += o.kind;
    k += '/';
    k += o.name;
    return k;
}

}  // namespace

std::string escape_pointer_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

void diff_json(const Json& from, const Json& to, std::string& pointer, Json& ops) {
    if (from.is_object() && to.is_object()) {
        const std::size_t len = pointer.size();
        for (const auto& [key, value] : to.items()) {
            pointer += '/';
            pointer += escape_pointer_token(key);
            auto it = from.find(key);
            if (it == from.end())
                ops.push_back(op("add", pointer, value));
            else
                diff_json(*it, value, pointer, ops);
            pointer.resize(len);
        }
        for (const auto& [key, value] : from.items()) {
            (void)value;
            if (to.contains(key)) continue;
            pointer += '/';
            pointer += escape_pointer_token(key);
            ops.push_back(op("remove", pointer));
            pointer.resize(len);
        }
        return;
    }
    if (from.is_array() && to.is_array() && from.size() == to.size()) {
        const std::size_t len = pointer.size();
        for (std::size_t i = 0; i < from.size(); ++i) {
            pointer += '/';
            pointer += std::to_string(i);
            diff_json(from[i], to[i], pointer, ops);
            pointer.resize(len);
        }
        return;
    }
    if (from != to) ops.push_back(op("replace", pointer, to));
}

Json diff_json(const Json& from, const Json& to) {
    Json ops = Json::array();
    std::string pointer;
    diff_json(from, to, pointer, ops);
    return ops;
}

void OverlayDiff::add_group(const std::vector<Object>& base, std::vector<Object>& env) {
    // Groups are small (one service: about ten objects): a linear scan beats hashing there.
    std::unordered_map<std::string, std::size_t> index;
    const bool hashed = env.size() > 16;
    if (hashed) {
        index.reserve(env.size());
        for (std::size_t i = 0; i < env.size(); ++i) index.emplace(key_of(env[i]), i);
    }
    auto find = [&](const Object& b) -> std::size_t {
        if (hashed) {
            auto it = index.find(key_of(b));
            return it == index.end() ? env.size() : it->second;
        }
        for (std::size_t i = 0; i < env.size(); ++i)
            if (env[i].kind == b.kind && env[i].name == b.name) return i;
        return env.size();
    };
    std::vector<bool> matched(env.size(), false);
    for (const auto& b : base) {
        std::size_t i = find(b);
        Change change;
        if (i == env.size()) {
            change.remove = true;
            change.removed_body = b.body;
        } else {
            matched[i] = true;
            if (b.body == env[i].body) continue;
            change.ops = diff_json(b.body, env[i].body);
            if (change.ops.empty()) continue;   // same content, another key order
        }
        change.api_version = b.api_version;
        change.kind = b.kind;
        change.name = b.name;
        if (b.body["metadata"].contains("namespace")) change.namespace_name = b.body["metadata"]["namespace"];
        m_plan.changes.push_back(std::move(change));
    }
    for (std::size_t i = 0; i < env.size(); ++i)
        if (!matched[i]) m_plan.added.push_back(std::move(env[i]));
}

OverlayPlan OverlayDiff::finish() && {
    bool any_removed = false;
    for (const auto& c : m_plan.changes) any_removed = any_removed || c.remove;
    if (!any_removed || m_plan.added.empty()) return std::move(m_plan);
    std::unordered_map<std::string, std::size_t> added;
    added.reserve(m_plan.added.size());
    for (std::size_t i = 0; i < m_plan.added.size(); ++i) added.emplace(key_of(m_plan.added[i]), i);
    std::vector<bool> taken(m_plan.added.size(), false);
    std::vector<Change> changes;
    changes.reserve(m_plan.changes.size());
    for (auto& c : m_plan.changes) {
        if (c.remove) {
            auto it = added.find(c.kind + "/" + c.name);
            if (it != added.end()) {
                taken[it->second] = true;
                c.remove = false;
                c.ops = diff_json(c.removed_body, m_plan.added[it->second].body);
                c.removed_body = Json();
                if (c.ops.empty()) continue;
            }
        }
        changes.push_back(std::move(c));
    }
    std::vector<Object> still_added;
    for (std::size_t i = 0; i < m_plan.added.size(); ++i)
        if (!taken[i]) still_added.push_back(std::move(m_plan.added[i]));
    m_plan.changes = std::move(changes);
    m_plan.added = std::move(still_added);
    return std::move(m_plan);
}

OverlayPlan plan_overlay(const std::vector<Object>& base, std::vector<Object> env) {
    OverlayDiff diff;
    diff.add_group(base, env);
    return std::move(diff).finish();
}

}  // namespace coconut::generate::kubernetes
