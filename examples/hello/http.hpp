#pragma once
// A strict, small HTTP/1.1 request parser for the hello demo service.
//
// Why not cpp-httplib (which DESIGN §12 lists)? This binary must link with `-static` so it can
// run in a `FROM scratch` image. Debian 12's libcpp-httplib-dev (0.11.4) ships only a shared
// library (libcpp-httplib.so, built against OpenSSL, zlib and brotli), no static archive; and its
// thread-per-connection model would need a pool sized against slow clients anyway. The
// service answers three fixed endpoints, so a single-threaded poll() loop with per-connection
// deadlines (see server.cpp) plus this parser is smaller than the glue around a library, has no
// dependency at all, and makes "slow clients cannot starve others" hold by construction.
#include <cstddef>
#include <string>
#include <string_view>

namespace hello {

inline constexpr std::size_t k_max_header_bytes = 8 * 1024;
inline constexpr std::size_t k_max_body_bytes = 64 * 1024;

enum class ParseStatus {
    Incomplete,          // need more bytes
    Complete,            // `request` is filled in, `consumed` bytes belong to it
    Bad,                 // 400
    HeadersTooLarge,     // 431
    BodyTooLarge,        // 413
    NotImplemented,      // 501 (Transfer-Encoding)
    VersionUnsupported,  // 505
};

struct Request {
    std::string method;
    std::string target;  // as sent
    std::string path;    // target without query/fragment (absolute-form reduced to its path)
    int minor_version = 1;  // HTTP/1.<minor>
    bool keep_alive = true;
    std::size_t consumed = 0;  // header block + body
};

// Parses the request at the start of `buffer`.
ParseStatus parse_request(std::string_view buffer, Request& request);

int status_for(ParseStatus status);
const char* reason_phrase(int code);

}  // namespace hello
