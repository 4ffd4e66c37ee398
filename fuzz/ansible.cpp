// libFuzzer harness: the Ansible reader (policy/ansible/reader.hpp). Every document of the input,
// parsed in the YAML 1.1 sense Ansible has, is detected and read both as a playbook and as a task
// file (under a path that makes it a handlers file, to take that branch too); the task views
// the rules use are queried.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coconut/policy/ansible/reader.hpp"
#include "coconut/yaml/node.hpp"

namespace an = coconut::policy::ansible;
namespace y = coconut::yaml;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const y::Stream stream = y::parse(text, "site.yml");
    for (const auto& doc : stream.documents) {
        if (doc.root() == nullptr) continue;
        (void)an::detect(*doc.root(), "site.yml");
        (void)an::detect(*doc.root(), "roles/web/handlers/main.yml");
        for (const auto kind : {an::FileKind::Playbook, an::FileKind::Tasks}) {
            const auto file = an::read(*doc.root(), kind, "roles/web/handlers/main.yml");
            for (const auto& task : file->tasks) {
                (void)task.action_type();
                (void)task.param("chdir");
                (void)task.keyword("when");
                (void)an::resolve_fqcn(task.action);
                for (const auto& param : task.params) {
                    (void)param.is_null();
                    (void)param.truthy();
                    (void)param.boolean();
                }
                if (task.args != nullptr && task.args->is_scalar()) (void)an::parse_free_form(task.args->text, true);
            }
        }
    }
    return 0;
}
