// GitHub Actions workflows: a YAML mapping with `jobs` and `on` (which YAML 1.1 readers may
// have turned into `true`). Named by its `name`, else by its file name. Asked before the Copilot
// reader: a mapping that looks like both is a workflow.
#include "coconut/policy/inputs/github_workflow.hpp"

#include "coconut/policy/inputs/reader.hpp"

namespace coconut::policy::inputs {
namespace {

class GitHubWorkflowReader final : public YamlReader {
public:
    [[nodiscard]] const ReaderInfo& info() const override { return m_info; }

    [[nodiscard]] bool claims(const yaml::Node& root, std::string_view) const override {
        return root.is_mapping() && root.find("jobs") != nullptr &&
               (root.find("on") != nullptr || root.find("true") != nullptr);
    }

    void read(const yaml::Node& root, int index, Sink& sink) const override {
        std::string name(written_text(root.find("name")));
        if (name.empty()) name = base_name(sink.file().path);
        sink.add_wrapped("GitHubWorkflow", std::move(name), index, &root);
    }

private:
    ReaderInfo m_info{.type = k_github_workflow, .noun = "GitHub workflow", .order = 40,
                      .statement = Statement::IndentedBlock};
};
COCONUT_REGISTER_INPUT(GitHubWorkflowReader);

}  // namespace
}  // namespace coconut::policy::inputs
