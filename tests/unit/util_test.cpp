#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "coconut/util/fs.hpp"
#include "coconut/util/strings.hpp"

namespace fs = std::filesystem;
using namespace coconut::util;

namespace {

fs::path fresh_dir(const std::string& name) {
    fs::path p = fs::temp_directory_path() / ("coconut-util-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(Strings, DidYouMean) {
    std::vector<std::string> keys = {"services", "environments", "targets", "deploy", "policies", "monitoring"};
    EXPECT_EQ(closest_match("servces", keys), "services");
    EXPECT_EQ(closest_match("enviroments", keys), "environments");
    EXPECT_EQ(closest_match("tragets", keys), "targets");  // transposition counts once
    EXPECT_FALSE(closest_match("zzz", keys).has_value());
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Strings, Dns1123) {
    EXPECT_TRUE(is_dns1123_label("web-1"));
    EXPECT_FALSE(is_dns1123_label("Web"));
    EXPECT_FALSE(is_dns1123_label("-web"));
    EXPECT_FALSE(is_dns1123_label("web-"));
    EXPECT_FALSE(is_dns1123_label(std::string(64, 'a')));
    EXPECT_TRUE(is_dns1123_label(std::string(63, 'a')));
    EXPECT_TRUE(is_dns1123_subdomain("shop.example.com"));
    EXPECT_FALSE(is_dns1123_subdomain("shop..example.com"));
}

TEST(AtomicWrite, WritesReplacesRootsAndRemovesStaleFiles) {
    auto dir = fresh_dir("atomic");
    ASSERT_TRUE(write_tree_atomic(dir, {{"k8s/base/a.yaml", "a"}, {"k8s/base/b.yaml", "b"}, {"top.txt", "t"}}, {"k8s/base"}));
    EXPECT_EQ(slurp(dir / "k8s/base/a.yaml"), "a");
    EXPECT_EQ(slurp(dir / "top.txt"), "t");
    // second run: b.yaml is gone from the output, so it must be gone from disk
    ASSERT_TRUE(write_tree_atomic(dir, {{"k8s/base/a.yaml", "a2"}}, {"k8s/base"}));
    EXPECT_EQ(slurp(dir / "k8s/base/a.yaml"), "a2");
    EXPECT_FALSE(fs::exists(dir / "k8s/base/b.yaml"));
    EXPECT_TRUE(fs::exists(dir / "top.txt"));  // outside the roots: left alone
    // no temporary directories are left behind
    for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename().string().rfind(".coconut-", 0), std::string::npos);
    fs::remove_all(dir);
}

TEST(AtomicWrite, AFileInTheWayIsAnErrorAndNothingChanges) {
    auto dir = fresh_dir("atomic-blocked");
    ASSERT_TRUE(write_tree_atomic(dir, {{"k8s/base/a.yaml", "old"}}, {"k8s/base"}));
    // "blocker" is a file, so "blocker/inner.yaml" cannot be placed: found before anything moves
    { std::ofstream(dir / "blocker") << "file"; }
    auto r = write_tree_atomic(dir, {{"k8s/base/a.yaml", "new"}, {"blocker/inner.yaml", "x"}}, {"k8s/base"});
    EXPECT_FALSE(r);
    EXPECT_NE(r.error().message.find("nothing was changed"), std::string::npos) << r.error().message;
    EXPECT_EQ(slurp(dir / "k8s/base/a.yaml"), "old");
    for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().filename().string().rfind(".coconut-", 0), std::string::npos);
    fs::remove_all(dir);
}

TEST(ReadFile, ErrorsNameThePath) {
    auto r = read_file("/nonexistent/coconut.yaml");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("/nonexistent/coconut.yaml: cannot open"), std::string::npos);
    auto d = read_file("/tmp");
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("is a directory"), std::string::npos);
}
