#pragma once
// Internal to the builder adapters: the parts of a build's argv every adapter writes the same way.
#include <string>
#include <vector>

#include "coconut/platform/builders/image_builder.hpp"

namespace coconut::platform::builders::detail {

// --build-arg / --label / -t flags, in request order.
inline void append_build_flags(std::vector<std::string>& argv, const ImageBuildRequest& r) {
    for (const auto& [k, v] : r.build_args) {
        argv.emplace_back("--build-arg");
        argv.push_back(k + "=" + v);
    }
    for (const auto& [k, v] : r.labels) {
        argv.emplace_back("--label");
        argv.push_back(k + "=" + v);
    }
    for (const auto& t : r.tags) {
        argv.emplace_back("-t");
        argv.push_back(t);
    }
}

}  // namespace coconut::platform::builders::detail
