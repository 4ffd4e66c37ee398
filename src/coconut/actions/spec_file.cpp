#include "coconut/actions/spec_file.hpp"

namespace coconut::actions {

Loaded load_spec(const std::string& file) {
    auto r = spec::load_file(file);
    return Loaded{std::move(r.problems), std::move(r.spec)};
}

nlohmann::ordered_json problems_json(const std::vector<spec::Problem>& problems) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& p : problems)
        out.push_back({{"file", p.file}, {"line", p.mark.line}, {"column", p.mark.column}, {"path", p.path},
                       {"message", p.message}});
    return out;
}

}  // namespace coconut::actions
