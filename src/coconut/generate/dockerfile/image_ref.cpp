#include "coconut/generate/dockerfile/image_ref.hpp"

#include <algorithm>

namespace coconut::generate::dockerfile {

namespace {

bool is_lower_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Repository: lowercase path components of [a-z0-9._-], separated by '/'; the first component may
// be a registry host with a port and uppercase letters ("localhost:5000", "Registry.example.com").
bool is_valid_repository(std::string_view repo) {
    if (repo.empty() || repo.front() == '/' || repo.back() == '/' || repo.find("//") != std::string_view::npos)
        return false;
    std::size_t first_end = repo.find('/');
    std::string_view first = repo.substr(0, first_end);
    const bool has_host = first_end != std::string_view::npos &&
                          (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
                           first == "localhost");
    std::size_t pos = 0;
    if (has_host) {
        for (char c : first)
            if (!is_alnum(c) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') return false;
        pos = first_end + 1;
    }
    for (char c : repo.substr(pos)) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string ImageRef::str() const {
    std::string s = repository;
    if (!tag.empty()) s += ":" + tag;
    if (!digest.empty()) s += "@" + digest;
    return s;
}

bool is_digest(std::string_view text) {
    if (text.substr(0, 7) == "sha256:") return text.size() == 7 + 64 && is_lower_hex(text.substr(7));
    if (text.substr(0, 7) == "sha512:") return text.size() == 7 + 128 && is_lower_hex(text.substr(7));
    return false;
}

bool is_valid_tag(std::string_view text) {
    if (text.empty() || text.size() > 128) return false;
    if (!is_alnum(text.front()) && text.front() != '_') return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::optional<ImageRef> parse_image_ref(std::string_view text) {
    ImageRef ref;
    std::string_view rest = text;
    if (auto at = rest.find('@'); at != std::string_view::npos) {
        ref.digest = std::string(rest.substr(at + 1));
        if (!is_digest(ref.digest)) return std::nullopt;
        rest = rest.substr(0, at);
    }
    // A ':' after the last '/' separates the tag (a ':' before it belongs to a registry port).
    const std::size_t slash = rest.rfind('/');
    const std::size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        ref.tag = std::string(rest.substr(colon + 1));
        if (!is_valid_tag(ref.tag)) return std::nullopt;
        rest = rest.substr(0, colon);
    }
    if (!is_valid_repository(rest)) return std::nullopt;
    ref.repository = std::string(rest);
    return ref;
}

util::Expected<ImageRef> require_pinned(std::string_view text, std::string_view field) {
    auto ref = parse_image_ref(text);
    if (!ref)
        return util::fail(util::ErrorCode::Input, std::string(field) + ": '" + std::string(text) +
                                                      "' is not an image reference (name:tag or name:tag@sha256:<hex>)");
    if (ref->repository == "scratch" && ref->tag.empty() && ref->digest.empty()) return *ref;
    if (ref->digest.empty() && ref->tag.empty())
        return util::fail(util::ErrorCode::Input, std::string(field) + ": '" + std::string(text) +
                                                      "' is not pinned: add a tag (name:1.2.3) and optionally a digest (@sha256:...)");
    if (ref->digest.empty() && ref->tag == "latest")
        return util::fail(util::ErrorCode::Input, std::string(field) + ": '" + std::string(text) +
                                                      "' uses the moving tag 'latest': pin a version tag or a digest");
    return *ref;
}

}  // namespace coconut::generate::dockerfile
