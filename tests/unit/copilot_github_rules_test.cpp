// Helpers behind the COP-… (AWS Copilot) and GHA-… (GitHub workflow) rules: environment
// naming, per-environment scopes, `${{ }}` expressions, untrusted contexts, and positions inside
// block scalars. The rules themselves are tested by their fixtures (tests/policy/<RULE-ID>/).
#include <gtest/gtest.h>

#include "coconut/policy/inputs/copilot.hpp"
#include "coconut/policy/inputs/github_workflow.hpp"
#include "coconut/policy/rules/copilot/manifest.hpp"
#include "coconut/policy/rules/github/workflow.hpp"
#include "coconut/yaml/node.hpp"

using namespace coconut;
namespace cop = coconut::policy::rules::copilot;
namespace gha = coconut::policy::rules::github;

namespace {

struct Loaded {
    policy::SourceFile file;
    yaml::Stream stream;
    policy::Document doc;
};

std::unique_ptr<Loaded> load(std::string text, policy::InputType input) {
    auto l = std::make_unique<Loaded>();
    l->file = policy::SourceFile{"test.yaml", std::move(text)};
    l->stream = yaml::parse(l->file.text, l->file.path);
    EXPECT_TRUE(l->stream.ok());
    l->doc.file = &l->file;
    l->doc.input = input;
    l->doc.root = l->stream.documents.at(0).root();
    l->doc.object = l->doc.root;
    return l;
}

}  // namespace

TEST(CopilotRules, ProductionEnvironmentNames) {
    for (const char* e : {"prod", "production", "PROD", "prod-eu", "production-us", "eu-prod", "us_prd", "live"})
        EXPECT_TRUE(cop::is_production(e)) << e;
    for (const char* e : {"test", "staging", "dev", "preprod", "pre-prod", "nonprod", "non-prod", "product-demo-x", ""})
        EXPECT_FALSE(cop::is_production(e)) << e;
}

TEST(CopilotRules, ScopesAndMissingSettings) {
    auto l = load(
        "name: api\n"
        "type: Backend Service\n"
        "image:\n"
        "  build: ./Dockerfile\n"
        "environments:\n"
        "  staging:\n"
        "    image:\n"
        "      healthcheck:\n"
        "        command: [CMD, true]\n"
        "  production:\n"
        "    count: 2\n"
        "  broken: 3\n",
        policy::inputs::k_copilot);
    const auto scopes = cop::scopes(l->doc);
    ASSERT_EQ(scopes.size(), 3u);  // base, staging, production; `broken` is not a mapping
    EXPECT_TRUE(scopes[0].base());
    EXPECT_EQ(scopes[1].env, "staging");
    EXPECT_TRUE(scopes[2].production);
    EXPECT_EQ(scopes[2].where(), " in environment \"production\"");
    const auto has = [](const yaml::Node* s) { return cop::is_set(coconut::policy::get_path(s, {"image", "healthcheck"})); };
    const auto missing = cop::missing_setting(scopes, has, cop::deepest(l->doc.root, {"image", "healthcheck"}));
    ASSERT_EQ(missing.size(), 1u);  // only production: staging has one, the base has none
    EXPECT_EQ(missing[0].scope->env, "production");
    EXPECT_EQ(missing[0].at->start, (yaml::Mark{10, 3}));
    // Where a missing field is reported: the key of the deepest existing mapping.
    EXPECT_EQ(cop::deepest(l->doc.root, {"image", "healthcheck"})->start, (yaml::Mark{3, 1}));
    EXPECT_EQ(cop::deepest(l->doc.root, {"storage", "readonly_fs"}), l->doc.root);
}

TEST(GithubRules, Expressions) {
    const auto e = gha::expressions("echo ${{ github.event.issue.title }} and ${{ format('}}{0}', x) }} ${{ open");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].offset, 5u);
    EXPECT_EQ(e[0].body, "github.event.issue.title");
    EXPECT_EQ(e[1].body, "format('}}{0}', x)");
}

TEST(GithubRules, ContextPaths) {
    EXPECT_EQ(gha::context_paths("github.event.commits[0].message"),
              std::vector<std::string>{"github.event.commits.*.message"});
    EXPECT_EQ(gha::context_paths("toJSON(github.event['pull_request'])"),
              std::vector<std::string>{"github.event.pull_request"});
    EXPECT_EQ(gha::context_paths("contains(github.event.issue.title, 'github.head_ref') || env.X"),
              (std::vector<std::string>{"github.event.issue.title", "env.x"}));
}

TEST(GithubRules, ValueContextPathsLeaveOutBooleanUses) {
    // Compared, negated or read by a boolean function: only true/false reaches the result.
    EXPECT_EQ(gha::value_context_paths("github.event.review != null && github.event.review.state || ''"),
              std::vector<std::string>{"github.event.review.state"});
    EXPECT_EQ(gha::value_context_paths("'x' == github.head_ref || !github.event.issue.body"),
              std::vector<std::string>{});
    EXPECT_EQ(gha::value_context_paths("startsWith(format('{0}', github.event.comment.body), '/') && (env.A)"),
              std::vector<std::string>{"env.a"});
    // Functions that pass text through keep it; a comparison elsewhere changes nothing.
    EXPECT_EQ(gha::value_context_paths("format('{0}', github.event.issue.title) || github.event.x >= 2"),
              std::vector<std::string>{"github.event.issue.title"});
    EXPECT_EQ(gha::value_context_paths("github.event.review != null && github.event.review.body"),
              std::vector<std::string>{"github.event.review.body"});
    // context_paths still lists everything read.
    EXPECT_EQ(gha::context_paths("github.event.review != null && github.event.review.state"),
              (std::vector<std::string>{"github.event.review", "github.event.review.state"}));
}

TEST(GithubRules, UntrustedContexts) {
    for (const char* p :
         {"github.event.issue.title", "github.event.pull_request.body", "github.head_ref",
          "github.event.commits.*.author.email", "github.event.pages.*.page_name", "github.event.pull_request",
          "github.event", "github", "github.event.workflow_run.head_branch", "github.event.comment.body"})
        EXPECT_TRUE(gha::is_untrusted_context(p)) << p;
    for (const char* p : {"github.event.issue.number", "github.event.pull_request.head.sha", "github.sha",
                          "github.event_name", "github.event.issue.user.login", "github.repository", "secrets.token",
                          "env.title", "steps.meta.outputs.tags", "inputs.name"})
        EXPECT_FALSE(gha::is_untrusted_context(p)) << p;
}

TEST(GithubRules, PositionsInsideScalars) {
    auto l = load(
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: |\n"
        "          echo one\n"
        "\n"
        "            echo \"${{ github.head_ref }}\" x ${{ github.head_ref }}\n"
        "      - run: echo ${{ github.head_ref }}\n"
        "      - run: >-\n"
        "          echo a\n"
        "          ${{ github.head_ref }}\n",
        policy::inputs::k_github_workflow);
    const auto jobs = gha::jobs(l->doc);
    ASSERT_EQ(jobs.size(), 1u);
    ASSERT_EQ(jobs[0].steps.size(), 3u);
    const yaml::Node* literal = jobs[0].steps[0].run;
    const auto e = gha::expressions(literal->text);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(gha::mark_at(l->doc, literal, e[0].offset, e[0].length), (yaml::Mark{9, 19}));
    EXPECT_EQ(gha::mark_at(l->doc, literal, e[1].offset, e[1].length), (yaml::Mark{9, 45}));
    const yaml::Node* plain = jobs[0].steps[1].run;
    const auto p = gha::expressions(plain->text);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(gha::mark_at(l->doc, plain, p[0].offset, p[0].length), (yaml::Mark{10, 19}));
    const yaml::Node* folded = jobs[0].steps[2].run;
    const auto f = gha::expressions(folded->text);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(gha::mark_at(l->doc, folded, f[0].offset, f[0].length), (yaml::Mark{13, 11}));
}

TEST(GithubRules, Triggers) {
    auto l = load("on: [push, pull_request_target]\njobs: {}\n", policy::inputs::k_github_workflow);
    EXPECT_TRUE(gha::has_trigger(l->doc, "pull_request_target"));
    EXPECT_FALSE(gha::has_trigger(l->doc, "pull_request"));
    EXPECT_TRUE(gha::is_public_trigger("issue_comment"));
    EXPECT_FALSE(gha::is_public_trigger("push"));
}
