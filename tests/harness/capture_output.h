// Capture of what code under test writes to stdout or stderr (log lines, reports), for the tests
// that check it: the descriptor itself is redirected, so output of child processes and of C and
// C++ streams alike is caught.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <iostream>
#include <string>

namespace ptebench::test {

// Runs `fn` with file descriptor `fd` (1 or 2) sent to an anonymous temporary file (one per
// call: test cases run at once, and a capture of stdout may enclose one of stderr); returns what
// was written there.
template <class Fn>
std::string capture_fd(int fd, Fn&& fn) {
  std::fflush(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::FILE* tmp = std::tmpfile();
  REQUIRE(tmp != nullptr);
  const int saved = ::dup(fd);
  REQUIRE(saved >= 0);
  ::dup2(fileno(tmp), fd);
  fn();
  std::fflush(nullptr);
  std::cout.flush();
  std::cerr.flush();
  ::dup2(saved, fd);
  ::close(saved);
  std::string out;
  std::rewind(tmp);
  for (int c = std::fgetc(tmp); c != EOF; c = std::fgetc(tmp)) out.push_back(static_cast<char>(c));
  std::fclose(tmp);
  return out;
}

template <class Fn>
std::string capture_stderr(Fn&& fn) {
  return capture_fd(2, fn);
}

}  // namespace ptebench::test
