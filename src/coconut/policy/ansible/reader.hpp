#pragma once
// Reads Ansible playbooks, task files and roles from the YAML layer (YAML 1.1 dialect, as
// PyYAML reads them): plays, tasks (blocks/rescue/always flattened, handlers, pre/post tasks),
// roles; the module of each task with and without its FQCN; free-form vs dict arguments.
//
// Documents (docs/policy-documents.md, "Ansible"): the engine makes one `AnsiblePlay` document
// per File::plays entry (root = Play::node, play = &plays[i]) and one `AnsibleTask` document per
// File::tasks entry, blocks included (root = Task::node, task = &tasks[i], play = the enclosing
// play or null in a task file); every document of the file has ansible_file set.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/yaml/node.hpp"

namespace coconut::policy::ansible {

enum class FileKind : std::uint8_t { Playbook, Tasks };

struct Diagnostic {
    yaml::Mark mark;
    std::string message;
};

struct Role {
    std::string name;                        // `- common`, `- role: common`, `- name: common`
    const yaml::Node* node = nullptr;        // the entry
};

struct Play {
    const yaml::Node* node = nullptr;        // the play mapping
    std::string name;                        // empty when missing
    const yaml::Node* name_node = nullptr;
    bool import_playbook = false;            // `- import_playbook: x.yml` entries
    std::string import_target;               // the imported playbook (import_playbook entries)
    std::vector<Role> roles;                 // `roles:` in order
};

// One effective module argument: the `args:` mapping first, then the module's own mapping or
// its `key=value` free-form pairs (which override `args:`), as Ansible's ModuleArgsParser does.
struct Param {
    std::string key;
    std::string text;                        // scalar text (unquoted for k=v pairs); "" for collections
    const yaml::Node* key_node = nullptr;    // null for k=v pairs inside a free-form string
    const yaml::Node* value = nullptr;       // null for k=v pairs inside a free-form string

    [[nodiscard]] bool is_null() const;      // `key:` / `key: null` (never for k=v pairs)
    // Python truthiness of the value as Ansible sees it (YAML 1.1): false for null, false, 0,
    // "" and empty collections; a k=v string is true when not empty ("create=no" is true!).
    [[nodiscard]] bool truthy() const;
    // Ansible's boolean(): true for yes/on/1/true/y/t (any case) and YAML 1.1 true.
    [[nodiscard]] bool boolean() const;
};

struct Task {
    const yaml::Node* node = nullptr;        // the task mapping
    std::string name;                        // empty when missing
    const yaml::Node* name_node = nullptr;
    std::string action;                      // module key as written: "shell", "ansible.builtin.shell"
    std::string fqcn;                        // resolved FQCN when known ("ansible.builtin.shell"), else action
    const yaml::Node* action_key = nullptr;  // key node of the module (or of action:/local_action:)
    const yaml::Node* args = nullptr;        // the module's value node (free-form scalar or mapping)
    std::string section;                     // "tasks", "pre_tasks", "post_tasks", "handlers"
    bool is_block = false;                   // a block:/rescue:/always: container
    int play = -1;                           // index into File::plays; -1 in a task file
    int parent = -1;                         // index into File::tasks of the enclosing block
    std::string block_section;               // "block", "rescue" or "always" when parent >= 0

    // ansible-lint's normalised module name: `action` without an "ansible.builtin." prefix.
    std::string module;
    bool local_action = false;               // written as `local_action:`
    bool old_style = false;                  // written as `action:` or `local_action:`
    bool free_form = false;                  // the module's value is a string ("shell: echo hi")
    std::string raw_params;                  // free-form text that is not a k=v option
    std::vector<Param> params;               // effective module arguments (see Param)
    std::vector<std::string> argv;           // command's `argv:` list (scalars only)

    // ansible-lint's action type: "task" (tasks/pre_tasks/post_tasks), "handler", "meta"
    // (anything inside a block/rescue/always).
    [[nodiscard]] std::string_view action_type() const;
    [[nodiscard]] const Param* param(std::string_view key) const;   // last wins
    [[nodiscard]] const yaml::Node* keyword(std::string_view key) const;  // task keyword value
};

struct File {
    FileKind kind = FileKind::Playbook;
    std::vector<Play> plays;
    std::vector<Task> tasks;                 // in source order, blocks before their children
    std::vector<Diagnostic> errors;
    const yaml::Node* root = nullptr;        // the file's top-level sequence
    std::string section;                     // task files: "tasks" or "handlers" (from the path)
    std::string stem;                        // file name without directory and extension
};

// Python truthiness of a YAML value read in the YAML 1.1 dialect (null/false/0/""/empty: false).
bool truthy(const yaml::Node* node);

// Content detection: a playbook is a sequence of plays (mappings with hosts/import_playbook/
// roles/tasks); a task file is a sequence of tasks (mappings with a module key or block).
// `path` helps (tasks/, handlers/ directories of a role) but is not required.
std::optional<FileKind> detect(const yaml::Node& root, std::string_view path);

// `path` (optional) tells handlers/ task files from tasks/ ones and gives File::stem.
std::unique_ptr<File> read(const yaml::Node& root, FileKind kind, std::string_view path = {});

// --- module names ---------------------------------------------------------------------------
// Task keywords (Ansible's Task and Handler attributes, local_action, static; with_* too).
bool is_task_keyword(std::string_view key);
// A module of ansible.builtin in ansible-core 2.14 ("shell", "include_tasks", ...).
bool is_builtin_module(std::string_view short_name);
// Short names that ansible-core routes to a collection ("synchronize" -> "ansible.posix.synchronize");
// a table of the commonly used ones. Empty when unknown.
std::string_view collection_redirect(std::string_view short_name);
// Full resolution: "shell" -> "ansible.builtin.shell", "ansible.legacy.shell" ->
// "ansible.builtin.shell", "docker_container" -> "community.docker.docker_container",
// dotted names as written; empty for an unknown short name.
std::string resolve_fqcn(std::string_view action);

// Ansible's parse_kv on a free-form string: k=v options (only chdir/creates/executable/removes/
// stdin/stdin_add_newline/strip_empty_ends/warn for command-like modules when `check_raw`) and
// the rest as raw text (original spacing kept).
struct FreeForm {
    std::vector<std::pair<std::string, std::string>> options;
    std::string raw;
};
FreeForm parse_free_form(std::string_view text, bool check_raw);

// Modules whose free-form text is a command (command, shell, raw, script, win_command, ...).
bool is_freeform_module(std::string_view action);

}  // namespace coconut::policy::ansible
