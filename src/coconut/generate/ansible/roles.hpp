#pragma once
// The roles of the ansible target (roles.cpp): one per service and the nginx `lb` role, as YAML
// trees, plus the variables they read. Variable names are the interface a deploy orchestrator
// drives with `-e` (docs/generators/ansible.md).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "coconut/spec/model.hpp"

namespace coconut::generate::ansible {

using Json = nlohmann::ordered_json;

struct Role {
    std::string name;   // directory under roles/
    Json tasks;
    Json handlers;
    Json defaults;
    Json vars;          // computed variables (vars/main.yml); empty: no file
    Json meta;
    Json argument_specs;
    std::vector<std::pair<std::string, std::string>> templates;   // file -> text
};

// Role (and variable prefix) of a service: `api-gateway` -> `api_gateway`.
std::string role_name(std::string_view service);
// Ansible group of a spec group (Ansible group names take no `-`).
std::string ansible_group(std::string_view group);

// Variables every role reads (coconut_*), with the spec's values.
Json global_vars(const spec::Spec& spec);
// The role variables of one service (`<prefix>_*`), with the spec's values.
Json service_vars(const spec::Spec& spec, const spec::Service& s);
// The lb role's variables derived from the spec (lb_port, lb_upstreams, lb_sites).
Json lb_vars(const spec::Spec& spec);

// Every role of the base spec: the services' (spec order), then `lb`.
std::vector<Role> build_roles(const spec::Spec& spec);

}  // namespace coconut::generate::ansible
