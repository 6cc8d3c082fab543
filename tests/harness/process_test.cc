#include "harness/process.h"

#include <catch2/catch.hpp>

#include "skip.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <unistd.h>

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

TEST_CASE("run_shells_together runs its jobs at once - each one's stderr to its own sink") {
  const std::string dir = std::string(PTEBENCH_BINARY_DIR) + "/process_test_together";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // Each job marks that it started, then waits for the other's mark: run one after the other,
  // the first would give up (exit 3) after its 20 s; run together both exit 0. Each writes
  // enough to its stderr to fill a pipe (64 KiB) while the other is still running.
  const std::string job =
      "touch \"$1/$2\"; i=0; while [ ! -e \"$1/$3\" ] && [ $i -lt 200 ]; do sleep 0.1; "
      "i=$((i+1)); done; [ -e \"$1/$3\" ] || exit 3; n=0; while [ $n -lt 3000 ]; do "
      "echo \"$2-$n-xxxxxxxxxxxxxxxxxxxxxxxxx\" >&2; n=$((n+1)); done; exit $4";
  std::vector<std::string> lines_a, lines_b;
  const std::vector<int> status = run_shells_together({
      {"sh -c " + shell_quote(job) + " job",
       {dir, "a", "b", "0"},
       [&](std::string_view line) { lines_a.emplace_back(line); },
       {}},
      {"sh -c " + shell_quote(job) + " job",
       {dir, "b", "a", "5"},
       [&](std::string_view line) { lines_b.emplace_back(line); },
       {}},
  });
  CHECK(status == std::vector<int>{0, 5});
  REQUIRE(lines_a.size() == 3000);
  REQUIRE(lines_b.size() == 3000);
  CHECK(lines_a.front() == "a-0-xxxxxxxxxxxxxxxxxxxxxxxxx");
  CHECK(lines_b.back() == "b-2999-xxxxxxxxxxxxxxxxxxxxxxxxx");
  // Without a sink a job's stderr is ours, as with run_shell.
  CHECK(run_shells_together({{"exit 7", {}, {}, {}}, {"true", {}, {}, {}}}) ==
        std::vector<int>{7, 0});
  // A job's environment entries are added to ours, or replace ours of the same name.
  ::setenv("PTEBENCH_PROCESS_TEST", "ours", 1);
  std::vector<std::string> env_lines;
  const auto env_sink = [&](std::string_view line) { env_lines.emplace_back(line); };
  CHECK(run_shells_together(
            {{"echo \"$PTEBENCH_PROCESS_TEST|$PTEBENCH_PROCESS_NEW\" >&2",
              {},
              env_sink,
              {"PTEBENCH_PROCESS_TEST=theirs", "PTEBENCH_PROCESS_NEW=a b"}},
             {"echo \"$PTEBENCH_PROCESS_TEST|$PTEBENCH_PROCESS_NEW\" >&2", {}, env_sink, {}}}) ==
        std::vector<int>{0, 0});
  std::sort(env_lines.begin(), env_lines.end());
  CHECK(env_lines == std::vector<std::string>{"ours|", "theirs|a b"});
}

TEST_CASE("under ChildGroups a child leads a process group of its own, else it shares ours") {
  // The fifth field of /proc/self/stat: the process group of the command the shell starts.
  const auto group_of_command = [] {
    std::string text;
    REQUIRE(capture_shell("cut -d' ' -f5 /proc/self/stat", {}, &text) == 0);
    return static_cast<pid_t>(std::stol(text));
  };
  CHECK(group_of_command() == ::getpgrp());
  {
    const ChildGroups groups;
    const pid_t group = group_of_command();
    CHECK(group != ::getpgrp());
    CHECK(group > 0);
  }
  CHECK(group_of_command() == ::getpgrp());
}

TEST_CASE("signal_children reaches the shell and the command it runs, under ChildGroups") {
  // Under qemu-user 7.2 (the arm64 CI, 2026-12-05) the sender thread hung in pthread_create,
  // before its first system call, as compare's two-thread test did (b512522).
  PTEBENCH_SKIP_UNDER_EMULATOR("a second thread hangs qemu-user before its first system call");
  const ChildGroups groups;
  std::atomic<bool> done{false};
  std::thread sender([&done] {  // until the child has ended: it may not have started at first
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      signal_children(SIGTERM);
    }
  });
  const auto start = std::chrono::steady_clock::now();
  const int status = run_shell("sleep 30; echo", {"not reached"});
  done.store(true);
  sender.join();
  CHECK(status == 128 + SIGTERM);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{10});
}
