// The helm adapter (platform/helm): the argv of each subcommand and what is read from helm's
// output, with FakeRunner answers shaped like Helm 3.17 / 4.1 output. The real binaries run in
// tests/integration/helm.sh.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "coconut/platform/helm.hpp"
#include "coconut/testing/fake_runner.hpp"
#include "coconut/testing/fake_runner_gtest.hpp"

using coconut::platform::Helm;
using coconut::testing::fake_result;
using coconut::testing::GTestFakeRunner;
using Argv = std::vector<std::string>;

TEST(HelmAdapter, RequireRunsTheVersionCommandOfTheNamedBinary) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"/opt/helm4/helm", "version", "--short"}, fake_result("v4.1.4+g05fa379\n"));
    Helm helm(*fake, "/opt/helm4/helm");
    auto tool = helm.require("3.8", "for OCI push");
    ASSERT_TRUE(tool) << tool.error().message;
    EXPECT_EQ(tool->version.to_string(), "4.1.4");
    EXPECT_EQ(tool->path, "/opt/helm4/helm");
}

TEST(HelmAdapter, LintPassesOrQuotesTheFindings) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"helm", "lint", "--strict", "/tmp/c/chart"}, fake_result("1 chart(s) linted, 0 chart(s) failed\n"));
    fake->expect({"helm", "lint", "/tmp/c/chart"},
                 fake_result("==> Linting /tmp/c/chart\n[ERROR] templates/: template: broken\n",
                             "Error: 1 chart(s) linted, 1 chart(s) failed\n", 1));
    Helm helm(*fake);
    auto ok = helm.lint("/tmp/c/chart");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_TRUE(ok->passed());

    auto bad = helm.lint("/tmp/c/chart", {.strict = false});
    ASSERT_TRUE(bad) << bad.error().message;  // a chart that fails is a result, not an error
    ASSERT_FALSE(bad->passed());
    const std::string& message = bad->failure->message;
    EXPECT_EQ(message.rfind("helm failed with exit code 1: helm lint /tmp/c/chart\n", 0), 0u) << message;
    EXPECT_NE(message.find("Error: 1 chart(s) linted, 1 chart(s) failed"), std::string::npos) << message;
    EXPECT_NE(message.find("[ERROR] templates/: template: broken"), std::string::npos) << message;
    EXPECT_GT(fake->calls().at(0).timeout.count(), 0);
}

TEST(HelmAdapter, LintThatCannotRunIsAnError) {
    GTestFakeRunner fake;
    fake->expect_prefix({"helm", "lint"}).error =
        coconut::util::Error{coconut::util::ErrorCode::Failure, "helm: command not found (searched PATH=/usr/bin)", {}};
    auto r = Helm(*fake).lint("chart");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "helm: command not found (searched PATH=/usr/bin)");
}

TEST(HelmAdapter, PackageReturnsThePathHelmReports) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"helm", "package", "/tmp/c/chart", "--destination", "/out"},
                 fake_result("Successfully packaged chart and saved it to: /out/shop-1.4.2.tgz\n"));
    fake->expect({"helm", "package", "/tmp/c/chart", "--destination", "/elsewhere"}, fake_result("\n"));
    fake->expect({"helm", "package", "/tmp/c/chart", "--destination", "/ro"},
                 fake_result("", "Error: open /ro/shop-1.4.2.tgz: read-only file system\n", 1));
    Helm helm(*fake);
    auto pkg = helm.package("/tmp/c/chart", "/out");
    ASSERT_TRUE(pkg) << pkg.error().message;
    EXPECT_EQ(*pkg, "/out/shop-1.4.2.tgz");
    auto silent = helm.package("/tmp/c/chart", "/elsewhere");
    ASSERT_TRUE(silent) << silent.error().message;
    EXPECT_EQ(*silent, "");  // the caller knows where to look
    auto failed = helm.package("/tmp/c/chart", "/ro");
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("read-only file system"), std::string::npos) << failed.error().message;
}

TEST(HelmAdapter, PushArgvAndWhatHelmReportsOnStderr) {
    GTestFakeRunner fake;
    fake.strict();
    fake->expect({"helm", "push", "/tmp/p/shop-1.4.2.tgz", "oci://127.0.0.1:5000/charts"},
                 fake_result("", "Pushed: 127.0.0.1:5000/charts/shop:1.4.2\nDigest: sha256:abc123\n"));
    fake->expect({"helm", "push", "/tmp/p/shop-1.4.2.tgz", "oci://r/charts", "--plain-http", "--insecure-skip-tls-verify"},
                 fake_result("Pushed: r/charts/shop:1.4.2\nDigest: sha256:def456\n"));
    Helm helm(*fake);
    auto pushed = helm.push("/tmp/p/shop-1.4.2.tgz", "oci://127.0.0.1:5000/charts");
    ASSERT_TRUE(pushed) << pushed.error().message;
    EXPECT_EQ(pushed->reference, "127.0.0.1:5000/charts/shop:1.4.2");
    EXPECT_EQ(pushed->digest, "sha256:abc123");
    auto insecure = helm.push("/tmp/p/shop-1.4.2.tgz", "oci://r/charts", {.plain_http = true, .insecure_skip_tls_verify = true});
    ASSERT_TRUE(insecure) << insecure.error().message;
    EXPECT_EQ(insecure->reference, "r/charts/shop:1.4.2");
    EXPECT_EQ(insecure->digest, "sha256:def456");
}

TEST(HelmAdapter, OutputParsers) {
    EXPECT_EQ(coconut::platform::parse_package_output("Successfully packaged chart and saved it to: /tmp/x/shop-1.0.0.tgz\n"),
              "/tmp/x/shop-1.0.0.tgz");
    EXPECT_EQ(coconut::platform::parse_package_output("something else\n"), "");
    auto [ref, digest] = coconut::platform::parse_push_output(
        "Pushed: 127.0.0.1:5000/charts/shop:1.0.0\nDigest: sha256:e446e5154f08\n");
    EXPECT_EQ(ref, "127.0.0.1:5000/charts/shop:1.0.0");
    EXPECT_EQ(digest, "sha256:e446e5154f08");
}
