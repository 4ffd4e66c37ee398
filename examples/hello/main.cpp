// hello: the demo service coconut builds, deploys, breaks on purpose and rolls back.
//
//   GET /         200 "hello from coconut <version>\n"  (500 for HELLO_FAILURE_RATE of them)
//   GET /healthz  200 "ok\n"  (503 "starting\n" during HELLO_STARTUP_DELAY)
//   GET /metrics  Prometheus text format 0.0.4
//
// One thread, one poll() loop, non-blocking sockets and per-connection deadlines: a slow or
// silent client holds one connection slot until its deadline, never the server. SIGTERM stops
// accepting, lets requests in flight finish, closes idle keep-alive connections, exits 0.
// See README.md for the environment knobs, and http.hpp for why there is no HTTP library.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <list>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "metrics.hpp"

#ifndef HELLO_DEFAULT_VERSION
#define HELLO_DEFAULT_VERSION "dev"
#endif

namespace hello {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t k_max_connections = 512;
constexpr std::size_t k_max_pending_output = 256 * 1024;  // stop parsing pipelined requests beyond this

struct Config {
    std::string version = HELLO_DEFAULT_VERSION;
    double failure_rate = 0;
    double startup_delay = 0;      // seconds
    double latency = 0;            // seconds added to every `/` answer
    double header_timeout = 10;    // seconds from a request's first byte to its last
    double idle_timeout = 5;       // seconds a keep-alive connection may sit idle
    double shutdown_timeout = 10;  // seconds to finish in-flight requests after SIGTERM
    int port = 8080;
    std::string listen = "0.0.0.0";
};

[[noreturn]] void die_usage(const std::string& message) {
    std::fprintf(stderr, "hello: %s\n", message.c_str());
    std::exit(2);
}

std::optional<double> parse_number(const char* text) {
    if (text == nullptr || *text == '\0') return std::nullopt;
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(v == v) || v > 1e9 || v < -1e9) return std::nullopt;
    return v;
}

double env_number(const char* name, double fallback, double min, double max) {
    const char* raw = std::getenv(name);
    if (raw == nullptr || *raw == '\0') return fallback;
    auto v = parse_number(raw);
    if (!v || *v < min || *v > max) {
        char range[96];
        std::snprintf(range, sizeof range, "a number from %g to %g", min, max);
        die_usage(std::string(name) + " must be " + range + ", got '" + raw + "'");
    }
    return *v;
}

Config config_from_env() {
    Config c;
    if (const char* v = std::getenv("HELLO_VERSION"); v != nullptr && *v != '\0') c.version = v;
    c.failure_rate = env_number("HELLO_FAILURE_RATE", 0, 0, 1);
    c.startup_delay = env_number("HELLO_STARTUP_DELAY", 0, 0, 86400);
    c.latency = env_number("HELLO_LATENCY", 0, 0, 60);
    c.header_timeout = env_number("HELLO_HEADER_TIMEOUT", 10, 0.1, 3600);
    c.idle_timeout = env_number("HELLO_IDLE_TIMEOUT", 5, 0.1, 3600);
    c.shutdown_timeout = env_number("HELLO_SHUTDOWN_TIMEOUT", 10, 0, 3600);
    const double port = env_number("PORT", 8080, 0, 65535);
    if (port != static_cast<int>(port)) die_usage("PORT must be an integer from 0 to 65535");
    c.port = static_cast<int>(port);
    if (const char* v = std::getenv("HELLO_LISTEN"); v != nullptr && *v != '\0') c.listen = v;
    return c;
}

milliseconds seconds_to_ms(double s) { return milliseconds(static_cast<long long>(s * 1000.0 + 0.5)); }

// --- signals: the handler only writes a byte to a pipe the poll loop watches ------------------

int g_signal_pipe[2] = {-1, -1};

extern "C" void on_terminate(int) {
    const int saved = errno;
    const char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
    errno = saved;
}

void install_signal_handlers() {
    if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        std::perror("hello: pipe2");
        std::exit(1);
    }
    struct sigaction sa {};
    sa.sa_handler = on_terminate;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server
}

// --- sockets ----------------------------------------------------------------------------------

struct Listener {
    int fd = -1;
    std::string address;  // "127.0.0.1:8080", "[::1]:8080"
};

Listener open_listener(const Config& config) {
    sockaddr_storage storage{};
    socklen_t len = 0;
    const bool v6 = config.listen.find(':') != std::string::npos;
    std::string host = config.listen;
    if (v6 && host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (v6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(static_cast<std::uint16_t>(config.port));
        if (::inet_pton(AF_INET6, host.c_str(), &a->sin6_addr) != 1)
            die_usage("HELLO_LISTEN must be an IPv4 or IPv6 address, got '" + config.listen + "'");
        len = sizeof(sockaddr_in6);
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(static_cast<std::uint16_t>(config.port));
        if (::inet_pton(AF_INET, host.c_str(), &a->sin_addr) != 1)
            die_usage("HELLO_LISTEN must be an IPv4 or IPv6 address, got '" + config.listen + "'");
        len = sizeof(sockaddr_in);
    }
    int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        std::perror("hello: socket");
        std::exit(1);
    }
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), len) != 0 || ::listen(fd, 128) != 0) {
        std::fprintf(stderr, "hello: cannot listen on %s port %d: %s\n", config.listen.c_str(), config.port,
                     std::strerror(errno));
        std::exit(1);
    }
    // With PORT=0 the kernel picks a free port: report the real one.
    sockaddr_storage bound{};
    socklen_t bound_len = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len);
    const int port = v6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    Listener l;
    l.fd = fd;
    l.address = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    return l;
}

// --- connections --------------------------------------------------------------------------------

struct Connection {
    int fd = -1;
    std::string in;
    std::string out;
    std::size_t out_offset = 0;
    bool close_after_write = false;  // close once `out` is flushed
    bool lingering = false;          // answer sent and write side shut: draining input before close
    bool closed = false;
    // A response held back by HELLO_LATENCY, released at respond_at.
    std::optional<Clock::time_point> respond_at;
    std::string delayed_response;
    // Deadlines: the current request must be complete by request_deadline (set at its first
    // byte, never extended: dribbling bytes does not buy time); an idle connection is closed at
    // idle_deadline; a response must be taken by the client before write_deadline.
    Clock::time_point request_deadline{};
    Clock::time_point idle_deadline{};
    Clock::time_point write_deadline{};
    Clock::time_point linger_deadline{};

    [[nodiscard]] bool writing() const { return out_offset < out.size(); }
    [[nodiscard]] bool idle() const { return in.empty() && !writing() && !respond_at && !lingering; }
};

class Server {
public:
    Server(Config config, Listener listener)
        : m_config(std::move(config)),
          m_listener(std::move(listener)),
          m_started(Clock::now()),
          m_ready_at(m_started + seconds_to_ms(m_config.startup_delay)),
          m_metrics(m_config.version, wall_clock_seconds()),
          m_rng(std::random_device{}()) {}

    int run();

private:
    static double wall_clock_seconds() {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }

    void accept_all(Clock::time_point now);
    void on_readable(Connection& c, Clock::time_point now);
    void on_writable(Connection& c, Clock::time_point now);
    void process_requests(Connection& c, Clock::time_point now);
    void queue(Connection& c, std::string response, Clock::time_point now);
    std::string respond(const Request& request, bool close, Clock::time_point now);
    std::string error_response(int code);
    void close_connection(Connection& c);
    void begin_shutdown(Clock::time_point now);
    std::optional<Clock::time_point> next_deadline(const Connection& c) const;
    void check_deadlines(Connection& c, Clock::time_point now);

    static std::string http_response(int code, std::string_view content_type, std::string_view body, bool close,
                                     bool head, std::string_view extra_headers = {});

    Config m_config;
    Listener m_listener;
    Clock::time_point m_started;
    Clock::time_point m_ready_at;
    Metrics m_metrics;
    std::mt19937_64 m_rng;
    std::list<Connection> m_connections;
    bool m_draining = false;
    Clock::time_point m_shutdown_deadline{};
    Clock::time_point m_accept_paused_until{};
};

std::string http_date() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::string Server::http_response(int code, std::string_view content_type, std::string_view body, bool close, bool head,
                                   std::string_view extra_headers) {
    std::string r = "HTTP/1.1 " + std::to_string(code) + " " + reason_phrase(code) + "\r\n";
    r += "Date: " + http_date() + "\r\n";
    r += "Content-Type: ";
    r += content_type;
    r += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    r += "Cache-Control: no-store\r\n";
    r += extra_headers;
    r += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    r += "\r\n";
    if (!head) r += body;
    return r;
}

std::string Server::error_response(int code) {
    m_metrics.observe(code, "other", 0);
    std::string body = std::string(reason_phrase(code)) + "\n";
    for (auto& ch : body) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return http_response(code, "text/plain; charset=utf-8", body, true, false);
}

std::string Server::respond(const Request& req, bool close, Clock::time_point now) {
    const bool head = req.method == "HEAD";
    const bool get_like = req.method == "GET" || head;
    const std::string_view label = Metrics::path_label(req.path);
    const char* text = "text/plain; charset=utf-8";
    int code = 200;
    std::string response;
    if (label == "other") {
        code = 404;
        response = http_response(code, text, "not found\n", close, head);
    } else if (!get_like) {
        code = 405;
        response = http_response(code, text, "method not allowed\n", close, false, "Allow: GET, HEAD\r\n");
    } else if (req.path == "/") {
        std::uniform_real_distribution<double> dist(0.0, 1.0);
        if (m_config.failure_rate > 0 && dist(m_rng) < m_config.failure_rate) {
            code = 500;
            response = http_response(code, text, "simulated failure (HELLO_FAILURE_RATE)\n", close, head);
        } else {
            response = http_response(code, text, "hello from coconut " + m_config.version + "\n", close, head);
        }
    } else if (req.path == "/healthz") {
        if (now < m_ready_at) {
            code = 503;
            response = http_response(code, text, "starting\n", close, head, "Retry-After: 1\r\n");
        } else {
            response = http_response(code, text, "ok\n", close, head);
        }
    } else {  // /metrics
        response = http_response(code, k_metrics_content_type, m_metrics.render(now >= m_ready_at), close, head);
    }
    // Latency is observed when the response is queued; for `/` with HELLO_LATENCY that is after
    // the injected delay (see process_requests).
    const double extra = (req.path == "/" && m_config.latency > 0) ? m_config.latency : 0;
    m_metrics.observe(code, label, std::chrono::duration<double>(Clock::now() - now).count() + extra);
    return response;
}

void Server::queue(Connection& c, std::string response, Clock::time_point now) {
    if (!c.writing()) {
        c.out.clear();
        c.out_offset = 0;
        c.write_deadline = now + seconds_to_ms(m_config.header_timeout);
    }
    c.out += response;
    on_writable(c, now);  // try at once: usually the whole answer fits in the socket buffer
}

void Server::process_requests(Connection& c, Clock::time_point now) {
    while (!c.closed && !c.close_after_write && !c.respond_at && !c.in.empty() &&
           c.out.size() - c.out_offset < k_max_pending_output) {
        Request req;
        const ParseStatus status = parse_request(c.in, req);
        if (status == ParseStatus::Incomplete) return;
        if (status != ParseStatus::Complete) {
            c.in.clear();
            c.close_after_write = true;
            queue(c, error_response(status_for(status)), now);
            return;
        }
        c.in.erase(0, req.consumed);
        if (!c.in.empty()) c.request_deadline = now + seconds_to_ms(m_config.header_timeout);  // pipelined
        const bool close = !req.keep_alive || m_draining;
        if (close) c.close_after_write = true;
        std::string response = respond(req, close, now);
        if (req.path == "/" && m_config.latency > 0) {
            c.respond_at = now + seconds_to_ms(m_config.latency);
            c.delayed_response = std::move(response);
            return;
        }
        queue(c, std::move(response), now);
    }
}

void Server::close_connection(Connection& c) {
    if (c.closed) return;
    ::close(c.fd);
    c.closed = true;
}

void Server::on_readable(Connection& c, Clock::time_point now) {
    char buf[16 * 1024];
    if (c.lingering) {  // discard whatever the client still sends until it closes too
        for (;;) {
            ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
            close_connection(c);
            return;
        }
    }
    bool eof = false;
    for (int rounds = 0; rounds < 4; ++rounds) {
        ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
            if (c.in.empty()) c.request_deadline = now + seconds_to_ms(m_config.header_timeout);
            c.in.append(buf, static_cast<std::size_t>(n));
            if (c.in.size() > k_max_header_bytes + k_max_body_bytes + 4096) break;  // the parser decides
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
        if (n < 0) {  // reset: nobody to answer
            close_connection(c);
            return;
        }
        eof = true;  // the client half-closed: answer what it sent, then close
        break;
    }
    process_requests(c, now);
    if (eof && !c.closed) {
        if (c.writing() || c.respond_at) c.close_after_write = true;
        else close_connection(c);
    }
}

void Server::on_writable(Connection& c, Clock::time_point now) {
    while (c.writing()) {
        ssize_t n = ::send(c.fd, c.out.data() + c.out_offset, c.out.size() - c.out_offset, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_offset += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
        close_connection(c);
        return;
    }
    c.out.clear();
    c.out_offset = 0;
    if (c.close_after_write && !c.respond_at) {
        // Lingering close: closing a socket with unread input makes the kernel send a reset,
        // which can destroy the answer (e.g. a 431 or 400) before the client reads it. Shut the
        // write side, then read and drop input until the client closes or a second passes.
        ::shutdown(c.fd, SHUT_WR);
        c.in.clear();
        c.lingering = true;
        c.linger_deadline = now + milliseconds(1000);
        return;
    }
    c.idle_deadline = now + seconds_to_ms(m_config.idle_timeout);
    if (m_draining && c.idle()) {
        close_connection(c);
        return;
    }
    process_requests(c, now);  // pipelined requests held back while the output was full
}

std::optional<Clock::time_point> Server::next_deadline(const Connection& c) const {
    if (c.closed) return std::nullopt;
    if (c.lingering) return c.linger_deadline;
    if (c.writing()) return c.write_deadline;
    if (c.respond_at) return *c.respond_at;
    if (!c.in.empty()) return c.request_deadline;
    return c.idle_deadline;
}

void Server::check_deadlines(Connection& c, Clock::time_point now) {
    if (c.closed) return;
    if (c.lingering) {
        if (now >= c.linger_deadline) close_connection(c);
        return;
    }
    if (c.respond_at && now >= *c.respond_at && !c.writing()) {
        c.respond_at.reset();
        queue(c, std::move(c.delayed_response), now);
        c.delayed_response.clear();
        if (!c.closed && !c.writing()) process_requests(c, now);
        return;
    }
    if (c.writing()) {
        if (now >= c.write_deadline) close_connection(c);  // the client does not read its answers
        return;
    }
    if (c.respond_at) return;
    if (!c.in.empty()) {
        if (now >= c.request_deadline) {  // slow or stuck request: 408 and close
            c.in.clear();
            c.close_after_write = true;
            queue(c, error_response(408), now);
        }
        return;
    }
    if (now >= c.idle_deadline) close_connection(c);
}

void Server::accept_all(Clock::time_point now) {
    while (m_connections.size() < k_max_connections) {
        int fd = ::accept4(m_listener.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                m_accept_paused_until = now + milliseconds(100);  // no busy loop when out of fds
            return;
        }
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        Connection c;
        c.fd = fd;
        // The first request must start within the idle timeout.
        c.idle_deadline = now + seconds_to_ms(m_config.idle_timeout);
        m_connections.push_back(std::move(c));
    }
}

void Server::begin_shutdown(Clock::time_point now) {
    if (m_draining) return;
    m_draining = true;
    m_shutdown_deadline = now + seconds_to_ms(m_config.shutdown_timeout);
    ::close(m_listener.fd);  // stop accepting: new connections are refused from here on
    m_listener.fd = -1;
    std::size_t in_flight = 0;
    for (auto& c : m_connections) {
        if (c.idle()) on_readable(c, now);  // a request already sent but not yet read is in flight too
        if (c.closed) continue;
        if (c.idle()) close_connection(c);
        else ++in_flight;
    }
    std::fprintf(stderr, "hello: terminating: stopped accepting, %zu request(s) in flight\n", in_flight);
}

int Server::run() {
    std::vector<pollfd> fds;
    std::vector<Connection*> owners;
    for (;;) {
        const auto now = Clock::now();
        for (auto& c : m_connections) check_deadlines(c, now);
        m_connections.remove_if([](const Connection& c) { return c.closed; });
        if (m_draining) {
            if (m_connections.empty()) break;
            if (now >= m_shutdown_deadline) {
                std::fprintf(stderr, "hello: shutdown timeout: closing %zu connection(s)\n", m_connections.size());
                for (auto& c : m_connections) close_connection(c);
                break;
            }
        }

        fds.clear();
        owners.clear();
        fds.push_back(pollfd{g_signal_pipe[0], POLLIN, 0});
        owners.push_back(nullptr);
        const bool accepting = m_listener.fd >= 0 && m_connections.size() < k_max_connections && now >= m_accept_paused_until;
        if (accepting) {
            fds.push_back(pollfd{m_listener.fd, POLLIN, 0});
            owners.push_back(nullptr);
        }
        auto wake = now + milliseconds(1000);
        if (!accepting && m_listener.fd >= 0) wake = std::min(wake, m_accept_paused_until + milliseconds(1));
        if (m_draining) wake = std::min(wake, m_shutdown_deadline);
        for (auto& c : m_connections) {
            short events = 0;
            if (c.lingering || (!c.close_after_write && !c.respond_at)) events |= POLLIN;
            if (c.writing()) events |= POLLOUT;
            fds.push_back(pollfd{c.fd, events, 0});
            owners.push_back(&c);
            if (auto d = next_deadline(c)) wake = std::min(wake, *d);
        }
        const auto wait = std::chrono::ceil<milliseconds>(wake - now).count();
        const int rc = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, wait)));
        if (rc < 0 && errno != EINTR) {
            std::perror("hello: poll");
            return 1;
        }
        if (rc <= 0) continue;
        const auto after = Clock::now();
        if ((fds[0].revents & POLLIN) != 0) {
            char drain[64];
            while (::read(g_signal_pipe[0], drain, sizeof drain) > 0) {
            }
            begin_shutdown(after);
        }
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (fds[i].revents == 0) continue;
            Connection* c = owners[i];
            if (c == nullptr) {
                if (!m_draining) accept_all(after);
                continue;
            }
            if (c->closed) continue;
            if ((fds[i].revents & (POLLERR | POLLHUP)) != 0) {  // reset or fully closed: cannot answer
                close_connection(*c);
                continue;
            }
            if ((fds[i].revents & POLLOUT) != 0) on_writable(*c, after);
            if (!c->closed && (fds[i].revents & POLLIN) != 0) on_readable(*c, after);
        }
    }
    std::fprintf(stderr, "hello: stopped\n");
    return 0;
}

// `hello healthcheck`: for container HEALTHCHECKs in images without curl. GET /healthz on
// 127.0.0.1:$PORT; exit 0 on 200, 1 otherwise.
int healthcheck(const Config& config) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 1;
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(config.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::fprintf(stderr, "hello healthcheck: cannot connect to 127.0.0.1:%d: %s\n", config.port, std::strerror(errno));
        ::close(fd);
        return 1;
    }
    const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
        ::close(fd);
        return 1;
    }
    char buf[256];
    std::string head;
    ssize_t n;
    while (head.size() < 12 && (n = ::recv(fd, buf, sizeof buf, 0)) > 0) head.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    const bool ok = head.rfind("HTTP/1.1 200 ", 0) == 0;
    std::fprintf(stderr, "hello healthcheck: %s\n", ok ? "ok" : head.empty() ? "no answer" : head.substr(0, head.find('\r')).c_str());
    return ok ? 0 : 1;
}

void print_help() {
    std::printf(
        "hello %s: the coconut demo service\n\n"
        "usage: hello [healthcheck]\n\n"
        "  GET /         \"hello from coconut <version>\"\n"
        "  GET /healthz  200 \"ok\" (503 during the startup delay)\n"
        "  GET /metrics  Prometheus metrics\n\n"
        "environment:\n"
        "  PORT                    port to listen on (default 8080; 0 = any free port)\n"
        "  HELLO_LISTEN            address to listen on (default 0.0.0.0; IPv6 literals work)\n"
        "  HELLO_VERSION           version reported by / and /metrics (default %s)\n"
        "  HELLO_FAILURE_RATE      0.0-1.0: fraction of / requests answered with 500\n"
        "  HELLO_STARTUP_DELAY     seconds during which /healthz answers 503\n"
        "  HELLO_LATENCY           seconds added to every / answer\n"
        "  HELLO_HEADER_TIMEOUT    seconds a client has to send a whole request (default 10)\n"
        "  HELLO_IDLE_TIMEOUT      seconds an idle keep-alive connection stays open (default 5)\n"
        "  HELLO_SHUTDOWN_TIMEOUT  seconds to finish requests in flight after SIGTERM (default 10)\n",
        HELLO_DEFAULT_VERSION, HELLO_DEFAULT_VERSION);
}

}  // namespace

}  // namespace hello

int main(int argc, char** argv) {
    using namespace hello;
    std::string_view arg = argc > 1 ? argv[1] : "";
    if (arg == "-h" || arg == "--help") {
        print_help();
        return 0;
    }
    if (arg == "--version") {
        std::printf("hello %s\n", HELLO_DEFAULT_VERSION);
        return 0;
    }
    Config config = config_from_env();
    if (arg == "healthcheck") return healthcheck(config);
    if (argc > 1) die_usage("unknown argument '" + std::string(arg) + "' (see --help)");

    install_signal_handlers();
    Listener listener = open_listener(config);
    std::fprintf(stderr, "hello %s: listening on %s (failure rate %g, startup delay %gs, latency %gs)\n",
                 config.version.c_str(), listener.address.c_str(), config.failure_rate, config.startup_delay,
                 config.latency);
    Server server(std::move(config), std::move(listener));
    return server.run();
}
