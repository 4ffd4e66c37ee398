// Ansible playbooks and task files: a YAML document that is a sequence of plays or of tasks
// (ansible::detect; the path helps for tasks/ and handlers/ of a role).
#include "coconut/policy/inputs/ansible.hpp"

#include "coconut/policy/ansible/reader.hpp"
#include "coconut/policy/inputs/reader.hpp"

namespace coconut::policy::inputs {
namespace {

class AnsibleReader final : public YamlReader {
public:
    [[nodiscard]] const ReaderInfo& info() const override { return m_info; }

    [[nodiscard]] bool claims(const yaml::Node& root, std::string_view path) const override {
        return ansible::detect(root, path).has_value();
    }

    void read(const yaml::Node& root, int index, Sink& sink) const override {
        const std::string& path = sink.file().path;
        const ansible::File* file = sink.keep(ansible::read(root, *ansible::detect(root, path), path));
        for (const auto& e : file->errors) sink.parse_error(e.mark, e.message);
        for (const auto& play : file->plays) {
            Document& doc = sink.add_wrapped("AnsiblePlay", play.name, index, play.node);
            doc.ansible_file = file;
            doc.play = &play;
        }
        for (const auto& task : file->tasks) {
            Document& doc = sink.add_wrapped("AnsibleTask", task.name, index, task.node);
            doc.ansible_file = file;
            doc.play = task.play >= 0 ? &file->plays[static_cast<std::size_t>(task.play)] : nullptr;
            doc.task = &task;
        }
    }

private:
    ReaderInfo m_info{.type = k_ansible, .noun = "Ansible playbook or task file", .order = 30,
                      .statement = Statement::IndentedBlock};
};
COCONUT_REGISTER_INPUT(AnsibleReader);

}  // namespace
}  // namespace coconut::policy::inputs
