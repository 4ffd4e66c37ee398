#pragma once
#include <filesystem>
#include <string>
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
// files outside those roots are renamed in one by one. A failure before the move leaves the
// previous tree untouched and no temporary files behind.
Expected<void> write_tree_atomic(const std::filesystem::path& dir,
                                 const std::vector<std::pair<std::string, std::string>>& files,
                                 const std::vector<std::string>& replace_roots);

}  // namespace coconut::util
