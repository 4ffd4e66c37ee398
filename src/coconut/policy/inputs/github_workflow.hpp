#pragma once
// GitHub Actions workflows (github_workflow.cpp): one GitHubWorkflow Document per workflow.
#include "coconut/policy/document.hpp"

namespace coconut::policy::inputs {

inline constexpr InputType k_github_workflow{"github-workflow"};

}  // namespace coconut::policy::inputs
