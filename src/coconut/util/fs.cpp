#include "coconut/util/fs.hpp"

#include "coconut/util/signals.hpp"

#include <stdlib.h>  // mkdtemp
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coconut::util {

namespace fs = std::filesystem;

Expected<std::string> read_file(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return fail(ErrorCode::Input, path.string() + ": is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::Input, path.string() + ": cannot open: " + std::strerror(errno));
    // One read into a buffer of the file's size (a stringstream would copy a large file 3-4 times).
    std::string text;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        in.read(text.data(), size);
        text.resize(static_cast<std::size_t>(in.gcount()));
    }
    // Files that report no size (/proc, pipes): read to the end.
    char chunk[65536];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return fail(ErrorCode::Input, path.string() + ": read error");
    return text;
}

namespace {

Expected<void> write_one(const fs::path& p, const std::string& bytes) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return fail(ErrorCode::Failure, p.parent_path().string() + ": cannot create directory: " + ec.message());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::Failure, p.string() + ": cannot write: " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return fail(ErrorCode::Failure, p.string() + ": write failed: " + std::strerror(errno));
    return {};
}

bool under_root(const std::string& path, const std::string& root) {
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
}

}  // namespace

namespace {

bool in_any_root(const std::string& rel, const std::vector<std::string>& roots) {
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& root) { return under_root(rel, root); });
}

// The moves of one write: each is recorded so a failure can put everything back.
class MoveJournal {
public:
    explicit MoveJournal(const RenameFn& rename) : m_rename(rename) {}
    // Moves `from` to `to` (creating `to`'s parent); records it; false with `ec` set on failure.
    bool move(const fs::path& from, const fs::path& to, std::error_code& ec) {
        fs::create_directories(to.parent_path(), ec);
        if (ec) return false;
        m_rename(from, to, ec);
        if (ec) return false;
        m_done.push_back({from, to});
        return true;
    }
    // Undoes every recorded move, newest first.
    void undo() {
        for (auto it = m_done.rbegin(); it != m_done.rend(); ++it) {
            std::error_code ignored;
            m_rename(it->second, it->first, ignored);
        }
        m_done.clear();
    }

private:
    const RenameFn& m_rename;
    std::vector<std::pair<fs::path, fs::path>> m_done;
};

}  // namespace

Expected<void> write_tree_atomic(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots,
                                 const std::vector<std::string>& remove_roots) {
    const RenameFn rename = [](const fs::path& from, const fs::path& to, std::error_code& ec) { fs::rename(from, to, ec); };
    return write_tree_atomic(dir, files, replace_roots, remove_roots, rename);
}

Expected<void> write_tree_atomic(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots,
                                 const std::vector<std::string>& remove_roots, const RenameFn& rename) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return fail(ErrorCode::Failure, dir.string() + ": cannot create output directory: " + ec.message());
    const std::string tag = std::to_string(::getpid());
    const fs::path tmp = dir / (".coconut-tmp-" + tag);
    const fs::path old = dir / (".coconut-old-" + tag);
    fs::remove_all(tmp, ec);
    fs::remove_all(old, ec);
    auto cleanup = [&] {
        std::error_code ignored;
        fs::remove_all(tmp, ignored);
        fs::remove_all(old, ignored);
    };
    for (const auto& [rel, bytes] : files) {
        auto r = write_one(tmp / rel, bytes);
        if (!r) {
            cleanup();
            return r;
        }
    }
    if (interrupted()) {
        cleanup();
        return fail(ErrorCode::Interrupted, "interrupted before writing " + dir.string() + "; nothing was changed");
    }
    // Every byte is on disk. Check every destination of a loose file before anything moves.
    for (const auto& [rel, bytes] : files) {
        if (in_any_root(rel, replace_roots)) continue;
        const fs::path target = dir / rel;
        fs::create_directories(target.parent_path(), ec);
        if (ec || fs::is_directory(target)) {
            cleanup();
            return fail(ErrorCode::Failure, target.string() + ": cannot write here: " +
                                                (ec ? ec.message() : std::string("a directory is in the way")) +
                                                "; nothing was changed");
        }
    }
    MoveJournal journal(rename);
    auto give_up = [&](const fs::path& target, const std::string& what) -> Expected<void> {
        journal.undo();
        cleanup();
        return fail(ErrorCode::Failure, target.string() + ": " + what + ": " + ec.message() + "; nothing was changed");
    };
    // Previous roots (replaced or no longer produced) go aside first, then the new ones move in.
    std::vector<std::string> aside = replace_roots;
    aside.insert(aside.end(), remove_roots.begin(), remove_roots.end());
    for (const auto& root : aside) {
        const fs::path target = dir / root;
        if (fs::exists(fs::symlink_status(target, ec)) && !journal.move(target, old / "roots" / root, ec))
            return give_up(target, "cannot replace");
    }
    for (const auto& root : replace_roots) {
        const fs::path staged = tmp / root;
        if (fs::exists(staged, ec) && !journal.move(staged, dir / root, ec)) return give_up(dir / root, "cannot move into place");
    }
    for (const auto& [rel, bytes] : files) {
        if (in_any_root(rel, replace_roots)) continue;
        const fs::path target = dir / rel;
        if (fs::exists(fs::symlink_status(target, ec)) && !journal.move(target, old / "files" / rel, ec))
            return give_up(target, "cannot replace");
        if (!journal.move(tmp / rel, target, ec)) return give_up(target, "cannot move into place");
    }
    cleanup();
    return {};
}

Expected<TempDir> TempDir::create(std::string_view prefix) {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        return fail(ErrorCode::Failure, "cannot create a temporary directory in " + base.string(), base.string());
    return TempDir(pattern);
}

TempDir::~TempDir() {
    if (m_path.empty()) return;
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

}  // namespace coconut::util
