#include "coconut/spec/fargate.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "coconut/spec/quantity.hpp"

namespace coconut::spec::fargate {

namespace {

struct Range {
    int cpu, min, max, step;
};
// AWS ECS Developer Guide, "Task CPU and memory" (Fargate, Linux); 0.25 vCPU lists 512, 1024
// and 2048 (2048 is its last 1024-step).
constexpr Range k_ranges[] = {
    {256, 512, 2048, 512},  // only 512, 1024 and 2048 (build_sizes)
    {512, 1024, 4096, 1024},    {1024, 2048, 8192, 1024},   {2048, 4096, 16384, 1024},
    {4096, 8192, 30720, 1024},  {8192, 16384, 61440, 4096}, {16384, 32768, 122880, 8192},
};

std::vector<Size> build_sizes() {
    std::vector<Size> out;
    for (const auto& r : k_ranges) {
        if (r.cpu == 256) {
            for (int m : {512, 1024, 2048}) out.push_back({256, m});
            continue;
        }
        for (int m = r.min; m <= r.max; m += r.step) out.push_back({r.cpu, m});
    }
    return out;
}

[[maybe_unused]] const Range* range_of(int cpu) {
    for (const auto& r : k_ranges)
        if (r.cpu == cpu) return &r;
    return nullptr;
}

// Relative monthly price of a size (us-east-1 Linux/x86 Fargate: $0.04048 per vCPU-hour,
// $0.004445 per GB-hour); used only to pick the cheapest suggestion.
double price(Size s) { return s.cpu / 1024.0 * 0.04048 + s.memory / 1024.0 * 0.004445; }

std::string trim_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

const std::vector<Size>& valid_sizes() {
    static const std::vector<Size> sizes = build_sizes();
    return sizes;
}

bool is_valid(Size s) {
    for (const auto& v : valid_sizes())
        if (v == s) return true;
    return false;
}

Mapping map(std::int64_t cpu_millis, double memory_bytes) {
    Mapping out;
    // The request in the units Fargate counts: CPU units (1/1024 vCPU) and MiB, rounded up.
    const double cpu_units = static_cast<double>(cpu_millis) * 1024.0 / 1000.0;
    const double mib = memory_bytes / (1024.0 * 1024.0);
    const int want_cpu = static_cast<int>(std::min(std::ceil(cpu_units - 1e-9), 1e9));
    const int want_mem = static_cast<int>(std::min(std::ceil(mib - 1e-9), 1e9));

    const Range* chosen = nullptr;
    for (const auto& r : k_ranges)
        if (r.cpu >= want_cpu) {
            chosen = &r;
            break;
        }
    if (chosen) {
        for (const auto& s : valid_sizes())
            if (s.cpu == chosen->cpu && s.memory >= want_mem) {
                out.size = s;
                return out;
            }
    }
    // No valid size: say why, and suggest the cheapest size that holds both (or the largest).
    if (!chosen) {
        out.problem = "Fargate's largest task has 16 vCPU (the request needs " + cpu_text(want_cpu) + ")";
    } else if (want_mem > 122880) {
        out.problem = "Fargate's largest task has 120 GiB of memory (the request needs " + memory_text(want_mem) + ")";
    } else {
        out.problem = "Fargate has no task size with " + cpu_text(chosen->cpu) + " and " + memory_text(want_mem) +
                      " (" + cpu_text(chosen->cpu) + " allows " + memory_text(chosen->min) + " to " +
                      memory_text(chosen->max) + ")";
    }
    std::optional<Size> best;
    for (const auto& s : valid_sizes())
        if (s.cpu >= want_cpu && s.memory >= want_mem && (!best || price(s) < price(*best))) best = s;
    if (!best) {
        // Over the maximum in some dimension: the largest task that holds the rest.
        for (const auto& s : valid_sizes())
            if ((s.cpu >= want_cpu || s.cpu == 16384) && (s.memory >= want_mem || s.memory == 122880) &&
                (!best || price(s) < price(*best)))
                best = s;
    }
    out.suggestion = best;
    if (best) out.size = *best;
    return out;
}

Mapping map(const Resources& r) {
    const std::string& cpu = r.cpu_limit.empty() ? r.cpu : r.cpu_limit;
    const std::string& memory = r.memory_limit.empty() ? r.memory : r.memory_limit;
    const auto c = parse_cpu_millis(cpu);
    const auto m = parse_memory_bytes(memory);
    return map(c.value_or(1), m.value_or(1.0));
}

std::string cpu_text(int units) { return trim_number(units / 1024.0) + " vCPU"; }

std::string memory_text(int mib) {
    if (mib >= 1024) return trim_number(mib / 1024.0) + " GiB";
    return std::to_string(mib) + " MiB";
}

std::string cpu_quantity(int units) {
    if (units % 1024 == 0) return std::to_string(units / 1024);
    return std::to_string(units * 1000 / 1024) + "m";  // 256 -> 250m, 512 -> 500m
}

std::string memory_quantity(int mib) {
    if (mib % 1024 == 0) return std::to_string(mib / 1024) + "Gi";
    return std::to_string(mib) + "Mi";
}

}  // namespace coconut::spec::fargate
