#include "coconut/generate/dockerfile/health_command.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace coconut::generate::dockerfile {

using spec::Runtime;

HealthCommand default_health_command(const spec::Service& svc, const spec::Build& build, int port) {
    const spec::Health& h = *svc.health;
    // The preset commands put the path into a URL inside quoted program text.
    const bool safe_path = std::all_of(h.path.begin(), h.path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '-' || c == '_' || c == '.' ||
               c == '~';
    });
    if (!safe_path)
        return {{}, "the health path has characters that cannot be quoted safely in the preset's check command"};
    const std::string p = std::to_string(port);
    const std::string url = "http://127.0.0.1:" + p + h.path;
    const std::string timeout = std::to_string(std::max<std::int64_t>(1, h.timeout.seconds));
    switch (build.runtime) {
        case Runtime::Node:
            if (h.path.empty())
                return {{"node", "-e",
                         "require('net').connect(" + p +
                             ", '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"},
                        {}};
            return {{"node", "-e",
                     "require('http').get('" + url +
                         "', (r) => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))"},
                    {}};
        case Runtime::Python:
            if (h.path.empty())
                return {{"python", "-c",
                         "import socket; socket.create_connection(('127.0.0.1', " + p + "), timeout=" + timeout +
                             ").close()"},
                        {}};
            return {{"python", "-c", "import urllib.request; urllib.request.urlopen('" + url + "', timeout=" + timeout + ")"},
                    {}};
        case Runtime::Java:
            // eclipse-temurin images ship curl and bash.
            if (h.path.empty()) return {{"bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + p}, {}};
            return {{"curl", "-fsS", "-o", "/dev/null", "--max-time", timeout, url}, {}};
        case Runtime::Go: return {{}, "the distroless base has no shell and no HTTP client"};
        case Runtime::Static: return {{}, "scratch has no shell and no HTTP client"};
        case Runtime::Dockerfile: break;
    }
    return {};
}

HealthCommand image_health_check(const spec::Service& s) {
    if (s.build && !s.build->healthcheck.empty()) return {s.build->healthcheck, {}};
    if (s.health && !s.health->command.empty()) return {s.health->command, {}};  // an exec check: the same command
    if (!s.health) return {{}, "the service has no `health`"};
    if (!s.build) return {{}, "coconut does not build the image, so it does not know which tools it has"};
    const int port = s.health->port ? s.health->port : s.port;
    if (port == 0) return {{}, "`health` names no port and the service has none"};
    return default_health_command(s, *s.build, port);
}

}  // namespace coconut::generate::dockerfile
