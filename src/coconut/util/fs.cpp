#include "coconut/util/fs.hpp"

#include "coconut/util/signals.hpp"

#include <stdlib.h>  // mkdtemp
#include <unistd.h>

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

Expected<void> write_tree_atomic(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots) {
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
    // Every byte is on disk. Prepare every destination of a loose file before anything moves,
    // so the only step that can still fail part way is rename(2) itself.
    for (const auto& [rel, bytes] : files) {
        bool in_root = false;
        for (const auto& root : replace_roots) in_root = in_root || under_root(rel, root);
        if (in_root) continue;
        const fs::path target = dir / rel;
        fs::create_directories(target.parent_path(), ec);
        if (ec || fs::is_directory(target)) {
            cleanup();
            return fail(ErrorCode::Failure, target.string() + ": cannot write here: " +
                                                (ec ? ec.message() : std::string("a directory is in the way")) +
                                                "; nothing was changed");
        }
    }
    // Move into place.
    for (const auto& root : replace_roots) {
        const fs::path target = dir / root;
        const fs::path staged = tmp / root;
        if (fs::exists(target, ec)) {
            fs::create_directories((old / root).parent_path(), ec);
            fs::rename(target, old / root, ec);
            if (ec) {
                cleanup();
                return fail(ErrorCode::Failure, target.string() + ": cannot replace: " + ec.message());
            }
        }
        if (fs::exists(staged, ec)) {
            fs::create_directories(target.parent_path(), ec);
            fs::rename(staged, target, ec);
            if (ec) {
                // Put the previous tree back before giving up.
                std::error_code ignored;
                fs::rename(old / root, target, ignored);
                cleanup();
                return fail(ErrorCode::Failure, target.string() + ": cannot move into place: " + ec.message());
            }
        }
    }
    for (const auto& [rel, bytes] : files) {
        bool in_root = false;
        for (const auto& root : replace_roots) in_root = in_root || under_root(rel, root);
        if (in_root) continue;
        fs::create_directories((dir / rel).parent_path(), ec);
        fs::rename(tmp / rel, dir / rel, ec);
        if (ec) {
            cleanup();
            return fail(ErrorCode::Failure, (dir / rel).string() + ": cannot move into place: " + ec.message());
        }
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
