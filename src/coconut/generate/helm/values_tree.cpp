#include "coconut/generate/helm/values_tree.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace coconut::generate::helm {

bool json_equal(const Json& a, const Json& b) {
    if (a.is_object() && b.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [k, v] : a.items()) {
            auto it = b.find(k);
            if (it == b.end() || !json_equal(v, *it)) return false;
        }
        return true;
    }
    if (a.is_array() && b.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!json_equal(a[i], b[i])) return false;
        return true;
    }
    return a == b;
}

ImageParts split_image(std::string_view ref) {
    ImageParts p;
    std::string_view rest = ref;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        p.digest = std::string(rest.substr(at + 1));
        rest = rest.substr(0, at);
    }
    auto slash = rest.rfind('/');
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash) && colon + 1 < rest.size()) {
        p.tag = std::string(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
    }
    p.repository = std::string(rest);
    return p;
}

Json values_diff(const Json& base, const Json& target) {
    if (!base.is_object() || !target.is_object()) return target;
    // Keys in a merged order (target's, with removed keys where base had them), so that an
    // environment file reads in the same order as values.yaml.
    std::vector<std::string> order;
    auto t = target.begin();
    for (auto b = base.begin(); b != base.end(); ++b) {
        if (!target.contains(b.key())) {
            order.push_back(b.key());
            continue;
        }
        while (t != target.end()) {
            std::string k = t.key();
            ++t;
            order.push_back(k);
            if (k == b.key()) break;
        }
    }
    for (; t != target.end(); ++t) order.push_back(t.key());

    Json out = Json::object();
    for (const auto& k : order) {
        if (out.contains(k)) continue;
        auto it = base.find(k);
        auto jt = target.find(k);
        if (jt == target.end()) {
            out[k] = nullptr;
        } else if (it == base.end()) {
            out[k] = *jt;
        } else if (it->is_object() && jt->is_object()) {
            Json d = values_diff(*it, *jt);
            if (!d.empty()) out[k] = std::move(d);
        } else if (!json_equal(*it, *jt)) {
            out[k] = *jt;
        }
    }
    return out;
}

Json apply_values(const Json& base, const Json& overlay) {
    if (!base.is_object() || !overlay.is_object()) return overlay;
    Json out = base;
    for (const auto& [k, v] : overlay.items()) {
        if (v.is_null()) {
            out.erase(k);
        } else if (out.contains(k) && out[k].is_object() && v.is_object()) {
            out[k] = apply_values(out[k], v);
        } else {
            // A null inside a new subtree means nothing: drop it as Helm does.
            out[k] = v.is_object() ? apply_values(Json::object(), v) : v;
        }
    }
    return out;
}

}  // namespace coconut::generate::helm
