#include "coconut/actions/config.hpp"

#include "coconut/actions/spec_file.hpp"

namespace coconut::actions {

util::Expected<ConfigResult> ConfigAction::run() const {
    Loaded loaded = load_spec(m_file);
    ConfigResult result;
    if (!loaded.problems.empty()) {
        result.problems = std::move(loaded.problems);
        return result;
    }
    TRY(data, loaded.spec.resolved_data(m_environment));
    result.data = std::move(data);
    return result;
}

nlohmann::ordered_json SchemaAction::run() const { return spec::json_schema(); }

}  // namespace coconut::actions
