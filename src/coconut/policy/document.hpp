#pragma once
// Every input of `coconut check` is normalised into Documents with positions (DESIGN §5), so
// one rule interface (rule.hpp) and one custom-policy language (Kyverno, kyverno/) fit all.
// Each input type is one reader unit (policy/inputs/<type>.cpp) that says which files or YAML
// documents are its own and turns them into Documents:
//   - Kubernetes YAML: one Document per object, `root` is the object itself.
//   - Everything else: `apiVersion: coconut.dev/v1`, kind Dockerfile | AnsiblePlay |
//     AnsibleTask | CopilotManifest | GitHubWorkflow; `root` is the input as written (for a
//     Dockerfile: the normalised tree documented in docs/policy-documents.md) and `object` is
//     the synthetic {apiVersion, kind, metadata: {name}, spec: root} that Kyverno patterns see.
#include <compare>
#include <string>
#include <string_view>

#include "coconut/yaml/node.hpp"

namespace coconut::policy {

namespace dockerfile { struct Dockerfile; }
namespace ansible { struct Play; struct Task; struct File; }

// The input type a Document comes from and a rule applies to (RuleInfo::input): the name its
// reader registers under ("kubernetes", "dockerfile", ...). A name, not an enum, so that a new
// input type is one reader unit with no central list to extend; each reader's header
// (policy/inputs/<type>.hpp) declares the constant its rules use. Constant-initialised, so rules
// may read those constants while they register during static initialisation.
class InputType {
public:
    constexpr InputType() = default;   // none: no reader has it, so no rule with it ever runs
    constexpr explicit InputType(const char* name) : m_name(name) {}
    [[nodiscard]] constexpr const char* name() const { return m_name; }
    friend constexpr bool operator==(InputType a, InputType b) {
        return std::string_view(a.m_name) == std::string_view(b.m_name);
    }
    friend constexpr std::strong_ordering operator<=>(InputType a, InputType b) {
        return std::string_view(a.m_name) <=> std::string_view(b.m_name);
    }

private:
    const char* m_name = "";
};
const char* to_string(InputType t);   // its name

struct SourceFile {
    std::string path;   // as shown in reports: relative to the current directory when inside it
    std::string text;   // whole content
};

struct Document {
    const SourceFile* file = nullptr;
    InputType input;
    std::string api_version;
    std::string kind;        // "Deployment", "Dockerfile", "AnsibleTask", ...
    std::string name;        // metadata.name (Kubernetes), play/task name, file name otherwise
    std::string ns;          // metadata.namespace (Kubernetes; empty when not set)
    int index = 0;           // 0-based document number in its file
    const yaml::Node* root = nullptr;     // never null
    const yaml::Node* object = nullptr;   // what custom policies match against; == root for Kubernetes
    // Typed views (set for their input type only).
    const dockerfile::Dockerfile* dockerfile = nullptr;
    const ansible::File* ansible_file = nullptr;
    const ansible::Play* play = nullptr;  // AnsiblePlay, and the enclosing play of an AnsibleTask
    const ansible::Task* task = nullptr;  // AnsibleTask

    // "Kind/namespace/name" for Kubernetes objects (namespace empty when unset:
    // "Deployment//web"); empty for other inputs.
    [[nodiscard]] std::string object_ref() const;
};

}  // namespace coconut::policy
