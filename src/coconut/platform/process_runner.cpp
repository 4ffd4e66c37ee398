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


// ---- Before spawning: the command checked, the program resolved ----------------------------

util::Expected<void> check_command(const Command& cmd) {
    using util::ErrorCode;
    if (cmd.argv.empty() || cmd.argv.front().empty()) return util::fail(ErrorCode::Usage, "cannot run an empty command");
    const std::string& name = cmd.argv.front();
    for (const auto& [k, v] : cmd.env) {
        if (k.empty() || k.find('=') != std::string::npos || k.find('\0') != std::string::npos)
            return util::fail(ErrorCode::Usage, "cannot run " + name + ": invalid environment variable name '" + k + "'");
    }
    return {};
}

util::Expected<void> check_cwd(const Command& cmd) {
    if (cmd.cwd.empty()) return {};
    struct stat st {};
    if (::stat(cmd.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return util::fail(util::ErrorCode::Failure,
                          "cannot run " + cmd.argv.front() + ": working directory '" + cmd.cwd + "' does not exist",
                          cmd.cwd);
    return {};
}

// What posix_spawn executes. Resolved here rather than by posix_spawnp, which would search the
// *parent's* PATH while the command may set its own, and we want an error that names the PATH
// that was searched.
util::Expected<std::string> resolve_program(const Command& cmd) {
    using util::ErrorCode;
    const std::string& name = cmd.argv.front();
    if (name.find('/') == std::string::npos) {
        const std::string path = lookup_env(cmd.env, "PATH").value_or(current_path_env());
        auto found = which(name, path);
        if (!found) return util::fail(ErrorCode::Failure, name + ": command not found (searched PATH=" + path + ")", name);
        return *found;
    }
    const std::string on_disk = (name.front() == '/' || cmd.cwd.empty()) ? name : cmd.cwd + "/" + name;
    struct stat st {};
    if (::stat(on_disk.c_str(), &st) != 0) return util::fail(ErrorCode::Failure, "cannot run " + name + ": no such file", name);
    if (!S_ISREG(st.st_mode) || ::access(on_disk.c_str(), X_OK) != 0)
        return util::fail(ErrorCode::Failure, "cannot run " + name + ": not an executable file", name);
    return name;  // relative paths are resolved by the child after its chdir
}

// ---- Spawning -----------------------------------------------------------------------------

// A NULL-terminated array of C strings over strings it owns, as posix_spawn takes argv and envp.
class CStringArray {
public:
    explicit CStringArray(std::vector<std::string> strings) : m_strings(std::move(strings)) {
        m_pointers.reserve(m_strings.size() + 1);
        for (auto& s : m_strings) m_pointers.push_back(s.data());
        m_pointers.push_back(nullptr);
    }
    CStringArray(const CStringArray&) = delete;
    CStringArray& operator=(const CStringArray&) = delete;
    [[nodiscard]] char* const* data() const { return m_pointers.data(); }

private:
    std::vector<std::string> m_strings;
    std::vector<char*> m_pointers;
};

// Both ends of the child's stdin (only when there is stdin data), stdout and stderr pipes.
struct SpawnPipes {
    Fd in_r, in_w, out_r, out_w, err_r, err_w;
};

util::Expected<SpawnPipes> make_spawn_pipes(const Command& cmd) {
    SpawnPipes p;
    const bool feed_stdin = !cmd.stdin_data.empty();
    if ((feed_stdin && !make_pipe(p.in_r, p.in_w)) || !make_pipe(p.out_r, p.out_w) || !make_pipe(p.err_r, p.err_w))
        return util::fail(util::ErrorCode::Failure, "cannot run " + cmd.argv.front() + ": pipe: " + errno_text(errno));
    return p;
}

// posix_spawn's file actions and attributes for a child that gets the pipes as 0/1/2 (or
// /dev/null as stdin), the command's cwd, its own session, an empty signal mask and default
// signal dispositions.
class SpawnSetup {
public:
    SpawnSetup(const Command& cmd, const SpawnPipes& pipes) {
        ::posix_spawn_file_actions_init(&m_actions);
        ::posix_spawnattr_init(&m_attr);
        if (pipes.in_r.open()) ::posix_spawn_file_actions_adddup2(&m_actions, pipes.in_r.get(), 0);
        else ::posix_spawn_file_actions_addopen(&m_actions, 0, "/dev/null", O_RDONLY, 0);
        ::posix_spawn_file_actions_adddup2(&m_actions, pipes.out_w.get(), 1);
        ::posix_spawn_file_actions_adddup2(&m_actions, pipes.err_w.get(), 2);
        if (!cmd.cwd.empty()) ::posix_spawn_file_actions_addchdir_np(&m_actions, cmd.cwd.c_str());
        sigset_t empty_mask, defaults;
        sigemptyset(&empty_mask);
        sigemptyset(&defaults);
        for (int sig = 1; sig < 32; ++sig) {
            if (sig != SIGKILL && sig != SIGSTOP) sigaddset(&defaults, sig);
        }
        ::posix_spawnattr_setsigmask(&m_attr, &empty_mask);
        ::posix_spawnattr_setsigdefault(&m_attr, &defaults);
        ::posix_spawnattr_setflags(&m_attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;
    ~SpawnSetup() {
        ::posix_spawn_file_actions_destroy(&m_actions);
        ::posix_spawnattr_destroy(&m_attr);
    }
    [[nodiscard]] const posix_spawn_file_actions_t* actions() const { return &m_actions; }
    [[nodiscard]] const posix_spawnattr_t* attr() const { return &m_attr; }

private:
    posix_spawn_file_actions_t m_actions{};
    posix_spawnattr_t m_attr{};
};

// A running child as the parent sees it: its pid (= its process group) and the parent's
// non-blocking ends of its pipes (`in` open only when there is stdin data to feed).
struct Child {
    pid_t pid = -1;
    Clock::time_point started;
    Fd in, out, err;
};

util::Expected<Child> spawn_child(const Command& cmd, const std::string& program) {
    TRY(pipes, make_spawn_pipes(cmd));
    const CStringArray argv(cmd.argv);
    const CStringArray envp(build_environment(cmd));
    Child child;
    {
        const SpawnSetup setup(cmd, pipes);
        child.started = Clock::now();
        const int rc = ::posix_spawn(&child.pid, program.c_str(), setup.actions(), setup.attr(), argv.data(), envp.data());
        if (rc != 0) {
            std::string why = errno_text(rc);
            if (rc == ENOEXEC) why = "not a valid executable (a script without a #! line?)";
            const std::string& name = cmd.argv.front();
            return util::fail(util::ErrorCode::Failure, "cannot run " + name + " (" + program + "): " + why, name);
        }
    }
    // The child's ends are the child's now: closing ours lets EOF and EPIPE happen.
    pipes.in_r.reset();
    pipes.out_w.reset();
    pipes.err_w.reset();
    child.in = std::move(pipes.in_w);
    child.out = std::move(pipes.out_r);
    child.err = std::move(pipes.err_r);
    if (child.in.open()) {
        set_nonblocking(child.in.get());
        if (cmd.stdin_data.size() > k_chunk) grow_pipe(child.in.get());
    }
    for (const Fd* fd : {&child.out, &child.err}) {
        set_nonblocking(fd->get());
        grow_pipe(fd->get());
    }
    return child;
}

// ---- Supervising the child ----------------------------------------------------------------

// Feeds Command::stdin_data through the non-blocking pipe and closes it at the end (EOF for
// the child), when the child closes its end, or when the child has exited.
class StdinFeeder {
public:
    StdinFeeder(Fd fd, std::string_view data, const SigpipeBlock& sigpipe)
        : m_fd(std::move(fd)), m_data(data), m_sigpipe(sigpipe) {}

    [[nodiscard]] bool open() const { return m_fd.open(); }
    [[nodiscard]] int fd() const { return m_fd.get(); }
    void close() { m_fd.reset(); }

    // poll() reported `revents` on the pipe.
    void on_ready(short revents) {
        if ((revents & (POLLERR | POLLHUP)) != 0) {
            close();
            return;
        }
        // Offer everything left: a non-blocking pipe takes what fits and says how much.
        const ssize_t n = ::write(m_fd.get(), m_data.data() + m_written, m_data.size() - m_written);
        if (n > 0) {
            m_written += static_cast<std::size_t>(n);
            if (m_written == m_data.size()) close();
        } else if (n < 0 && errno == EPIPE) {
            m_sigpipe.consume_pending();
            close();  // the child closed its stdin: the rest is dropped
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close();
        }
    }

private:
    Fd m_fd;
    std::string_view m_data;
    std::size_t m_written = 0;
    const SigpipeBlock& m_sigpipe;
};

// Notices the child's exit: through its pidfd when the kernel has them (waitpid() only when
// the pidfd says so, or on a timer tick), else by trying waitpid() on every loop.
class ExitWatch {
public:
    explicit ExitWatch(pid_t pid) : m_pid(pid), m_pidfd(pidfd_open_or_minus_one(pid)) {}

    // Reaps the child when it may have exited; true on the call that sees it gone.
    bool reap(Clock::time_point now) {
        if (m_exited || (m_pidfd.open() && !m_may_have_exited)) return false;
        m_may_have_exited = false;
        const pid_t r = ::waitpid(m_pid, &m_status, WNOHANG);
        if (r != m_pid && !(r < 0 && errno != EINTR)) return false;
        m_exited = true;
        m_exited_at = now;
        m_pidfd.reset();
        return true;
    }
    // Waits for the exit (not reached in practice: the loop ends only after the exit).
    void wait() {
        if (!m_exited) ::waitpid(m_pid, &m_status, 0);
        m_exited = true;
    }
    void may_have_exited() { m_may_have_exited = true; }

    [[nodiscard]] bool exited() const { return m_exited; }
    [[nodiscard]] Clock::time_point exited_at() const { return m_exited_at; }
    [[nodiscard]] int status() const { return m_status; }
    [[nodiscard]] const Fd& pidfd() const { return m_pidfd; }

private:
    pid_t m_pid;
    Fd m_pidfd;
    bool m_may_have_exited = true;
    bool m_exited = false;
    Clock::time_point m_exited_at{};
    int m_status = 0;
};

// Ends the child's process group: SIGTERM, then SIGKILL after the grace period.
class GroupTermination {
public:
    GroupTermination(pid_t pgid, milliseconds grace) : m_pgid(pgid), m_grace(grace) {}

    [[nodiscard]] bool started() const { return m_started; }

    void start(Clock::time_point now) {
        ::kill(-m_pgid, SIGTERM);
        m_started = true;
        m_kill_at = now + m_grace;
    }
    // SIGKILL once the grace period is over.
    void escalate(Clock::time_point now) {
        if (!m_started || m_killed || now < m_kill_at) return;
        ::kill(-m_pgid, SIGKILL);
        m_killed = true;
    }
    // When escalate() will next have something to do.
    [[nodiscard]] std::optional<Clock::time_point> next_deadline() const {
        if (m_started && !m_killed) return m_kill_at;
        return std::nullopt;
    }
    // After the leader exited: give the rest of its group the remainder of the grace period to
    // exit on SIGTERM, then make sure nothing of it survives: SIGKILL, and a short wait for the
    // kernel to finish them off, so that "returned" means "gone".
    void finish() const {
        if (!m_started) return;
        while (!m_killed && Clock::now() < m_kill_at && group_running(m_pgid)) std::this_thread::sleep_for(milliseconds(10));
        if (group_running(m_pgid)) ::kill(-m_pgid, SIGKILL);  // checked first: never signal a reused id
        const auto give_up = Clock::now() + milliseconds(500);
        while (Clock::now() < give_up && group_running(m_pgid)) std::this_thread::sleep_for(milliseconds(5));
    }

private:
    pid_t m_pgid;
    milliseconds m_grace;
    bool m_started = false;
    bool m_killed = false;
    Clock::time_point m_kill_at{};
};

// One run of a spawned child to its end: pumps stdin, stdout and stderr in one poll() loop,
// enforces the timeout and Ctrl-C, reaps the child and collects the result.
class Supervisor {
public:
    Supervisor(const Command& cmd, Child child, const ProcessRunnerOptions& options, const SigpipeBlock& sigpipe)
        : m_options(options),
          m_started(child.started),
          m_deadline(cmd.timeout.count() > 0 ? std::optional(child.started + cmd.timeout) : std::nullopt),
          m_stdin(std::move(child.in), cmd.stdin_data, sigpipe),
          m_out_lines(cmd, false),
          m_err_lines(cmd, true),
          m_streams{{std::move(child.out), &m_result.out, &m_out_lines}, {std::move(child.err), &m_result.err, &m_err_lines}},
          m_exit(child.pid),
          m_termination(child.pid, options.kill_grace) {}
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    // Until the child has exited and its output is drained.
    void run() {
        for (;;) {
            const auto now = Clock::now();
            enforce_limits(now);
            if (m_exit.reap(now)) m_stdin.close();  // nobody left to read the rest of stdin
            if (drained(now)) break;
            wait_and_pump(now);
        }
    }

    // Once run() returned: reaps the child, makes sure its group is gone, collects the result.
    CommandResult finish() {
        m_exit.wait();
        m_result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - m_started);
        m_out_lines.finish();
        m_err_lines.finish();
        m_termination.finish();
        const int status = m_exit.status();
        if (WIFEXITED(status)) {
            m_result.exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            m_result.term_signal = WTERMSIG(status);
            m_result.exit_code = 128 + m_result.term_signal;
        }
        return std::move(m_result);
    }

    // Whether Ctrl-C ended the child.
    [[nodiscard]] bool interrupted() const { return m_interrupted; }

private:
    // The timeout and Ctrl-C start the termination; its grace period ends in SIGKILL.
    void enforce_limits(Clock::time_point now) {
        if (!m_termination.started()) {
            if (m_deadline && now >= *m_deadline) {
                m_result.timed_out = true;
                m_termination.start(now);
            } else if (m_options.honour_interrupts && util::interrupted()) {
                m_interrupted = true;
                m_termination.start(now);
            }
        }
        m_termination.escalate(now);
    }

    // The child has exited and its pipes are closed, or the processes it left behind had their
    // drain_after_exit to close them.
    [[nodiscard]] bool drained(Clock::time_point now) const {
        if (!m_exit.exited()) return false;
        const bool pipes_open = m_streams[0].fd.open() || m_streams[1].fd.open();
        return !pipes_open || now >= m_exit.exited_at() + m_options.drain_after_exit;
    }

    // How long poll() may sleep: until the next deadline, and regularly to notice Ctrl-C (the
    // signal handler only sets a flag and may run on another thread) and, without a pidfd, the
    // child's exit.
    [[nodiscard]] milliseconds poll_timeout(Clock::time_point now) const {
        auto wait = m_exit.pidfd().open() || m_exit.exited() ? milliseconds(100) : milliseconds(20);
        auto until = [&](Clock::time_point t) {
            wait = std::min(wait, std::max(milliseconds(0), std::chrono::ceil<milliseconds>(t - now)));
        };
        if (m_deadline && !m_termination.started()) until(*m_deadline);
        if (auto kill_at = m_termination.next_deadline()) until(*kill_at);
        if (m_exit.exited()) until(m_exit.exited_at() + m_options.drain_after_exit);
        return wait;
    }

    // One poll() over the open pipes and the pidfd, then what it reported.
    void wait_and_pump(Clock::time_point now) {
        pollfd fds[4];
        nfds_t nfds = 0;
        auto watch = [&](int fd, short events) {
            fds[nfds] = pollfd{fd, events, 0};
            return static_cast<int>(nfds++);
        };
        const int in_index = m_stdin.open() ? watch(m_stdin.fd(), POLLOUT) : -1;
        int stream_index[2] = {-1, -1};
        for (int i = 0; i < 2; ++i) {
            if (m_streams[i].fd.open()) stream_index[i] = watch(m_streams[i].fd.get(), POLLIN);
        }
        const int pid_index = m_exit.pidfd().open() ? watch(m_exit.pidfd().get(), POLLIN) : -1;

        const int rc = ::poll(fds, nfds, static_cast<int>(poll_timeout(now).count()));
        if (rc <= 0) {
            m_exit.may_have_exited();  // a timer tick or a signal: look again
            if (rc < 0 && errno != EINTR) std::this_thread::sleep_for(milliseconds(5));  // not expected; no busy loop
            return;
        }
        if (pid_index >= 0 && fds[pid_index].revents != 0) m_exit.may_have_exited();
        if (in_index >= 0 && fds[in_index].revents != 0) m_stdin.on_ready(fds[in_index].revents);
        for (int i = 0; i < 2; ++i) {
            if (stream_index[i] >= 0 && fds[stream_index[i]].revents != 0) pump_read(m_streams[i]);
        }
    }

    const ProcessRunnerOptions& m_options;
    const Clock::time_point m_started;
    const std::optional<Clock::time_point> m_deadline;
    CommandResult m_result;
    bool m_interrupted = false;
    StdinFeeder m_stdin;
    LineSplitter m_out_lines, m_err_lines;
    OutputStream m_streams[2];
    ExitWatch m_exit;
    GroupTermination m_termination;
};

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
    TRY_VOID(check_command(cmd));
    if (m_options.honour_interrupts && util::interrupted())
        return util::fail(util::ErrorCode::Interrupted, "interrupted before running " + format_argv(cmd.argv));
    TRY_VOID(check_cwd(cmd));
    TRY(program, resolve_program(cmd));

    const SigpipeBlock sigpipe_block;  // for the whole run: the child may close its stdin any time
    TRY(child, spawn_child(cmd, program));
    Supervisor supervisor(cmd, std::move(child), m_options, sigpipe_block);
    supervisor.run();
    CommandResult result = supervisor.finish();
    if (supervisor.interrupted()) return util::fail(util::ErrorCode::Interrupted, "interrupted: terminated " + format_argv(cmd.argv));
    return result;
}

}  // namespace coconut::platform
