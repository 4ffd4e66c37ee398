#pragma once
// Parsers for the value formats of coconut.yaml: Kubernetes CPU and memory quantities,
// durations and cron schedules. Used by validation and by consumers that compute with the
// values (the cost model needs cores and bytes). Every parser accepts arbitrary text and never
// throws; an invalid value yields std::nullopt or an explanation.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coconut::spec {

// "250m" -> 250, "0.5" -> 500, "2" -> 2000. At most millicore precision; must be > 0.
std::optional<std::int64_t> parse_cpu_millis(std::string_view text);
// "256Mi", "1Gi", "129M", "128974848", "1e9" -> bytes. Must be > 0. Lowercase `m` (milli-bytes,
// legal in Kubernetes but always a mistake) is rejected.
std::optional<double> parse_memory_bytes(std::string_view text);

// Why `text` is not a CPU / memory quantity, as a complete sentence fragment for messages:
// "invalid CPU quantity '250x': use millicores like 250m or cores like 0.5 or 2".
std::string cpu_error(std::string_view text);
std::string memory_error(std::string_view text);

// "10s", "1m30s", "500ms", "2h" (integers with units h, m, s, ms) -> milliseconds.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// Whole seconds, rounded up so that a non-zero duration never becomes 0.
std::int64_t duration_seconds(std::int64_t ms);
std::string duration_error(std::string_view text);

// nullopt when `text` is a valid Kubernetes CronJob schedule (5 fields or a macro such as
// @daily); otherwise the reason, e.g. "hour: 24 is out of range 0-23".
std::optional<std::string> cron_problem(std::string_view text);

// Splits a command string into words the way a POSIX shell would, without running one:
// whitespace separates words, '...' is literal, "..." allows \" \\ \$ \` escapes, a backslash
// outside quotes escapes the next character. nullopt on an unterminated quote.
std::optional<std::vector<std::string>> split_words(std::string_view text);

}  // namespace coconut::spec
