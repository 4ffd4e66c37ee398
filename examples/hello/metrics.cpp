#include "metrics.hpp"

#include <charconv>
#include <cstdio>
#include <system_error>

namespace hello {

namespace {

// The shortest text that reads back as the same double.
std::string format_double(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

std::string format_bound(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string_view Metrics::path_label(std::string_view path) {
    if (path == "/" || path == "/healthz" || path == "/metrics") return path;
    return "other";
}

void Metrics::observe(int code, std::string_view path_label, double seconds) {
    ++m_requests[{code, std::string(path_label)}];
    for (std::size_t i = 0; i < k_bounds.size(); ++i) {
        if (seconds <= k_bounds[i]) {
            ++m_bucket_counts[i];
            break;
        }
    }
    ++m_count;
    m_sum += seconds;
}

std::string Metrics::render(bool ready) const {
    std::string out;
    out += "# HELP http_requests_total HTTP requests answered, by status code and path.\n";
    out += "# TYPE http_requests_total counter\n";
    for (const auto& [key, n] : m_requests) {
        out += "http_requests_total{code=\"" + std::to_string(key.first) + "\",path=\"" + escape_label_value(key.second) +
               "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP http_request_duration_seconds Time from a complete request to its response being queued.\n";
    out += "# TYPE http_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < k_bounds.size(); ++i) {
        cumulative += m_bucket_counts[i];
        out += "http_request_duration_seconds_bucket{le=\"" + format_bound(k_bounds[i]) + "\"} " +
               std::to_string(cumulative) + "\n";
    }
    out += "http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(m_count) + "\n";
    out += "http_request_duration_seconds_sum " + format_double(m_sum) + "\n";
    out += "http_request_duration_seconds_count " + std::to_string(m_count) + "\n";
    out += "# HELP hello_build_info The running version of the hello service.\n";
    out += "# TYPE hello_build_info gauge\n";
    out += "hello_build_info{version=\"" + escape_label_value(m_version) + "\"} 1\n";
    out += "# HELP hello_ready Whether /healthz answers 200 (0 during the startup delay).\n";
    out += "# TYPE hello_ready gauge\n";
    out += std::string("hello_ready ") + (ready ? "1" : "0") + "\n";
    out += "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n";
    out += "# TYPE process_start_time_seconds gauge\n";
    char start[64];
    std::snprintf(start, sizeof start, "%.3f", m_start_time);
    out += std::string("process_start_time_seconds ") + start + "\n";
    return out;
}

}  // namespace hello
