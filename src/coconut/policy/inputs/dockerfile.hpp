#pragma once
// Dockerfiles and Containerfiles (dockerfile.cpp): one Document per file, kind Dockerfile,
// Document::dockerfile the parsed file (policy/dockerfile/parser.hpp).
#include "coconut/policy/document.hpp"

namespace coconut::policy::inputs {

inline constexpr InputType k_dockerfile{"dockerfile"};

}  // namespace coconut::policy::inputs
