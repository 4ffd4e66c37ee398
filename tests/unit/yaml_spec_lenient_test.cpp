// coconut.yaml is read by the same yaml::parse: kubectl-style flow indentation and quoted
// scalars continued at the key's column load like any other spec (issue 9).
#include <string>

#include <gtest/gtest.h>

#include "coconut/spec/load.hpp"

using namespace coconut::spec;

TEST(YamlSpecLenient, FlowIndentedSpecLoads) {
    const std::string text = R"(apiVersion: coconut.dev/v1
name: shop
services:
  api:
    image: registry.example.com/shop/api:1.0.0
    command: [
      "/app/api",
      "--port=8080"
    ]
  web:
    type: web
    image: registry.example.com/shop/web:1.0.0
    env:
      GREETING: "hello
      world"
    depends_on: [api,
    ]
)";
    auto r = load(text, "coconut.yaml");
    std::string problems;
    for (const auto& p : r.problems) problems += p.format() + "\n";
    ASSERT_TRUE(r.ok()) << problems;
    const Spec s = r.spec.base();
    const Service* api = s.find_service("api");
    const Service* web = s.find_service("web");
    ASSERT_NE(api, nullptr);
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(api->command, (std::vector<std::string>{"/app/api", "--port=8080"}));
    EXPECT_EQ(web->depends_on, (std::vector<std::string>{"api"}));
    ASSERT_EQ(web->env.size(), 1u);
    EXPECT_EQ(web->env.begin()->first, "GREETING");
    EXPECT_EQ(web->env.begin()->second, "hello world");
}
