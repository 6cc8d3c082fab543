#include "harness/process.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace ptebench::process;

TEST_CASE("shell_quote survives quotes - spaces and globs") {
  CHECK(shell_quote("plain") == "'plain'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  const std::string path = std::string(PTEBENCH_BINARY_DIR) + "/process_test.out";
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

TEST_CASE("run_shell passes the child's stderr line by line - the last line unterminated too") {
  std::vector<std::string> lines;
  const auto sink = [&](std::string_view line) { lines.emplace_back(line); };
  CHECK(run_shell("printf 'one\\ntwo\\n\\nthree' >&2; exit 4", {}, sink) == 4);
  CHECK(lines == std::vector<std::string>{"one", "two", "", "three"});
  lines.clear();
  // Longer than one read of the pipe: lines are joined across reads.
  CHECK(run_shell("i=0; while [ $i -lt 2000 ]; do echo line-$i-xxxxxxxxxxxxxxxx >&2; "
                  "i=$((i+1)); done",
                  {}, sink) == 0);
  REQUIRE(lines.size() == 2000);
  CHECK(lines[0] == "line-0-xxxxxxxxxxxxxxxx");
  CHECK(lines[1999] == "line-1999-xxxxxxxxxxxxxxxx");
  lines.clear();
  CHECK(run_shell("echo to-stdout", {}, sink) == 0);  // stdout is not passed
  CHECK(lines.empty());
}
