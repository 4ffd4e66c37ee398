#pragma once
// The service's own Prometheus metrics, rendered in the text exposition format 0.0.4.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace hello {

inline constexpr const char* k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

class Metrics {
public:
    Metrics(std::string version, double start_time_seconds)
        : m_version(std::move(version)), m_start_time(start_time_seconds) {}

    // One answered request: status code, path label (a fixed set: see path_label()), latency.
    void observe(int code, std::string_view path_label, double seconds);

    [[nodiscard]] std::string render(bool ready) const;

    // Paths outside the fixed set are reported as "other", so clients cannot blow up the
    // number of time series by requesting random URLs.
    static std::string_view path_label(std::string_view path);

private:
    // The Prometheus client libraries' default buckets (seconds).
    static constexpr std::array<double, 11> k_bounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    std::string m_version;
    double m_start_time;
    std::map<std::pair<int, std::string>, std::uint64_t> m_requests;
    std::array<std::uint64_t, k_bounds.size()> m_bucket_counts{};  // not cumulative; render() sums
    std::uint64_t m_count = 0;
    double m_sum = 0;
};

// A label value escaped for the exposition format (backslash, double quote, newline).
std::string escape_label_value(std::string_view value);

}  // namespace hello
