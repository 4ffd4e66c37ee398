// Unit tests of the `ansible` generator (the golden cases in tests/golden/ansible hold whole
// trees): the Jinja escaping of spec values, enablement, deploy order, the environment diff in
// group_vars, and what the spec check says about targets.servers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/generate/ansible/ansible_generator.hpp"
#include "coconut/generate/ansible/roles.hpp"
#include "coconut/generate/ansible/templates.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/spec/load.hpp"

namespace an = coconut::generate::ansible;
using coconut::generate::ArtifactSet;
using coconut::generate::GenerateInput;

namespace {

constexpr const char* k_spec = R"(apiVersion: coconut.dev/v1
name: demo
services:
  web:
    type: web
    build: {runtime: static}
    port: 8080
    env: {GREETING: "hi {{ name }}"}
    depends_on: [api]
  api:
    type: backend
    image: registry.example.com/demo/api:1.0
    port: 9000
environments:
  staging:
    services:
      web: {env: {GREETING: "staging"}}
  production: {}
targets:
  servers:
    inventory:
      web: [w1]
      app: [a1]
      lb: [l1]
)";

struct Generated {
    ArtifactSet artifacts;
    std::string error;
};

Generated generate(const std::string& text) {
    Generated g;
    auto loaded = coconut::spec::load(text, "coconut.yaml");
    if (!loaded.ok()) {
        for (const auto& p : loaded.problems) g.error += p.format() + "\n";
        return g;
    }
    const auto& base = loaded.spec.base();
    std::vector<coconut::spec::Spec> envs;
    for (const auto& e : base.environments) envs.push_back(*loaded.spec.resolve(e));
    auto r = an::AnsibleGenerator().generate(GenerateInput{base, envs, "coconut.yaml"}, g.artifacts);
    if (!r) g.error = r.error().message;
    return g;
}

std::string file(const Generated& g, const std::string& path) {
    const auto* a = g.artifacts.find(path);
    return a ? a->content : std::string("<missing " + path + ">");
}

}  // namespace

TEST(AnsibleJinja, PlainValuesAreUnchanged) {
    EXPECT_EQ(an::jinja_literal("plain value"), "plain value");
    EXPECT_EQ(an::jinja_literal("{ not jinja }"), "{ not jinja }");
    EXPECT_EQ(an::jinja_literal(""), "");
}

TEST(AnsibleJinja, DelimitersAreWrappedInRawBlocks) {
    EXPECT_EQ(an::jinja_literal("hi {{ name }}"), "{% raw %}hi {{ name }}{% endraw %}");
    EXPECT_EQ(an::jinja_literal("{# c #}"), "{% raw %}{# c #}{% endraw %}");
    // "{%" never appears inside a raw block, so a value cannot end the block early.
    EXPECT_EQ(an::jinja_literal("a {% endraw %} b"), "{% raw %}a {% endraw %}{{ '{%' }}{% raw %} endraw %} b{% endraw %}");
    EXPECT_EQ(an::jinja_literal("{%x"), "{{ '{%' }}{% raw %}x{% endraw %}");
    // No backslashes or quotes are added (Ansible rewrites backslashes inside expressions).
    const std::string out = an::jinja_literal("it's {{ a\\b }}");
    EXPECT_EQ(out.find('\\'), out.find("\\b"));
}

TEST(AnsibleJinja, TemplatesHoldNoSpecValues) {
    for (const std::string& t : {an::env_template(), an::run_script_template(), an::systemd_unit_template(),
                                 an::nginx_template()}) {
        EXPECT_EQ(t.find("demo"), std::string::npos);
        EXPECT_NE(t.find("{{ ansible_managed }}"), std::string::npos);
    }
}

TEST(AnsibleGenerator, EnabledOnlyWithServersTarget) {
    auto with = coconut::spec::load(k_spec, "coconut.yaml");
    ASSERT_TRUE(with.ok());
    EXPECT_TRUE(an::AnsibleGenerator().enabled(with.spec.base()));
    coconut::spec::Spec without = with.spec.base();
    without.targets.servers.reset();
    EXPECT_FALSE(an::AnsibleGenerator().enabled(without));
    EXPECT_NE(an::AnsibleGenerator().enable_hint().find("targets.servers"), std::string_view::npos);
}

TEST(AnsibleGenerator, PlaysInDependencyOrderThenLb) {
    const auto g = generate(k_spec);
    ASSERT_EQ(g.error, "");
    const std::string site = file(g, "ansible/site.yml");
    const auto api = site.find("- name: Deploy api");
    const auto web = site.find("- name: Deploy web");
    const auto lb = site.find("- name: Configure the load balancer");
    ASSERT_NE(api, std::string::npos);
    EXPECT_LT(api, web);   // web depends on api
    EXPECT_LT(web, lb);
    EXPECT_NE(site.find("hosts: app"), std::string::npos);   // api has no group: it runs on `app`
}

TEST(AnsibleGenerator, GroupVarsHoldOnlyWhatTheEnvironmentChanges) {
    const auto g = generate(k_spec);
    ASSERT_EQ(g.error, "");
    const std::string staging = file(g, "ansible/inventories/staging/group_vars/all.yml");
    const std::string production = file(g, "ansible/inventories/production/group_vars/all.yml");
    EXPECT_NE(staging.find("web_env:\n  GREETING: staging"), std::string::npos) << staging;
    EXPECT_EQ(production.find("web_env"), std::string::npos) << production;
    EXPECT_NE(production.find("coconut_environment: production"), std::string::npos);
    // The base value reaches the role defaults escaped.
    EXPECT_NE(file(g, "ansible/roles/web/defaults/main.yml").find("GREETING: \"{% raw %}hi {{ name }}{% endraw %}\""),
              std::string::npos);
    // Static binary vs container.
    EXPECT_NE(file(g, "ansible/roles/web/tasks/main.yml").find("ansible.builtin.copy"), std::string::npos);
    EXPECT_NE(file(g, "ansible/roles/api/tasks/main.yml").find("containers.podman.podman_image"), std::string::npos);
}

TEST(AnsibleGenerator, NoEnvironmentsGiveADefaultInventory) {
    std::string text = k_spec;
    const auto from = text.find("environments:");
    const auto to = text.find("targets:");
    text.erase(from, to - from);
    const auto g = generate(text);
    ASSERT_EQ(g.error, "");
    EXPECT_NE(g.artifacts.find("ansible/inventories/default/hosts.yml"), nullptr);
    EXPECT_NE(file(g, "ansible/inventories/default/hosts.yml").find("    lb:\n      hosts:\n        l1: null"),
              std::string::npos);
}

TEST(AnsibleSpec, ServiceWithoutHostsIsAPositionedError) {
    std::string text = k_spec;
    text.replace(text.find("      app: [a1]\n"), 16, "");
    auto loaded = coconut::spec::load(text, "coconut.yaml");
    ASSERT_FALSE(loaded.ok());
    ASSERT_EQ(loaded.problems.size(), 1u);
    EXPECT_EQ(loaded.problems[0].format(),
              "coconut.yaml:22:7: error: targets.servers.inventory: service 'api' has no hosts: add a group 'api' "
              "(or a group 'app' for every service without its own)");
}
