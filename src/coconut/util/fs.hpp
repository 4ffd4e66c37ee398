#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "coconut/util/expected.hpp"

namespace coconut::util {

// Reads a whole file. Errors name the path and the OS reason.
Expected<std::string> read_file(const std::filesystem::path& path);

// Writes `files` (relative path -> bytes) under `dir` atomically: everything is first written
// into a fresh temporary directory inside `dir`; only when every byte is on disk is it moved
// into place with rename(2). Each directory in `replace_roots` (relative, e.g. "k8s/base") is
// swapped in whole, so files a previous run wrote there and this run did not are removed;
// each directory in `remove_roots` is removed (a root a previous run wrote and this one no
// longer produces); files outside those roots are renamed in one by one, a file they replace
// kept aside until the end. Every move is recorded: when one fails, the moves made so far are
// undone in reverse, so a failure at any point leaves the previous tree whole and no temporary
// files behind.
Expected<void> write_tree_atomic(const std::filesystem::path& dir,
                                 const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots,
                                 const std::vector<std::string>& remove_roots = {});

// The same with the rename step injected (std::filesystem::rename in production), so tests can
// make the N-th move fail and prove the previous tree survives.
using RenameFn = std::function<void(const std::filesystem::path& from, const std::filesystem::path& to,
                                    std::error_code& ec)>;
Expected<void> write_tree_atomic(const std::filesystem::path& dir,
                                 const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots,
                                 const std::vector<std::string>& remove_roots, const RenameFn& rename);

// A private temporary directory (mode 0700, made by mkdtemp) in the system's temporary
// directory ($TMPDIR, else /tmp), removed with everything in it when the object goes away.
// Move-only.
class TempDir {
public:
    // `prefix` starts the directory's name: "coconut-build-" -> /tmp/coconut-build-Ab12Cd.
    static Expected<TempDir> create(std::string_view prefix);
    TempDir(TempDir&& other) noexcept : m_path(std::exchange(other.m_path, {})) {}
    TempDir& operator=(TempDir&&) = delete;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    explicit TempDir(std::filesystem::path path) : m_path(std::move(path)) {}
    std::filesystem::path m_path;
};

}  // namespace coconut::util
