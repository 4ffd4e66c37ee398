#pragma once
// Every input of `coconut check` is normalised into Documents with positions (DESIGN §5), so
// one rule interface (rule.hpp) and one custom-policy language (Kyverno, kyverno/) fit all:
//   - Kubernetes YAML: one Document per object, `root` is the object itself.
//   - Everything else: `apiVersion: coconut.dev/v1`, kind Dockerfile | AnsiblePlay |
//     AnsibleTask | CopilotManifest | GitHubWorkflow; `root` is the input as written (for a
//     Dockerfile: the normalised tree documented in docs/policy-documents.md) and `object` is
//     the synthetic {apiVersion, kind, metadata: {name}, spec: root} that Kyverno patterns see.
#include <cstdint>
#include <string>
#include <string_view>

#include "coconut/yaml/node.hpp"

namespace coconut::policy {

namespace dockerfile { struct Dockerfile; }
namespace ansible { struct Play; struct Task; struct File; }

enum class InputType : std::uint8_t { Kubernetes, Dockerfile, Ansible, Copilot, GitHubWorkflow };
const char* to_string(InputType t);   // "kubernetes", "dockerfile", "ansible", "copilot", "github-workflow"

struct SourceFile {
    std::string path;   // as shown in reports: relative to the current directory when inside it
    std::string text;   // whole content
};

struct Document {
    const SourceFile* file = nullptr;
    InputType input = InputType::Kubernetes;
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
