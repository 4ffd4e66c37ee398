#include "coconut/actions/validate.hpp"

#include "coconut/actions/spec_file.hpp"

namespace coconut::actions {

ValidateResult ValidateAction::run() const {
    Loaded loaded = load_spec(m_file);
    ValidateResult result{m_file, std::move(loaded.problems), 0, 0};
    if (result.valid()) {
        result.services = loaded.spec.base().services.size();
        result.environments = loaded.spec.base().environments.size();
    }
    return result;
}

nlohmann::ordered_json to_json(const ValidateResult& result) {
    return {{"file", result.file}, {"valid", result.valid()}, {"problems", problems_json(result.problems)}};
}

}  // namespace coconut::actions
