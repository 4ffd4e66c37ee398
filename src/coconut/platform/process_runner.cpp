#include "coconut/platform/process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

#include "coconut/util/signals.hpp"

extern char** environ;  // NOLINT: POSIX

namespace coconut::platform {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t k_chunk = 64 * 1024;
constexpr int k_pipe_size = 256 * 1024;

// An owned file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }
    void reset() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }
    [[nodiscard]] int get() const { return m_fd; }
    [[nodiscard]] bool open() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

std::string errno_text(int err) { return std::strerror(err); }

// A close-on-exec pipe whose ends are both >= 3, so that dup2() onto 0/1/2 in the child always
// makes a fresh descriptor (dup2(fd, fd) would keep FD_CLOEXEC set).
bool make_pipe(Fd& read_end, Fd& write_end) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    for (int& fd : fds) {
        if (fd < 3) {
            int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
            ::close(fd);
            fd = moved;
        }
    }
    read_end = Fd(fds[0]);
    write_end = Fd(fds[1]);
    return read_end.open() && write_end.open();
}

void set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Bigger pipe buffers mean fewer wake-ups per megabyte (the default is 64 KiB). Best effort:
// the kernel may refuse (pipe-max-size, per-user pipe limits) and 64 KiB still works.
void grow_pipe(int fd) {
#ifdef F_SETPIPE_SZ
    ::fcntl(fd, F_SETPIPE_SZ, k_pipe_size);
#else
    (void)fd;
#endif
}

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Writing to a pipe whose reader is gone raises SIGPIPE, which would kill coconut. Block it on
// this thread for the duration of a run (the child gets an empty mask and default dispositions)
// and swallow the one a failed write leaves pending, so the process-wide disposition stays
// untouched.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigset_t pending;
        sigemptyset(&pending);
        ::sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &block, &m_old);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;
    ~SigpipeBlock() { ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

    void consume_pending() const {
        if (m_was_pending) return;
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        const timespec zero{0, 0};
        ::sigtimedwait(&set, nullptr, &zero);
    }

private:
    sigset_t m_old{};
    bool m_was_pending = false;
};

// Splits a stream into lines for Command::on_line.
class LineSplitter {
public:
    LineSplitter(const Command& cmd, bool is_stderr) : m_cmd(cmd), m_is_stderr(is_stderr) {}

    void feed(std::string_view data) {
        if (!m_cmd.on_line) return;
        m_partial.append(data);
        std::size_t start = 0;
        for (std::size_t nl; (nl = m_partial.find('\n', start)) != std::string::npos; start = nl + 1) {
            emit(std::string_view(m_partial).substr(start, nl - start));
        }
        m_partial.erase(0, start);
    }
    void finish() {
        if (!m_cmd.on_line || m_partial.empty()) return;
        emit(m_partial);
        m_partial.clear();
    }

private:
    void emit(std::string_view line) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        m_cmd.on_line(line, m_is_stderr);
    }

    const Command& m_cmd;
    bool m_is_stderr;
    std::string m_partial;
};

struct OutputStream {
    Fd fd;
    std::string* sink = nullptr;
    LineSplitter* lines = nullptr;
};

// Reads what is available; returns false at EOF or on a read error (the stream is then closed).
bool pump_read(OutputStream& s) {
    for (int rounds = 0; rounds < 16; ++rounds) {
        // Read straight into the result's tail (no bounce buffer).
        const std::size_t old_size = s.sink->size();
        s.sink->resize(old_size + k_chunk);
        ssize_t n = ::read(s.fd.get(), s.sink->data() + old_size, k_chunk);
        s.sink->resize(old_size + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        if (n > 0) {
            s.lines->feed(std::string_view(*s.sink).substr(old_size));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        s.fd.reset();  // EOF or error
        return false;
    }
    return true;
}

std::optional<std::string> lookup_env(const std::vector<std::pair<std::string, std::string>>& env,
                                      std::string_view name) {
    std::optional<std::string> found;
    for (const auto& [k, v] : env) {
        if (k == name) found = v;  // the last one wins, as in the environment block
    }
    return found;
}

std::vector<std::string> build_environment(const Command& cmd) {
    std::vector<std::string> vars;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string_view kv(*e);
        std::string_view name = kv.substr(0, kv.find('='));
        bool overridden = std::any_of(cmd.env.begin(), cmd.env.end(), [&](const auto& p) { return p.first == name; });
        if (!overridden) vars.emplace_back(kv);
    }
    for (std::size_t i = 0; i < cmd.env.size(); ++i) {
        const std::string& key = cmd.env[i].first;
        bool later = std::any_of(cmd.env.begin() + static_cast<std::ptrdiff_t>(i) + 1, cmd.env.end(),
                                 [&](const auto& p) { return p.first == key; });
        if (!later) vars.push_back(key + "=" + cmd.env[i].second);
    }
    return vars;
}

// Whether any process of the group is still running. kill(-pgid, 0) also counts zombies: a
// killed grandchild whose parent died first stays a zombie until init reaps it, which some
// container inits do lazily, so on Linux /proc is consulted to tell the two apart.
bool group_running(pid_t pgid) {
    if (::kill(-pgid, 0) != 0) return false;
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc", ec), end;
    if (ec) return true;
    for (; it != end; it.increment(ec)) {
        if (ec) return true;
        const std::string name = it->path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(it->path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid pgrp ...: comm may contain spaces and parentheses.
        const auto close_paren = line.rfind(')');
        if (close_paren == std::string::npos) continue;
        std::istringstream fields(line.substr(close_paren + 1));
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (!(fields >> state >> ppid >> pgrp)) continue;
        if (pgrp == pgid && state != 'Z' && state != 'X') return true;
    }
    return false;
}

int pidfd_open_or_minus_one(pid_t pid) {
#ifdef SYS_pidfd_open
    long fd = ::syscall(SYS_pidfd_open, pid, 0);
    return fd < 0 ? -1 : static_cast<int>(fd);
#else
    (void)pid;
    return -1;
#endif
}

}  // namespace

std::string current_path_env() {
    if (const char* p = std::getenv("PATH"); p != nullptr) return p;
    std::size_t n = ::confstr(_CS_PATH, nullptr, 0);
    if (n == 0) return "/usr/bin:/bin";
    std::string def(n, '\0');
    ::confstr(_CS_PATH, def.data(), n);
    def.resize(n - 1);
    return def;
}

std::optional<std::string> which(std::string_view name, std::optional<std::string_view> path_env) {
    if (name.empty()) return std::nullopt;
    if (name.find('/') != std::string_view::npos) {
        std::string p(name);
        if (is_executable_file(p)) return p;
        return std::nullopt;
    }
    const std::string path = path_env ? std::string(*path_env) : current_path_env();
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (dir.empty()) dir = ".";  // an empty PATH entry means the current directory
        std::string candidate = dir + "/" + std::string(name);
        if (is_executable_file(candidate)) return candidate;
        start = end + 1;
    }
    return std::nullopt;
}

std::optional<std::string> ProcessRunner::find_program(std::string_view name) { return which(name); }

util::Expected<CommandResult> ProcessRunner::run(const Command& cmd) {
    using util::ErrorCode;
    if (cmd.argv.empty() || cmd.argv.front().empty()) return util::fail(ErrorCode::Usage, "cannot run an empty command");
    const std::string& name = cmd.argv.front();
    for (const auto& [k, v] : cmd.env) {
        if (k.empty() || k.find('=') != std::string::npos || k.find('\0') != std::string::npos)
            return util::fail(ErrorCode::Usage, "cannot run " + name + ": invalid environment variable name '" + k + "'");
    }
    if (m_options.honour_interrupts && util::interrupted()) return util::fail(ErrorCode::Interrupted, "interrupted before running " + format_argv(cmd.argv));

    if (!cmd.cwd.empty()) {
        struct stat st {};
        if (::stat(cmd.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            return util::fail(ErrorCode::Failure, "cannot run " + name + ": working directory '" + cmd.cwd + "' does not exist",
                              cmd.cwd);
    }

    // Resolve the program ourselves: posix_spawnp would search the *parent's* PATH, while the
    // command may set its own, and we want an error that names the PATH that was searched.
    std::string program;
    if (name.find('/') != std::string::npos) {
        std::string on_disk = (name.front() == '/' || cmd.cwd.empty()) ? name : cmd.cwd + "/" + name;
        struct stat st {};
        if (::stat(on_disk.c_str(), &st) != 0)
            return util::fail(ErrorCode::Failure, "cannot run " + name + ": no such file", name);
        if (!S_ISREG(st.st_mode) || ::access(on_disk.c_str(), X_OK) != 0)
            return util::fail(ErrorCode::Failure, "cannot run " + name + ": not an executable file", name);
        program = name;  // relative paths are resolved by the child after its chdir
    } else {
        const std::string path = lookup_env(cmd.env, "PATH").value_or(current_path_env());
        auto found = which(name, path);
        if (!found)
            return util::fail(ErrorCode::Failure, name + ": command not found (searched PATH=" + path + ")", name);
        program = *found;
    }

    std::vector<std::string> env_strings = build_environment(cmd);
    std::vector<char*> envp;
    envp.reserve(env_strings.size() + 1);
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_copy = cmd.argv;
    std::vector<char*> argv;
    argv.reserve(argv_copy.size() + 1);
    for (auto& s : argv_copy) argv.push_back(s.data());
    argv.push_back(nullptr);

    const bool feed_stdin = !cmd.stdin_data.empty();
    Fd in_r, in_w, out_r, out_w, err_r, err_w;
    if ((feed_stdin && !make_pipe(in_r, in_w)) || !make_pipe(out_r, out_w) || !make_pipe(err_r, err_w))
        return util::fail(ErrorCode::Failure, "cannot run " + name + ": pipe: " + errno_text(errno));

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
    if (feed_stdin) ::posix_spawn_file_actions_adddup2(&actions, in_r.get(), 0);
    else ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
    ::posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
    if (!cmd.cwd.empty()) ::posix_spawn_file_actions_addchdir_np(&actions, cmd.cwd.c_str());
    sigset_t empty_mask, defaults;
    sigemptyset(&empty_mask);
    sigemptyset(&defaults);
    for (int sig = 1; sig < 32; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&defaults, sig);
    }
    ::posix_spawnattr_setsigmask(&attr, &empty_mask);
    ::posix_spawnattr_setsigdefault(&attr, &defaults);
    ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    SigpipeBlock sigpipe_block;
    const auto started = Clock::now();
    pid_t pid = -1;
    const int spawn_rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
    if (spawn_rc != 0) {
        std::string why = errno_text(spawn_rc);
        if (spawn_rc == ENOEXEC) why = "not a valid executable (a script without a #! line?)";
        return util::fail(ErrorCode::Failure, "cannot run " + name + " (" + program + "): " + why, name);
    }
    in_r.reset();
    out_w.reset();
    err_w.reset();

    Fd pidfd(pidfd_open_or_minus_one(pid));
    if (in_w.open()) {
        set_nonblocking(in_w.get());
        if (cmd.stdin_data.size() > k_chunk) grow_pipe(in_w.get());
    }
    set_nonblocking(out_r.get());
    set_nonblocking(err_r.get());
    grow_pipe(out_r.get());
    grow_pipe(err_r.get());

    CommandResult result;
    LineSplitter out_lines(cmd, false), err_lines(cmd, true);
    OutputStream streams[2] = {{std::move(out_r), &result.out, &out_lines}, {std::move(err_r), &result.err, &err_lines}};
    std::size_t written = 0;

    const std::optional<Clock::time_point> deadline =
        cmd.timeout.count() > 0 ? std::optional(started + cmd.timeout) : std::nullopt;
    bool terminating = false, killed = false, interrupted = false, exited = false;
    Clock::time_point kill_at{}, exited_at{};
    int status = 0;
    bool child_may_have_exited = true;  // with a pidfd, waitpid() only when it says so (or on a timer)

    auto terminate_group = [&](Clock::time_point now) {
        ::kill(-pid, SIGTERM);
        terminating = true;
        kill_at = now + m_options.kill_grace;
    };

    for (;;) {
        const auto now = Clock::now();
        if (!terminating) {
            if (deadline && now >= *deadline) {
                result.timed_out = true;
                terminate_group(now);
            } else if (m_options.honour_interrupts && util::interrupted()) {
                interrupted = true;
                terminate_group(now);
            }
        }
        if (terminating && !killed && now >= kill_at) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
        if (!exited && (!pidfd.open() || child_may_have_exited)) {
            child_may_have_exited = false;
            pid_t r = ::waitpid(pid, &status, WNOHANG);
            if (r == pid || (r < 0 && errno != EINTR)) {
                exited = true;
                exited_at = now;
                pidfd.reset();
                in_w.reset();  // nobody left to read the rest of stdin
            }
        }
        const bool pipes_open = streams[0].fd.open() || streams[1].fd.open();
        if (exited && (!pipes_open || now >= exited_at + m_options.drain_after_exit)) break;

        pollfd fds[4];
        nfds_t nfds = 0;
        int in_index = -1, stream_index[2] = {-1, -1}, pid_index = -1;
        if (in_w.open()) {
            in_index = static_cast<int>(nfds);
            fds[nfds++] = pollfd{in_w.get(), POLLOUT, 0};
        }
        for (int i = 0; i < 2; ++i) {
            if (!streams[i].fd.open()) continue;
            stream_index[i] = static_cast<int>(nfds);
            fds[nfds++] = pollfd{streams[i].fd.get(), POLLIN, 0};
        }
        if (pidfd.open()) {
            pid_index = static_cast<int>(nfds);
            fds[nfds++] = pollfd{pidfd.get(), POLLIN, 0};
        }
        // Wake up at the next deadline, and regularly to notice Ctrl-C (the signal handler only
        // sets a flag and may run on another thread) and, without a pidfd, the child's exit.
        auto wait = pidfd.open() || exited ? milliseconds(100) : milliseconds(20);
        auto until = [&](Clock::time_point t) {
            wait = std::min(wait, std::max(milliseconds(0), std::chrono::ceil<milliseconds>(t - now)));
        };
        if (deadline && !terminating) until(*deadline);
        if (terminating && !killed) until(kill_at);
        if (exited) until(exited_at + m_options.drain_after_exit);

        int rc = ::poll(fds, nfds, static_cast<int>(wait.count()));
        if (rc <= 0) {
            child_may_have_exited = true;  // a timer tick or a signal: look again
            if (rc < 0 && errno != EINTR) std::this_thread::sleep_for(milliseconds(5));  // not expected; no busy loop
            continue;
        }
        if (pid_index >= 0 && fds[pid_index].revents != 0) child_may_have_exited = true;

        if (in_index >= 0 && fds[in_index].revents != 0) {
            if ((fds[in_index].revents & (POLLERR | POLLHUP)) != 0) {
                in_w.reset();
            } else {
                // Offer everything left: a non-blocking pipe takes what fits and says how much.
                const std::size_t len = cmd.stdin_data.size() - written;
                ssize_t n = ::write(in_w.get(), cmd.stdin_data.data() + written, len);
                if (n > 0) {
                    written += static_cast<std::size_t>(n);
                    if (written == cmd.stdin_data.size()) in_w.reset();  // EOF for the child
                } else if (n < 0 && errno == EPIPE) {
                    sigpipe_block.consume_pending();
                    in_w.reset();  // the child closed its stdin: the rest is dropped
                } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    in_w.reset();
                }
            }
        }
        for (int i = 0; i < 2; ++i) {
            if (stream_index[i] >= 0 && fds[stream_index[i]].revents != 0) pump_read(streams[i]);
        }
    }

    if (!exited) ::waitpid(pid, &status, 0);  // not reached: the loop only ends after the exit
    result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    out_lines.finish();
    err_lines.finish();

    if (terminating) {
        // The leader is gone; give the rest of its group the remainder of the grace period to
        // exit on SIGTERM, then make sure nothing of it survives: SIGKILL, and a short wait for
        // the kernel to finish them off, so that "returned" means "gone".
        while (!killed && Clock::now() < kill_at && group_running(pid)) std::this_thread::sleep_for(milliseconds(10));
        if (group_running(pid)) ::kill(-pid, SIGKILL);  // checked first: never signal a reused id
        const auto give_up = Clock::now() + milliseconds(500);
        while (Clock::now() < give_up && group_running(pid)) std::this_thread::sleep_for(milliseconds(5));
    }

    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.term_signal = WTERMSIG(status);
        result.exit_code = 128 + result.term_signal;
    }
    if (interrupted)
        return util::fail(ErrorCode::Interrupted, "interrupted: terminated " + format_argv(cmd.argv));
    return result;
}

}  // namespace coconut::platform
