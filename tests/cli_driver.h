// Driving ptebench's commands in-process from a test (tests/bench): the command line as words,
// and a scratch path per test executable under the build tree.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bench/cli/cli.h"

namespace ptebench::test {

// `ptebench <words...>` through cli::main; its exit status.
inline int run_cli(std::vector<std::string> words) {
  words.insert(words.begin(), "ptebench");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return ptebench::cli::main(static_cast<int>(words.size()), argv.data());
}

// <build>/<dir>/<name>, its directory created and `name` itself removed (a file or a tree).
inline std::filesystem::path scratch_path(std::string_view dir, const std::string& name) {
  const auto parent = std::filesystem::path(PTEBENCH_BINARY_DIR) / dir;
  std::filesystem::create_directories(parent);
  std::filesystem::remove_all(parent / name);
  return parent / name;
}

}  // namespace ptebench::test
