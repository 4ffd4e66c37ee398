// spec::fargate: the Fargate task sizes (AWS ECS Developer Guide, "Task CPU and memory"), how a
// service's resources round up to one, and the problem + suggestion when none fits.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "coconut/spec/fargate.hpp"
#include "coconut/spec/quantity.hpp"

namespace fargate = coconut::spec::fargate;
using fargate::Size;

namespace {

constexpr double k_mib = 1024.0 * 1024.0;

fargate::Mapping map_text(const std::string& cpu, const std::string& memory) {
    coconut::spec::Resources r;
    r.cpu = cpu;
    r.memory = memory;
    return fargate::map(r);
}

// The table written out by hand, independently of fargate.cpp's ranges.
std::vector<Size> expected_table() {
    std::vector<Size> out;
    for (int m : {512, 1024, 2048}) out.push_back({256, m});
    for (int g = 1; g <= 4; ++g) out.push_back({512, g * 1024});
    for (int g = 2; g <= 8; ++g) out.push_back({1024, g * 1024});
    for (int g = 4; g <= 16; ++g) out.push_back({2048, g * 1024});
    for (int g = 8; g <= 30; ++g) out.push_back({4096, g * 1024});
    for (int g = 16; g <= 60; g += 4) out.push_back({8192, g * 1024});
    for (int g = 32; g <= 120; g += 8) out.push_back({16384, g * 1024});
    return out;
}

}  // namespace

TEST(Fargate, ValidSizesAreExactlyAwsTable) {
    const auto expected = expected_table();
    ASSERT_EQ(expected.size(), 74u);
    const auto& sizes = fargate::valid_sizes();
    ASSERT_EQ(sizes.size(), expected.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        EXPECT_EQ(sizes[i].cpu, expected[i].cpu) << i;
        EXPECT_EQ(sizes[i].memory, expected[i].memory) << i;
    }
}

TEST(Fargate, IsValid) {
    EXPECT_TRUE(fargate::is_valid({256, 512}));
    EXPECT_TRUE(fargate::is_valid({256, 2048}));
    EXPECT_FALSE(fargate::is_valid({256, 1536}));   // 0.25 vCPU: 512, 1024, 2048 only
    EXPECT_FALSE(fargate::is_valid({256, 3072}));
    EXPECT_FALSE(fargate::is_valid({512, 512}));
    EXPECT_TRUE(fargate::is_valid({4096, 30720}));
    EXPECT_FALSE(fargate::is_valid({4096, 31744}));
    EXPECT_FALSE(fargate::is_valid({8192, 17408}));  // 8 vCPU: steps of 4 GiB
    EXPECT_TRUE(fargate::is_valid({8192, 20480}));
    EXPECT_FALSE(fargate::is_valid({16384, 36864})); // 16 vCPU: steps of 8 GiB
    EXPECT_TRUE(fargate::is_valid({16384, 122880}));
    EXPECT_FALSE(fargate::is_valid({3072, 8192}));
}

// Every valid pair, written as the spec quantities cpu_quantity/memory_quantity give, maps to
// itself: no rounding of an exact size.
TEST(Fargate, EveryValidPairMapsToItself) {
    for (const auto& s : fargate::valid_sizes()) {
        const std::string cpu = fargate::cpu_quantity(s.cpu);
        const std::string memory = fargate::memory_quantity(s.memory);
        const auto m = map_text(cpu, memory);
        EXPECT_TRUE(m.problem.empty()) << cpu << "/" << memory << ": " << m.problem;
        EXPECT_EQ(m.size, s) << cpu << "/" << memory << " -> " << m.size.cpu << "/" << m.size.memory;
        EXPECT_FALSE(m.suggestion) << cpu << "/" << memory;
    }
}

TEST(Fargate, RoundsUpToTheNextSize) {
    struct Case {
        const char* cpu;
        const char* memory;
        Size want;
    };
    const Case cases[] = {
        {"100m", "64Mi", {256, 512}},       // below the smallest task: the smallest task
        {"250m", "512Mi", {256, 512}},      // 250m is 256 units
        {"251m", "512Mi", {512, 1024}},     // one millicore more: 0.5 vCPU, whose minimum is 1 GiB
        {"250m", "513Mi", {256, 1024}},     // memory to the next value of the CPU's range
        {"250m", "1025Mi", {256, 2048}},    // 0.25 vCPU has no 1.5 GiB
        {"300m", "600Mi", {512, 1024}},
        {"0.75", "1Gi", {1024, 2048}},      // 768 units -> 1 vCPU, minimum 2 GiB
        {"1", "1Gi", {1024, 2048}},
        {"1500m", "3Gi", {2048, 4096}},
        {"2", "4097Mi", {2048, 5120}},
        {"3", "8Gi", {4096, 8192}},
        {"4", "30Gi", {4096, 30720}},
        {"5", "17Gi", {8192, 20480}},       // 8 vCPU: steps of 4 GiB
        {"8", "60Gi", {8192, 61440}},
        {"9", "33Gi", {16384, 40960}},      // 16 vCPU: steps of 8 GiB
        {"16", "120Gi", {16384, 122880}},
        {"250m", "1G", {256, 1024}},        // decimal: 953.7 MiB
        {"250m", "536870912", {256, 512}},  // plain bytes: 512 MiB exactly
    };
    for (const auto& c : cases) {
        const auto m = map_text(c.cpu, c.memory);
        EXPECT_TRUE(m.problem.empty()) << c.cpu << "/" << c.memory << ": " << m.problem;
        EXPECT_EQ(m.size, c.want) << c.cpu << "/" << c.memory << " -> " << m.size.cpu << "/" << m.size.memory;
    }
}

TEST(Fargate, LimitsDecideOverRequests) {
    coconut::spec::Resources r;
    r.cpu = "100m";
    r.memory = "128Mi";
    r.cpu_limit = "1";
    r.memory_limit = "3Gi";
    EXPECT_EQ(fargate::map(r).size, (Size{1024, 3072}));
    r.memory_limit.clear();   // no limit: the request
    EXPECT_EQ(fargate::map(r).size, (Size{1024, 2048}));
}

// Every class of invalid request: memory above each CPU size's range, memory above Fargate's
// largest task, CPU above it; each with its problem text and the cheapest valid suggestion.
TEST(Fargate, EveryInvalidClassHasAProblemAndSuggestion) {
    struct Case {
        const char* cpu;
        const char* memory;
        const char* problem;
        Size suggestion;
    };
    const Case cases[] = {
        {"250m", "4Gi", "Fargate has no task size with 0.25 vCPU and 4 GiB (0.25 vCPU allows 512 MiB to 2 GiB)", {512, 4096}},
        {"500m", "5Gi", "Fargate has no task size with 0.5 vCPU and 5 GiB (0.5 vCPU allows 1 GiB to 4 GiB)", {1024, 5120}},
        {"1", "9Gi", "Fargate has no task size with 1 vCPU and 9 GiB (1 vCPU allows 2 GiB to 8 GiB)", {2048, 9216}},
        {"2", "17Gi", "Fargate has no task size with 2 vCPU and 17 GiB (2 vCPU allows 4 GiB to 16 GiB)", {4096, 17408}},
        {"4", "31Gi", "Fargate has no task size with 4 vCPU and 31 GiB (4 vCPU allows 8 GiB to 30 GiB)", {8192, 32768}},
        {"8", "61Gi", "Fargate has no task size with 8 vCPU and 61 GiB (8 vCPU allows 16 GiB to 60 GiB)", {16384, 65536}},
        {"16", "121Gi", "Fargate's largest task has 120 GiB of memory (the request needs 121 GiB)", {16384, 122880}},
        {"100m", "200Gi", "Fargate's largest task has 120 GiB of memory (the request needs 200 GiB)", {16384, 122880}},
        {"17", "32Gi", "Fargate's largest task has 16 vCPU (the request needs 17 vCPU)", {16384, 32768}},
        {"100m", "2049Mi", "Fargate has no task size with 0.25 vCPU and 2049 MiB (0.25 vCPU allows 512 MiB to 2 GiB)", {512, 3072}},
    };
    for (const auto& c : cases) {
        const auto m = map_text(c.cpu, c.memory);
        EXPECT_EQ(m.problem, c.problem) << c.cpu << "/" << c.memory;
        ASSERT_TRUE(m.suggestion) << c.cpu << "/" << c.memory;
        EXPECT_EQ(*m.suggestion, c.suggestion)
            << c.cpu << "/" << c.memory << " -> " << m.suggestion->cpu << "/" << m.suggestion->memory;
        EXPECT_TRUE(fargate::is_valid(*m.suggestion));
    }
}

TEST(Fargate, Texts) {
    EXPECT_EQ(fargate::cpu_text(256), "0.25 vCPU");
    EXPECT_EQ(fargate::cpu_text(512), "0.5 vCPU");
    EXPECT_EQ(fargate::cpu_text(16384), "16 vCPU");
    EXPECT_EQ(fargate::memory_text(512), "512 MiB");
    EXPECT_EQ(fargate::memory_text(2048), "2 GiB");
    EXPECT_EQ(fargate::memory_text(2560), "2.5 GiB");
    EXPECT_EQ(fargate::memory_text(2049), "2049 MiB");
    EXPECT_EQ(fargate::cpu_quantity(256), "250m");
    EXPECT_EQ(fargate::cpu_quantity(512), "500m");
    EXPECT_EQ(fargate::cpu_quantity(2048), "2");
    EXPECT_EQ(fargate::memory_quantity(512), "512Mi");
    EXPECT_EQ(fargate::memory_quantity(30720), "30Gi");
    // The quantities parse back to the size they name.
    for (const auto& s : fargate::valid_sizes()) {
        const auto millis = coconut::spec::parse_cpu_millis(fargate::cpu_quantity(s.cpu));
        const auto bytes = coconut::spec::parse_memory_bytes(fargate::memory_quantity(s.memory));
        ASSERT_TRUE(millis && bytes);
        EXPECT_EQ(fargate::map(*millis, *bytes).size, s);
        EXPECT_EQ(*bytes, s.memory * k_mib);
    }
}
