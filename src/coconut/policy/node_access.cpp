#include "coconut/policy/node_access.hpp"

namespace coconut::policy {

const yaml::Node* get(const yaml::Node* map, std::string_view key) {
    if (map == nullptr || !map->is_mapping()) return nullptr;
    return map->find(key);
}

const yaml::Node* get_path(const yaml::Node* map, std::initializer_list<std::string_view> keys) {
    const yaml::Node* cur = map;
    for (std::string_view k : keys) {
        cur = get(cur, k);
        if (cur == nullptr) return nullptr;
    }
    return cur;
}

std::string_view scalar_text(const yaml::Node* node) {
    if (node == nullptr || !node->is_scalar() || node->is_null()) return {};
    return node->text;
}

const std::vector<const yaml::Node*>& items(const yaml::Node* map, std::string_view key) {
    static const std::vector<const yaml::Node*> k_none;
    const yaml::Node* list = get(map, key);
    return list != nullptr && list->is_sequence() ? list->items : k_none;
}

}  // namespace coconut::policy
