#include "http.hpp"

#include <vector>

namespace hello {

namespace {

// RFC 9110 tchar.
bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
        case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return false;
    }
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_tchar(c)) return false;
    }
    return true;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Visible ASCII, as allowed in a request-target.
bool is_target_char(char c) { return c > 0x20 && c < 0x7f; }

// Header field values: visible characters, SP, HTAB, and obs-text (bytes >= 0x80).
bool is_value_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

}  // namespace

ParseStatus parse_request(std::string_view buffer, Request& request) {
    request = Request{};
    // Ignore empty lines before the request line (RFC 9112 §2.2).
    std::size_t start = 0;
    while (start < buffer.size() && (buffer[start] == '\r' || buffer[start] == '\n')) ++start;
    if (start == buffer.size()) return start > k_max_header_bytes ? ParseStatus::Bad : ParseStatus::Incomplete;

    // The header block ends at the first empty line (CRLF CRLF; a bare LF is tolerated).
    std::size_t end = std::string_view::npos, body_start = 0;
    for (std::size_t i = start; i < buffer.size(); ++i) {
        if (buffer[i] != '\n') continue;
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') {
            end = i;
            body_start = i + 2;
            break;
        }
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            end = i;
            body_start = i + 3;
            break;
        }
    }
    if (end == std::string_view::npos) {
        return buffer.size() - start > k_max_header_bytes ? ParseStatus::HeadersTooLarge : ParseStatus::Incomplete;
    }
    if (end - start > k_max_header_bytes) return ParseStatus::HeadersTooLarge;

    std::vector<std::string_view> lines;
    for (std::size_t pos = start; pos <= end;) {
        std::size_t nl = buffer.find('\n', pos);
        if (nl == std::string_view::npos || nl > end) nl = end;
        std::string_view line = buffer.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        pos = nl + 1;
    }

    // request-line = method SP request-target SP HTTP-version
    std::string_view line = lines.front();
    const std::size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return ParseStatus::Bad;
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return ParseStatus::Bad;
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || target.empty()) return ParseStatus::Bad;
    for (char c : target) {
        if (!is_target_char(c)) return ParseStatus::Bad;
    }
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return ParseStatus::Bad;
    if (version[5] != '1') return ParseStatus::VersionUnsupported;
    request.minor_version = version[7] - '0';
    request.method = std::string(method);
    request.target = std::string(target);

    // origin-form "/path?query", or absolute-form "http://host/path" (RFC 9112 §3.2.2).
    std::string_view path = target;
    if (path.front() != '/') {
        std::size_t scheme_end = path.find("://");
        if (scheme_end == std::string_view::npos || !(iequals(path.substr(0, scheme_end), "http") ||
                                                      iequals(path.substr(0, scheme_end), "https")))
            return ParseStatus::Bad;
        std::size_t slash = path.find('/', scheme_end + 3);
        path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
    }
    path = path.substr(0, path.find_first_of("?#"));
    request.path = path.empty() ? std::string("/") : std::string(path);

    bool has_host = false, has_length = false, conn_close = false, conn_keep_alive = false;
    std::size_t content_length = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        std::string_view h = lines[i];
        if (h.empty()) continue;
        if (h.front() == ' ' || h.front() == '\t') return ParseStatus::Bad;  // obsolete line folding
        const std::size_t colon = h.find(':');
        if (colon == std::string_view::npos) return ParseStatus::Bad;
        std::string_view name = h.substr(0, colon);
        std::string_view value = trim_ows(h.substr(colon + 1));
        if (!is_token(name)) return ParseStatus::Bad;  // includes "Name :" (whitespace before colon)
        for (char c : value) {
            if (!is_value_char(c)) return ParseStatus::Bad;
        }
        if (iequals(name, "host")) {
            if (has_host) return ParseStatus::Bad;
            has_host = true;
        } else if (iequals(name, "content-length")) {
            if (value.empty() || value.size() > 9) {
                if (value.size() > 9 && value.find_first_not_of("0123456789") == std::string_view::npos)
                    return ParseStatus::BodyTooLarge;
                return ParseStatus::Bad;
            }
            std::size_t n = 0;
            for (char c : value) {
                if (c < '0' || c > '9') return ParseStatus::Bad;
                n = n * 10 + static_cast<std::size_t>(c - '0');
            }
            if (has_length && n != content_length) return ParseStatus::Bad;
            has_length = true;
            content_length = n;
        } else if (iequals(name, "transfer-encoding")) {
            return ParseStatus::NotImplemented;
        } else if (iequals(name, "connection")) {
            std::string_view rest = value;
            while (!rest.empty()) {
                std::size_t comma = rest.find(',');
                std::string_view token = trim_ows(rest.substr(0, comma));
                if (iequals(token, "close")) conn_close = true;
                if (iequals(token, "keep-alive")) conn_keep_alive = true;
                if (comma == std::string_view::npos) break;
                rest.remove_prefix(comma + 1);
            }
        }
    }
    if (request.minor_version >= 1 && !has_host) return ParseStatus::Bad;  // RFC 9112 §3.2
    if (content_length > k_max_body_bytes) return ParseStatus::BodyTooLarge;
    if (buffer.size() - body_start < content_length) return ParseStatus::Incomplete;

    request.keep_alive = request.minor_version >= 1 ? !conn_close : (conn_keep_alive && !conn_close);
    request.consumed = body_start + content_length;
    return ParseStatus::Complete;
}

int status_for(ParseStatus status) {
    switch (status) {
        case ParseStatus::Bad: return 400;
        case ParseStatus::HeadersTooLarge: return 431;
        case ParseStatus::BodyTooLarge: return 413;
        case ParseStatus::NotImplemented: return 501;
        case ParseStatus::VersionUnsupported: return 505;
        case ParseStatus::Incomplete:
        case ParseStatus::Complete: break;
    }
    return 200;
}

const char* reason_phrase(int code) {
    switch (code) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 413: return "Content Too Large";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 503: return "Service Unavailable";
        case 505: return "HTTP Version Not Supported";
        default: return "Unknown";
    }
}

}  // namespace hello
