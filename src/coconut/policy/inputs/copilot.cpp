// AWS Copilot manifests: a YAML mapping with a `name` and a `type` that is a Copilot manifest
// type (https://aws.github.io/copilot-cli/docs/manifest/overview/).
#include "coconut/policy/inputs/copilot.hpp"

#include <algorithm>
#include <array>

#include "coconut/policy/inputs/reader.hpp"

namespace coconut::policy::inputs {
namespace {

bool copilot_type(std::string_view type) {
    static constexpr std::array<std::string_view, 8> k_types = {
        "Load Balanced Web Service", "Backend Service", "Worker Service", "Request-Driven Web Service",
        "Scheduled Job", "Static Site", "Environment", "Pipeline"};
    return std::find(k_types.begin(), k_types.end(), type) != k_types.end();
}

class CopilotReader final : public YamlReader {
public:
    [[nodiscard]] const ReaderInfo& info() const override { return m_info; }

    [[nodiscard]] bool claims(const yaml::Node& root, std::string_view) const override {
        return root.is_mapping() && copilot_type(written_text(root.find("type"))) && root.find("name") != nullptr;
    }

    void read(const yaml::Node& root, int index, Sink& sink) const override {
        sink.add_wrapped("CopilotManifest", std::string(written_text(root.find("name"))), index, &root);
    }

private:
    ReaderInfo m_info{.type = k_copilot, .noun = "Copilot manifest", .order = 50,
                      .statement = Statement::IndentedBlock};
};
COCONUT_REGISTER_INPUT(CopilotReader);

}  // namespace
}  // namespace coconut::policy::inputs
