// The `ecs` target: its spec check (spec/targets/ecs.cpp: Fargate task sizes at `resources`,
// AWS identifier formats, EventBridge cron, SSM names), the EventBridge cron translation
// (spec/eventbridge.hpp) and the generator's inputs (generate/ecs/inputs.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/generate/ecs/inputs.hpp"
#include "coconut/generate/generator.hpp"
#include "coconut/spec/eventbridge.hpp"
#include "coconut/spec/load.hpp"

namespace {

using coconut::spec::load;

std::string problems_of(const std::string& text) {
    std::string out;
    for (const auto& p : load(text, "t.yaml").problems) out += p.format() + "\n";
    return out;
}

// A one-service spec whose `resources:` value starts at line 6, column 16.
std::string with_resources(const std::string& resources) {
    return "apiVersion: coconut.dev/v1\n"
           "name: t\n"
           "services:\n"
           "  api:\n"
           "    image: registry.example.com/api:1.0.0\n"
           "    resources: " + resources + "\n"
           "targets:\n"
           "  ecs: {}\n";
}

}  // namespace

// At least 15 invalid Fargate specs, each rejected at the `resources` node (line 6, column 16)
// with the nearest valid pair written as spec quantities.
TEST(EcsTargetCheck, InvalidFargateSizesAreRejectedAtResourcesWithASuggestion) {
    struct Case {
        const char* resources;
        const char* message;
    };
    const Case cases[] = {
        {"{cpu: 250m, memory: 4Gi}",
         "Fargate has no task size with 0.25 vCPU and 4 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 4Gi"},
        {"{cpu: 250m, memory: 3Gi}",
         "Fargate has no task size with 0.25 vCPU and 3 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 3Gi"},
        {"{cpu: 100m, memory: 2049Mi}",
         "Fargate has no task size with 0.25 vCPU and 2049 MiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 3Gi"},
        {"{memory: 4Gi}",   // cpu defaults to 100m
         "Fargate has no task size with 0.25 vCPU and 4 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 4Gi"},
        {"{cpu: 250m, memory: 3G}",   // decimal gigabytes: 2862 MiB
         "Fargate has no task size with 0.25 vCPU and 2862 MiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 3Gi"},
        {"{cpu: 250m, memory: 256Mi, memory_limit: 3Gi}",   // the limit decides
         "Fargate has no task size with 0.25 vCPU and 3 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 500m, memory 3Gi"},
        {"{cpu: 500m, memory: 5Gi}",
         "Fargate has no task size with 0.5 vCPU and 5 GiB (0.5 vCPU allows 1 GiB to 4 GiB); nearest valid pair: cpu 1, memory 5Gi"},
        {"{cpu: 100m, cpu_limit: 300m, memory: 8Gi}",
         "Fargate has no task size with 0.5 vCPU and 8 GiB (0.5 vCPU allows 1 GiB to 4 GiB); nearest valid pair: cpu 1, memory 8Gi"},
        {"{cpu: 1, memory: 9Gi}",
         "Fargate has no task size with 1 vCPU and 9 GiB (1 vCPU allows 2 GiB to 8 GiB); nearest valid pair: cpu 2, memory 9Gi"},
        {"{cpu: \"0.75\", memory: 10Gi}",
         "Fargate has no task size with 1 vCPU and 10 GiB (1 vCPU allows 2 GiB to 8 GiB); nearest valid pair: cpu 2, memory 10Gi"},
        {"{cpu: 2, memory: 17Gi}",
         "Fargate has no task size with 2 vCPU and 17 GiB (2 vCPU allows 4 GiB to 16 GiB); nearest valid pair: cpu 4, memory 17Gi"},
        {"{cpu: 1500m, memory: 20Gi}",
         "Fargate has no task size with 2 vCPU and 20 GiB (2 vCPU allows 4 GiB to 16 GiB); nearest valid pair: cpu 4, memory 20Gi"},
        {"{cpu: 4, memory: 31Gi}",
         "Fargate has no task size with 4 vCPU and 31 GiB (4 vCPU allows 8 GiB to 30 GiB); nearest valid pair: cpu 8, memory 32Gi"},
        {"{cpu: 3, memory: 100Gi}",
         "Fargate has no task size with 4 vCPU and 100 GiB (4 vCPU allows 8 GiB to 30 GiB); nearest valid pair: cpu 16, memory 104Gi"},
        {"{cpu: 8, memory: 61Gi}",
         "Fargate has no task size with 8 vCPU and 61 GiB (8 vCPU allows 16 GiB to 60 GiB); nearest valid pair: cpu 16, memory 64Gi"},
        {"{cpu: 16, memory: 121Gi}",
         "Fargate's largest task has 120 GiB of memory (the request needs 121 GiB); nearest valid pair: cpu 16, memory 120Gi"},
        {"{cpu: 17, memory: 32Gi}",
         "Fargate's largest task has 16 vCPU (the request needs 17 vCPU); nearest valid pair: cpu 16, memory 32Gi"},
        {"{cpu: 32, memory: 256Gi}",
         "Fargate's largest task has 16 vCPU (the request needs 32 vCPU); nearest valid pair: cpu 16, memory 120Gi"},
    };
    static_assert(sizeof cases / sizeof cases[0] >= 15);
    for (const auto& c : cases) {
        EXPECT_EQ(problems_of(with_resources(c.resources)),
                  std::string("t.yaml:6:16: error: services.api.resources: ") + c.message + "\n")
            << c.resources;
    }
}

TEST(EcsTargetCheck, ValidSizesAndOtherTargetsAreNotReported) {
    EXPECT_EQ(problems_of(with_resources("{cpu: 250m, memory: 2Gi}")), "");
    EXPECT_EQ(problems_of(with_resources("{cpu: 100m, memory: 64Mi}")), "");   // rounds up to the smallest task
    EXPECT_EQ(problems_of(with_resources("{cpu: 16, memory: 120Gi}")), "");
    // Without targets.ecs, any size is fine (Kubernetes has no such table).
    std::string k8s = with_resources("{cpu: 250m, memory: 4Gi}");
    k8s.replace(k8s.find("  ecs: {}"), 9, "  kubernetes: {}");
    EXPECT_EQ(problems_of(k8s), "");
    // `ecs:` with no value still enables the target.
    std::string null_ecs = with_resources("{cpu: 250m, memory: 4Gi}");
    null_ecs.replace(null_ecs.find("  ecs: {}"), 9, "  ecs:");
    EXPECT_NE(problems_of(null_ecs).find("t.yaml:6:16: error: services.api.resources: Fargate has no task size"),
              std::string::npos);
}

// Block-style resources: the position is the mapping's (its first key); jobs are checked too.
TEST(EcsTargetCheck, BlockStyleResourcesAndJobs) {
    const std::string text =
        "apiVersion: coconut.dev/v1\n"
        "name: t\n"
        "services:\n"
        "  report:\n"
        "    type: job\n"
        "    schedule: \"0 3 * * *\"\n"
        "    image: registry.example.com/report:1\n"
        "    resources:\n"
        "      cpu: 2\n"
        "      memory: 20Gi\n"
        "targets:\n"
        "  ecs: {}\n";
    EXPECT_EQ(problems_of(text),
              "t.yaml:9:7: error: services.report.resources: Fargate has no task size with 2 vCPU and 20 GiB (2 vCPU "
              "allows 4 GiB to 16 GiB); nearest valid pair: cpu 4, memory 20Gi\n");
}

// An environment override that breaks the pair is reported at the override, once.
TEST(EcsTargetCheck, EnvironmentOverrideIsReportedAtTheOverride) {
    const std::string text =
        "apiVersion: coconut.dev/v1\n"
        "name: t\n"
        "services:\n"
        "  api:\n"
        "    image: registry.example.com/api:1.0.0\n"
        "    resources: {cpu: 250m, memory: 512Mi}\n"
        "environments:\n"
        "  staging: {}\n"
        "  production:\n"
        "    services:\n"
        "      api:\n"
        "        resources: {memory: 6Gi}\n"
        "targets:\n"
        "  ecs: {}\n";
    EXPECT_EQ(problems_of(text),
              "t.yaml:12:20: error: environments.production.services.api.resources: Fargate has no task size with 0.25 "
              "vCPU and 6 GiB (0.25 vCPU allows 512 MiB to 2 GiB); nearest valid pair: cpu 1, memory 6Gi\n");
}

TEST(EcsTargetCheck, AwsIdentifiersAreChecked) {
    const std::string text =
        "apiVersion: coconut.dev/v1\n"
        "name: t\n"
        "services:\n"
        "  web:\n"
        "    type: web\n"
        "    image: registry.example.com/web:1\n"
        "    secrets: {TOKEN: \"db:url\"}\n"
        "    volumes: [{name: data, path: /data, size: 190Gi}]\n"
        "  worker:\n"
        "    type: worker\n"
        "    image: registry.example.com/worker:1\n"
        "  both:\n"
        "    type: job\n"
        "    schedule: \"0 3 1 * MON\"\n"
        "    image: registry.example.com/both:1\n"
        "targets:\n"
        "  ecs:\n"
        "    account_id: 12345\n"
        "    region: us-east\n"
        "    cluster: my.cluster\n"
        "    subnets: [subnet-0123abcd, subnet-xyz]\n"
        "    security_groups: [sg-12345678901234567, sg-1]\n"
        "    execution_role: arn:aws:iam::123:role/x\n"
        "    task_role: \"my-role!\"\n"
        "    log_group: \"logs?\"\n"
        "    ssm_prefix: app/\n"
        "    platform_version: \"1.4\"\n"
        "    target_groups:\n"
        "      worker: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/w/0123456789abcdef\n"
        "      wbe: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/w/0123456789abcdef\n"
        "      web: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0123456789abcdef\n"
        "    efs: {dta: fs-12345678}\n";
    EXPECT_EQ(problems_of(text),
              "t.yaml:7:22: error: services.web.secrets.TOKEN: secret reference 'db:url' is not a valid SSM "
              "parameter name on ECS (letters, digits and _.-/, no empty segment)\n"
              "t.yaml:8:14: error: services.web.volumes: persistent volumes without EFS live on the Fargate task's "
              "storage, at most 200 GiB with 20 GiB kept for the image (these need 190 GiB); put them on EFS, e.g. "
              "targets.ecs.efs.data: fs-0123456789abcdef0\n"
              "t.yaml:14:15: error: services.both.schedule: EventBridge cannot run a schedule that restricts both the "
              "day of the month (1) and the day of the week (MON): cron runs on either, EventBridge needs one of them "
              "to be '?'; split the job or use one of the two\n"
              "t.yaml:18:17: error: targets.ecs.account_id: must be a 12-digit AWS account ID (got '12345')\n"
              "t.yaml:19:13: error: targets.ecs.region: must be an AWS region such as us-east-1 or eu-west-3 (got "
              "'us-east')\n"
              "t.yaml:20:14: error: targets.ecs.cluster: must be an ECS cluster name (letters, digits, _ and -, at most "
              "255) or cluster ARN (got 'my.cluster')\n"
              "t.yaml:21:32: error: targets.ecs.subnets[1]: must be subnet-<8 or 17 hex digits>, e.g. "
              "subnet-0123456789abcdef0 (got 'subnet-xyz')\n"
              "t.yaml:22:45: error: targets.ecs.security_groups[1]: must be sg-<8 or 17 hex digits>, e.g. "
              "sg-0123456789abcdef0 (got 'sg-1')\n"
              "t.yaml:23:21: error: targets.ecs.execution_role: must be an IAM role name (letters, digits and "
              "+=,.@_-, at most 64) or an arn:aws:iam::<account>:role/<name> ARN (got 'arn:aws:iam::123:role/x')\n"
              "t.yaml:24:16: error: targets.ecs.task_role: must be an IAM role name (letters, digits and +=,.@_-, at "
              "most 64) or an arn:aws:iam::<account>:role/<name> ARN (got 'my-role!')\n"
              "t.yaml:25:16: error: targets.ecs.log_group: must be a CloudWatch Logs group name (letters, digits and "
              "._-/#, at most 512) (got 'logs?')\n"
              "t.yaml:26:17: error: targets.ecs.ssm_prefix: must be an SSM parameter path that starts and ends with "
              "'/' (letters, digits and _.-/) (got 'app/')\n"
              "t.yaml:27:23: error: targets.ecs.platform_version: must be LATEST or a version such as 1.4.0 (got "
              "'1.4')\n"
              "t.yaml:29:7: error: targets.ecs.target_groups.worker: 'worker' is not a web service: only web "
              "services sit behind a load balancer\n"
              "t.yaml:30:7: error: targets.ecs.target_groups.wbe: unknown web service 'wbe' (web services are: web); "
              "did you mean 'web'?\n"
              "t.yaml:31:12: error: targets.ecs.target_groups.web: must be a target group ARN such as "
              "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef (got "
              "'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer...')\n"
              "t.yaml:32:11: error: targets.ecs.efs.dta: unknown persistent volume 'dta' (persistent volumes (volumes "
              "with a size) are: data); did you mean 'data'?\n");
}

TEST(EcsTargetCheck, GoodIdentifiersPass) {
    const std::string text =
        "apiVersion: coconut.dev/v1\n"
        "name: t\n"
        "services:\n"
        "  web:\n"
        "    type: web\n"
        "    image: registry.example.com/web:1\n"
        "    secrets: {TOKEN: app/api_token.v2}\n"
        "    volumes: [{name: data, path: /data, size: 500Gi}]\n"
        "targets:\n"
        "  ecs:\n"
        "    account_id: \"012345678901\"\n"
        "    region: us-gov-west-1\n"
        "    cluster: arn:aws-us-gov:ecs:us-gov-west-1:012345678901:cluster/main\n"
        "    subnets: [subnet-0123abcd, subnet-0123456789abcdef0]\n"
        "    execution_role: arn:aws-us-gov:iam::012345678901:role/service-role/exec+role@x\n"
        "    task_role: app-task\n"
        "    log_group: /ecs/app#1\n"
        "    ssm_prefix: /\n"
        "    platform_version: 1.4.0\n"
        "    target_groups:\n"
        "      web: arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:012345678901:targetgroup/web-1/0123456789abcdef\n"
        "    efs: {data: fs-0123456789abcdef0}\n";   // 500Gi on EFS: no task storage limit
    EXPECT_EQ(problems_of(text), "");
}

TEST(EventBridgeCron, TranslatesKubernetesSchedules) {
    struct Case {
        const char* cron;
        const char* expression;
    };
    const Case cases[] = {
        {"0 3 * * *", "cron(0 3 * * ? *)"},
        {"*/15 * * * *", "cron(0/15 * * * ? *)"},
        {"5 */2 * * *", "cron(5 0/2 * * ? *)"},
        {"0 9 * * 1-5", "cron(0 9 ? * 2-6 *)"},          // Mon-Fri: cron 1-5, EventBridge 2-6
        {"0 9 * * MON-FRI", "cron(0 9 ? * 2-6 *)"},
        {"0 0 * * 0", "cron(0 0 ? * 1 *)"},               // Sunday
        {"0 0 * * 7", "cron(0 0 ? * 1 *)"},               // Sunday again
        {"0 0 * * 5-7", "cron(0 0 ? * 1,6,7 *)"},         // Fri-Sun wraps to Sunday = 1
        {"0 0 * * 6,0", "cron(0 0 ? * 1,7 *)"},
        {"0 0 * * */2", "cron(0 0 ? * 1,3,5,7 *)"},       // Sun, Tue, Thu, Sat
        {"0 0 * * 0-6", "cron(0 0 * * ? *)"},             // every day: no restriction
        {"30 2 1,15 * *", "cron(30 2 1,15 * ? *)"},
        {"0 0 1-10/3 * *", "cron(0 0 1,4,7,10 * ? *)"},
        {"0 12 * JAN,JUL *", "cron(0 12 * JAN,JUL ? *)"},
        {"@hourly", "cron(0 * * * ? *)"},
        {"@daily", "cron(0 0 * * ? *)"},
        {"@midnight", "cron(0 0 * * ? *)"},
        {"@weekly", "cron(0 0 ? * 1 *)"},
        {"@monthly", "cron(0 0 1 * ? *)"},
        {"@yearly", "cron(0 0 1 1 ? *)"},
    };
    for (const auto& c : cases) {
        const auto r = coconut::spec::eventbridge::cron_expression(c.cron);
        EXPECT_EQ(r.problem, "") << c.cron;
        EXPECT_EQ(r.expression, c.expression) << c.cron;
    }
    EXPECT_NE(coconut::spec::eventbridge::cron_expression("0 0 1 * 1").problem, "");
    EXPECT_NE(coconut::spec::eventbridge::cron_expression("0 0 */2 * MON").problem, "");
    EXPECT_NE(coconut::spec::eventbridge::cron_expression("61 0 * * *").problem, "");   // invalid cron
}

namespace {

coconut::spec::Spec resolved(const std::string& text, const std::string& env) {
    auto loaded = load(text, "t.yaml");
    EXPECT_TRUE(loaded.ok());
    auto r = loaded.spec.resolve(env);
    EXPECT_TRUE(r.has_value());
    return *r;
}

}  // namespace

TEST(EcsInputs, ArnsDefaultsAndPlaceholders) {
    const std::string text =
        "apiVersion: coconut.dev/v1\n"
        "name: shop\n"
        "services:\n"
        "  web:\n"
        "    type: web\n"
        "    image: registry.example.com/web:1\n"
        "    secrets: {DB: db/url}\n"
        "    replicas: {min: 2, max: 4, cpu_percent: 50}\n"
        "    resources: {cpu: 500m, memory: 1Gi}\n"
        "environments:\n"
        "  prod:\n"
        "    targets: {ecs: {region: cn-north-1, account_id: \"123456789012\"}}\n"
        "targets:\n"
        "  ecs: {}\n";
    namespace ecs = coconut::generate::ecs;
    const auto base = resolved(text, "");
    const auto prod = resolved(text, "prod");
    const ecs::Context b = ecs::make_context(base);
    EXPECT_EQ(b.cluster, "shop");
    EXPECT_EQ(b.region, "us-east-1");
    EXPECT_EQ(b.log_group, "/ecs/shop");
    const ecs::Context p = ecs::make_context(prod);
    EXPECT_EQ(p.prefix, "shop-prod");
    EXPECT_EQ(p.cluster, "shop-prod");
    EXPECT_EQ(p.log_group, "/ecs/shop/prod");
    EXPECT_EQ(p.ssm_prefix, "/shop/prod/");
    EXPECT_EQ(ecs::parameter_arn(p, "db/url"), "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/shop/prod/db/url");
    EXPECT_EQ(ecs::role_arn(p, "ecsTaskExecutionRole"), "arn:aws-cn:iam::123456789012:role/ecsTaskExecutionRole");
    EXPECT_EQ(ecs::role_arn(p, "arn:aws:iam::1:role/x"), "arn:aws:iam::1:role/x");

    const auto& web = *base.find_service("web");
    const auto td = ecs::task_definition(b, web);
    EXPECT_EQ(td["cpu"], "512");
    EXPECT_EQ(td["memory"], "1024");
    EXPECT_EQ(td["containerDefinitions"][0]["secrets"][0]["valueFrom"],
              "arn:aws:ssm:us-east-1:${AWS_ACCOUNT_ID}:parameter/shop/db/url");
    const auto svc = ecs::service(b, web);
    EXPECT_EQ(svc["desiredCount"], 2);
    EXPECT_EQ(svc["loadBalancers"][0]["targetGroupArn"], "${ECS_TARGET_GROUP_WEB}");
    EXPECT_EQ(ecs::placeholders(svc),
              (std::vector<std::string>{"ECS_SECURITY_GROUP_ID", "ECS_SUBNET_ID", "ECS_TARGET_GROUP_WEB"}));
    EXPECT_EQ(ecs::placeholders(ecs::task_definition(p, *prod.find_service("web"))), std::vector<std::string>{});
    // 50 % of a 500m request is 50 % of the 0.5 vCPU task.
    const auto policies = ecs::scaling_policies(b, web);
    ASSERT_EQ(policies.size(), 1u);
    EXPECT_EQ(policies[0].second["TargetTrackingScalingPolicyConfiguration"]["TargetValue"], 50);
    EXPECT_EQ(ecs::scalable_target(b, web)["ResourceId"], "service/shop/shop-web");
}

TEST(EcsGenerator, RegisteredAndEnabledOnlyWithTheTarget) {
    const auto* g = coconut::generate::Registry::instance().find("ecs");
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->description().empty());
    EXPECT_NE(g->enable_hint().find("targets.ecs"), std::string_view::npos);
    std::string text = with_resources("{cpu: 250m, memory: 512Mi}");
    EXPECT_TRUE(g->enabled(resolved(text, "")));
    text.replace(text.find("  ecs: {}"), 9, "  kubernetes: {}");
    EXPECT_FALSE(g->enabled(resolved(text, "")));
}
