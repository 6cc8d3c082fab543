#include "bench/subprocess.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

using namespace ptebench::cli;

TEST_CASE("shell_quote survives quotes - spaces and globs") {
  CHECK(shell_quote("plain") == "'plain'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  const std::string path = std::string(PTEBENCH_BINARY_DIR) + "/subprocess_test.out";
  std::remove(path.c_str());
  // The arguments reach the command unchanged: printf writes them back.
  const int status = run_shell("printf '%s|%s' >" + shell_quote(path), {"a b*", "it's \"q\""});
  CHECK(status == 0);
  std::ifstream in(path);
  std::string got;
  std::getline(in, got);
  CHECK(got == "a b*|it's \"q\"");
}

TEST_CASE("run_shell reports exit status and death by signal") {
  CHECK(run_shell("exit 3", {}) == 3);
  CHECK(run_shell("kill -TERM $$", {}) == 128 + 15);
  CHECK(run_shell("true", {"ignored"}) == 0);
}
