// The Ansible reader (src/coconut/policy/ansible/reader.hpp): detection, plays, task sections,
// blocks flattened with parents, roles, module names and FQCN resolution, free-form arguments.
#include <gtest/gtest.h>

#include <string>

#include "coconut/policy/ansible/reader.hpp"
#include "coconut/yaml/node.hpp"

namespace an = coconut::policy::ansible;
namespace y = coconut::yaml;

namespace {

struct Parsed {
    y::Stream stream;
    std::unique_ptr<an::File> file;
};

Parsed read_text(const std::string& text, const std::string& path = "site.yml") {
    Parsed p;
    p.stream = y::parse(text, path);
    EXPECT_TRUE(p.stream.ok());
    EXPECT_EQ(p.stream.documents.size(), 1u);
    const y::Node* root = p.stream.documents.at(0).root();
    auto kind = an::detect(*root, path);
    EXPECT_TRUE(kind.has_value()) << "not detected as Ansible: " << path;
    if (kind) p.file = an::read(*root, *kind, path);
    return p;
}

std::optional<an::FileKind> detect_text(const std::string& text, const std::string& path) {
    auto s = y::parse(text, path);
    if (!s.ok() || s.documents.empty() || s.documents[0].root() == nullptr) return std::nullopt;
    return an::detect(*s.documents[0].root(), path);
}

const char* k_playbook = R"(---
- name: Web servers
  hosts: web
  become: true
  roles:
    - common
    - role: nginx
      vars: {port: 80}
    - name: certs
  pre_tasks:
    - name: Update cache
      ansible.builtin.apt:
        update_cache: true
  tasks:
    - name: Install nginx
      apt: name=nginx state=present
    - block:
        - name: Inner one
          shell: echo hi | cat
        - name: Inner two
          command: /bin/true
      rescue:
        - debug: msg=failed
      always:
        - name: Always
          ansible.builtin.debug:
            msg: done
    - name: Old style
      action: copy src=a dest=/b mode=0644
    - name: Local
      local_action:
        module: command uptime
        chdir: /tmp
  post_tasks:
    - name: Notify
      ansible.builtin.uri:
        url: https://example.com
  handlers:
    - name: Restart nginx
      ansible.builtin.service:
        name: nginx
        state: restarted
- import_playbook: other.yml
)";

TEST(AnsibleReader, DetectsPlaybooksAndTaskFiles) {
    EXPECT_EQ(detect_text(k_playbook, "site.yml"), an::FileKind::Playbook);
    EXPECT_EQ(detect_text("- import_playbook: a.yml\n- import_playbook: b.yml\n", "all.yml"), an::FileKind::Playbook);
    EXPECT_EQ(detect_text("- name: A\n  ansible.builtin.debug: {msg: hi}\n", "x.yml"), an::FileKind::Tasks);
    EXPECT_EQ(detect_text("- name: A\n  apt: name=x\n- block:\n    - ping:\n", "x.yml"), an::FileKind::Tasks);
    // Unknown module names: a task file only inside tasks/ or handlers/.
    EXPECT_EQ(detect_text("- name: A\n  my_module: {a: 1}\n", "x.yml"), std::nullopt);
    EXPECT_EQ(detect_text("- name: A\n  my_module: {a: 1}\n", "roles/r/tasks/main.yml"), an::FileKind::Tasks);
    EXPECT_EQ(detect_text("- name: A\n  my_module: {a: 1}\n", "roles/r/handlers/main.yaml"), an::FileKind::Tasks);
    // Not Ansible: mappings, lists of scalars, lists of records with several unknown keys.
    EXPECT_EQ(detect_text("apiVersion: v1\nkind: Pod\n", "pod.yaml"), std::nullopt);
    EXPECT_EQ(detect_text("- a\n- b\n", "list.yaml"), std::nullopt);
    EXPECT_EQ(detect_text("- src: https://x/y.git\n  name: y\n  version: 1.0\n", "requirements.yml"), std::nullopt);
    EXPECT_EQ(detect_text("- key: a\n  value: b\n", "x.yaml"), std::nullopt);
    EXPECT_EQ(detect_text("[]\n", "x.yaml"), std::nullopt);
}

TEST(AnsibleReader, PlaysRolesAndImports) {
    auto p = read_text(k_playbook);
    ASSERT_TRUE(p.file);
    const an::File& f = *p.file;
    EXPECT_TRUE(f.errors.empty()) << f.errors.front().message;
    ASSERT_EQ(f.plays.size(), 2u);
    EXPECT_EQ(f.plays[0].name, "Web servers");
    EXPECT_EQ(f.plays[0].node->start.line, 2u);
    ASSERT_EQ(f.plays[0].roles.size(), 3u);
    EXPECT_EQ(f.plays[0].roles[0].name, "common");
    EXPECT_EQ(f.plays[0].roles[1].name, "nginx");
    EXPECT_EQ(f.plays[0].roles[2].name, "certs");
    EXPECT_TRUE(f.plays[1].import_playbook);
    EXPECT_EQ(f.plays[1].import_target, "other.yml");
    EXPECT_TRUE(f.plays[1].name.empty());
}

TEST(AnsibleReader, TasksBlocksAndSectionsInSourceOrder) {
    auto p = read_text(k_playbook);
    ASSERT_TRUE(p.file);
    const auto& t = p.file->tasks;
    ASSERT_EQ(t.size(), 11u);
    EXPECT_EQ(t[0].name, "Update cache");
    EXPECT_EQ(t[0].section, "pre_tasks");
    EXPECT_EQ(t[1].name, "Install nginx");
    EXPECT_EQ(t[1].section, "tasks");
    EXPECT_EQ(t[1].node->start.line, 15u);   // the task's first line, as ansible-lint reports it
    EXPECT_TRUE(t[2].is_block);
    EXPECT_EQ(t[2].parent, -1);
    EXPECT_EQ(t[2].node->start.line, 17u);
    EXPECT_EQ(t[3].name, "Inner one");
    EXPECT_EQ(t[3].parent, 2);
    EXPECT_EQ(t[3].block_section, "block");
    EXPECT_EQ(t[3].action_type(), "meta");
    EXPECT_EQ(t[5].action, "debug");
    EXPECT_EQ(t[5].block_section, "rescue");
    EXPECT_EQ(t[6].block_section, "always");
    EXPECT_EQ(t[7].name, "Old style");
    EXPECT_EQ(t[8].name, "Local");
    EXPECT_EQ(t[9].section, "post_tasks");
    EXPECT_EQ(t[10].section, "handlers");
    EXPECT_EQ(t[10].action_type(), "handler");
    EXPECT_EQ(t[1].action_type(), "task");
    for (const auto& task : t) EXPECT_EQ(task.play, 0);
}

TEST(AnsibleReader, ModulesAndFqcn) {
    auto p = read_text(k_playbook);
    ASSERT_TRUE(p.file);
    const auto& t = p.file->tasks;
    EXPECT_EQ(t[0].action, "ansible.builtin.apt");
    EXPECT_EQ(t[0].module, "apt");
    EXPECT_EQ(t[0].fqcn, "ansible.builtin.apt");
    EXPECT_EQ(t[1].action, "apt");
    EXPECT_EQ(t[1].fqcn, "ansible.builtin.apt");
    ASSERT_NE(t[1].action_key, nullptr);
    EXPECT_EQ(t[1].action_key->start.line, 16u);
    EXPECT_EQ(t[3].fqcn, "ansible.builtin.shell");
    // action: / local_action: forms.
    EXPECT_EQ(t[7].action, "copy");
    EXPECT_TRUE(t[7].old_style);
    EXPECT_FALSE(t[7].local_action);
    EXPECT_EQ(t[8].action, "command");
    EXPECT_TRUE(t[8].local_action);
    EXPECT_EQ(t[8].raw_params, "uptime");
    ASSERT_NE(t[8].param("chdir"), nullptr);
    EXPECT_EQ(t[8].param("chdir")->text, "/tmp");

    EXPECT_EQ(an::resolve_fqcn("include_tasks"), "ansible.builtin.include_tasks");
    EXPECT_EQ(an::resolve_fqcn("ansible.legacy.shell"), "ansible.builtin.shell");
    EXPECT_EQ(an::resolve_fqcn("synchronize"), "ansible.posix.synchronize");
    EXPECT_EQ(an::resolve_fqcn("docker_container"), "community.docker.docker_container");
    EXPECT_EQ(an::resolve_fqcn("community.general.ufw"), "community.general.ufw");
    EXPECT_EQ(an::resolve_fqcn("no_such_module"), "");
    EXPECT_TRUE(an::is_task_keyword("become_user"));
    EXPECT_TRUE(an::is_task_keyword("listen"));
    EXPECT_FALSE(an::is_task_keyword("shell"));
}

TEST(AnsibleReader, ArgumentsFreeFormAndDict) {
    auto p = read_text(k_playbook);
    ASSERT_TRUE(p.file);
    const auto& t = p.file->tasks;
    // apt: name=nginx state=present -> k=v options, no raw text.
    EXPECT_TRUE(t[1].free_form);
    ASSERT_NE(t[1].param("state"), nullptr);
    EXPECT_EQ(t[1].param("state")->text, "present");
    EXPECT_EQ(t[1].param("state")->value, nullptr);
    EXPECT_TRUE(t[1].raw_params.empty());
    // shell: the text is the command.
    EXPECT_EQ(t[3].raw_params, "echo hi | cat");
    EXPECT_TRUE(t[3].params.empty());
    // dict form keeps the nodes.
    ASSERT_NE(t[0].param("update_cache"), nullptr);
    EXPECT_TRUE(t[0].param("update_cache")->boolean());
    EXPECT_EQ(t[0].param("update_cache")->value->start.line, 13u);
    EXPECT_EQ(t[7].param("mode")->text, "0644");

    auto ff = an::parse_free_form("chdir=/srv make -j4 creates=/srv/out target=all", true);
    ASSERT_EQ(ff.options.size(), 2u);
    EXPECT_EQ(ff.options[0].first, "chdir");
    EXPECT_EQ(ff.options[1].first, "creates");
    EXPECT_EQ(ff.raw, "make -j4 target=all");
    auto quoted = an::parse_free_form("name=\"a b\" state=latest", false);
    ASSERT_EQ(quoted.options.size(), 2u);
    EXPECT_EQ(quoted.options[0].second, "a b");
    auto jinja = an::parse_free_form("echo {{ a | default('x y') }} > /tmp/f\nwc -l\n", true);
    EXPECT_TRUE(jinja.options.empty());
    EXPECT_EQ(jinja.raw, "echo {{ a | default('x y') }} > /tmp/f\nwc -l\n");
}

TEST(AnsibleReader, ArgsKeywordMergesAndModuleWins) {
    auto p = read_text(R"(- name: Build
  ansible.builtin.shell: make creates=/x
  args:
    chdir: /srv
    creates: /y
)",
                       "build.yml");
    ASSERT_TRUE(p.file);
    ASSERT_EQ(p.file->tasks.size(), 1u);
    const auto& t = p.file->tasks[0];
    EXPECT_EQ(p.file->kind, an::FileKind::Tasks);
    EXPECT_EQ(t.play, -1);
    EXPECT_EQ(t.param("chdir")->text, "/srv");
    EXPECT_EQ(t.param("creates")->text, "/x");
    EXPECT_EQ(t.raw_params, "make");
}

TEST(AnsibleReader, TaskFilesAndHandlers) {
    auto p = read_text("- name: Restart\n  ansible.builtin.service: {name: x, state: restarted}\n",
                       "roles/web/handlers/main.yml");
    ASSERT_TRUE(p.file);
    EXPECT_EQ(p.file->section, "handlers");
    EXPECT_EQ(p.file->stem, "main");
    EXPECT_EQ(p.file->tasks.at(0).action_type(), "handler");
    auto q = read_text("- name: Install\n  ansible.builtin.package: {name: x}\n", "roles/web/tasks/install.yaml");
    ASSERT_TRUE(q.file);
    EXPECT_EQ(q.file->section, "tasks");
    EXPECT_EQ(q.file->stem, "install");
}

TEST(AnsibleReader, ErrorsArePositioned) {
    auto s = y::parse("- hosts: all\n  tasks:\n    - name: Two modules\n      shell: a\n      command: b\n    - name: None\n      when: x\n", "bad.yml");
    ASSERT_TRUE(s.ok());
    auto kind = an::detect(*s.documents[0].root(), "bad.yml");
    ASSERT_EQ(kind, an::FileKind::Playbook);
    auto f = an::read(*s.documents[0].root(), *kind, "bad.yml");
    ASSERT_EQ(f->errors.size(), 2u);
    EXPECT_EQ(f->errors[0].mark.line, 5u);
    EXPECT_NE(f->errors[0].message.find("conflicting action"), std::string::npos);
    EXPECT_EQ(f->errors[1].mark.line, 6u);
    EXPECT_EQ(f->tasks.at(0).action, "shell");
}

TEST(AnsibleReader, Yaml11Truthiness) {
    auto p = read_text("- name: T\n  ansible.builtin.lineinfile:\n    path: /x\n    create: yes\n    backup: 'no'\n"
                       "    unsafe_writes: off\n  ignore_errors: no\n",
                       "t.yml");
    ASSERT_TRUE(p.file);
    const auto& t = p.file->tasks.at(0);
    EXPECT_TRUE(t.param("create")->truthy());
    EXPECT_TRUE(t.param("backup")->truthy());      // quoted: a non-empty string
    EXPECT_FALSE(t.param("backup")->boolean());
    EXPECT_FALSE(t.param("unsafe_writes")->truthy());
}

}  // namespace
