#pragma once
// AWS Copilot manifests (copilot.cpp): one CopilotManifest Document per manifest.
#include "coconut/policy/document.hpp"

namespace coconut::policy::inputs {

inline constexpr InputType k_copilot{"copilot"};

}  // namespace coconut::policy::inputs
