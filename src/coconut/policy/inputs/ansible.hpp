#pragma once
// Ansible playbooks and task files (ansible.cpp): one AnsiblePlay Document per play and one
// AnsibleTask Document per task, with the typed views of policy/ansible/reader.hpp.
#include "coconut/policy/document.hpp"

namespace coconut::policy::inputs {

inline constexpr InputType k_ansible{"ansible"};

}  // namespace coconut::policy::inputs
