#pragma once
// Kubernetes manifests (kubernetes.cpp): one Document per object; a v1 List gives one per item.
#include "coconut/policy/document.hpp"

namespace coconut::policy::inputs {

inline constexpr InputType k_kubernetes{"kubernetes"};

}  // namespace coconut::policy::inputs
