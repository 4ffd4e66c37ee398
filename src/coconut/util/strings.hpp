#pragma once
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coconut::util {

std::string join(std::span<const std::string> parts, std::string_view sep);
std::vector<std::string> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::string trim(std::string_view s);
std::string to_lower(std::string_view s);

// Optimal string alignment (Damerau-Levenshtein restricted) distance.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a distance that scales with the word's length, for
// "did you mean" suggestions; nullopt when nothing is close enough.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string> candidates);

// True when `s` is a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns1123_label(std::string_view s);
// DNS-1123 subdomain: dot-separated labels, at most 253 characters.
bool is_dns1123_subdomain(std::string_view s);

// Escapes a string for a JSON string literal body (no quotes).
std::string json_escape(std::string_view s);

}  // namespace coconut::util
