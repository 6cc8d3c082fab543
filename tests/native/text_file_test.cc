// The small-file helpers (workloads/native/text_file.h).
#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <vector>

#include "workloads/native/text_file.h"

namespace {

using namespace ptebench::native;

TEST_CASE("selected_choice picks the bracketed word", "[native][text]") {
  CHECK(selected_choice("always [madvise] never\n") == "madvise");
  CHECK(selected_choice("[always] inherit madvise never") == "always");
  CHECK(selected_choice("always defer defer+madvise [madvise] never") == "madvise");
  CHECK(selected_choice("  2097152\n") == "2097152");
  CHECK(selected_choice("\n").empty());
}

TEST_CASE("parse_kb_line reads one key in bytes", "[native][text]") {
  std::size_t bytes = 0;
  CHECK(parse_kb_line("AnonHugePages:      2048 kB", "AnonHugePages:", &bytes));
  CHECK(bytes == std::size_t{2048} * 1024);
  CHECK(parse_kb_line("MemAvailable:   23746000 kB", "MemAvailable:", &bytes));
  CHECK(bytes == std::size_t{23746000} * 1024);
  bytes = 7;
  CHECK_FALSE(parse_kb_line("Anonymous:      2048 kB", "AnonHugePages:", &bytes));
  CHECK_FALSE(parse_kb_line("AnonHugePages:", "AnonHugePages:", &bytes));
  CHECK_FALSE(parse_kb_line("AnonHugePages:  x kB", "AnonHugePages:", &bytes));
  CHECK(bytes == 7);
}

TEST_CASE("for_each_line splits on newlines - with or without a final one", "[native][text]") {
  std::vector<std::string> lines;
  for_each_line("a\nbb\n\nc", [&](std::string_view l) { lines.emplace_back(l); });
  CHECK(lines == std::vector<std::string>{"a", "bb", "", "c"});
  lines.clear();
  for_each_line("x\n", [&](std::string_view l) { lines.emplace_back(l); });
  CHECK(lines == std::vector<std::string>{"x"});
}

TEST_CASE("read_text_file reads proc files and reports errno", "[native][text]") {
  std::string text = "stale";
  CHECK(read_text_file("/nonexistent/file", &text) == ENOENT);
  CHECK(text.empty());
  REQUIRE(read_text_file("/proc/self/maps", &text) == 0);
  CHECK(text.find("[stack]") != std::string::npos);  // longer than one read, reported size 0
}

}  // namespace
