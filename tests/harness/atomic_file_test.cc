// Tests harness/atomic_file: replacement and append are all-or-nothing, also when the write
// fails (a file-size limit makes it fail on demand) and when the process is killed mid-way.
#include "harness/atomic_file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness/input_error.h"
#include "test_files.h"

namespace ptebench {
namespace {

namespace fs = std::filesystem;
using test::error_of;

// Files in `dir` other than those named (temporary files must not be left behind).
std::vector<std::string> other_files(const fs::path& dir, const std::vector<std::string>& known) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (std::find(known.begin(), known.end(), name) == known.end()) out.push_back(name);
  }
  return out;
}

// Limits the size of files this process may write, so that a write fails with EFBIG (as it
// would with a full disk) — works for root too, unlike permissions. SIGXFSZ is ignored so that
// the failure is an error return, not death.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t old_handler_;
};

TEST_CASE("write_file_atomically creates and replaces whole files", "[atomic_file]") {
  test::TempDir dir;
  const fs::path file = dir / "out.csv";
  write_file_atomically(file, "first\n");
  CHECK(test::slurp(file) == "first\n");
  write_file_atomically(file, "second, longer\n");
  CHECK(test::slurp(file) == "second, longer\n");
  write_file_atomically(file, "");
  CHECK(fs::file_size(file) == 0);
  CHECK(other_files(dir.path(), {"out.csv"}).empty());

  SECTION("keeps the permission bits of the file it replaces") {
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    write_file_atomically(file, "third\n");
    CHECK(fs::status(file).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  }
  SECTION("replaces the target of a symlink, not the link") {
    const fs::path link = dir / "baseline.csv";
    fs::create_symlink(file, link);
    write_file_atomically(link, "through the link\n");
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(test::slurp(file) == "through the link\n");
  }
}

TEST_CASE("a failed write leaves the destination as it was", "[atomic_file]") {
  test::TempDir dir;
  const fs::path file = dir / "out.csv";
  write_file_atomically(file, "precious\n");

  SECTION("the write itself fails (file size limit, like a full disk)") {
    std::string message;
    {
      FileSizeLimit limit(16);
      message = error_of([&] { write_file_atomically(file, std::string(4096, 'x')); });
    }
    CHECK(message.find(file.string() + ": cannot write: ") == 0);
    CHECK(test::slurp(file) == "precious\n");
    CHECK(other_files(dir.path(), {"out.csv"}).empty());
  }
  SECTION("the rename fails (the destination is a non-empty directory)") {
    const fs::path busy = dir / "busy";
    fs::create_directories(busy / "inside");
    CHECK(error_of([&] { write_file_atomically(busy, "x"); }) ==
          busy.string() + ": cannot rename: Is a directory");
    CHECK(fs::is_directory(busy / "inside"));
    CHECK(other_files(dir.path(), {"out.csv", "busy"}).empty());
  }
  SECTION("the directory does not exist") {
    const fs::path nowhere = dir / "no" / "such" / "out.csv";
    CHECK(error_of([&] { write_file_atomically(nowhere, "x"); }) ==
          nowhere.string() + ": cannot create a temporary file: No such file or directory");
  }
}

TEST_CASE("read_whole_file reads bytes exactly and names a missing file", "[atomic_file]") {
  test::TempDir dir;
  const std::string bytes("a\0b\r\n", 5);
  CHECK(read_whole_file(dir.write("x", bytes)) == bytes);
  const fs::path missing = dir / "missing";
  CHECK(error_of([&] { read_whole_file(missing); }) ==
        missing.string() + ": cannot read: No such file or directory");
}

TEST_CASE("append_file_atomically adds lines under a checked header", "[atomic_file]") {
  test::TempDir dir;
  const fs::path history = dir / "history.csv";

  append_file_atomically(history, "a,b,c", "1,2,3\n");
  CHECK(test::slurp(history) == "a,b,c\n1,2,3\n");
  append_file_atomically(history, "a,b,c", "4,5,6\n7,8,9\n");
  CHECK(test::slurp(history) == "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");

  SECTION("another header is refused, naming the first differing column") {
    CHECK(error_of([&] { append_file_atomically(history, "a,x,c", "0,0,0\n"); }) ==
          history.string() + ":1:2: header differs from the one being appended; " +
              "refusing to mix schemas");
    CHECK(test::slurp(history) == "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
  }
  SECTION("the check sees the existing content and can refuse") {
    std::string seen;
    CHECK(error_of([&] {
            append_file_atomically(history, "a,b,c", "0,0,0\n", [&](std::string_view existing) {
              seen = existing;
              throw InputError("refused");
            });
          }) == "refused");
    CHECK(seen == "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
    CHECK(test::slurp(history) == seen);
    CHECK(other_files(dir.path(), {"history.csv"}).empty());
  }
  SECTION("a last line without its newline is completed, not glued to") {
    dir.write("history.csv", "a,b,c\r\n1,2,3");
    append_file_atomically(history, "a,b,c", "4,5,6\n");
    CHECK(test::slurp(history) == "a,b,c\r\n1,2,3\n4,5,6\n");
  }
  SECTION("a failed write keeps every line already there") {
    std::string message;
    {
      FileSizeLimit limit(28);  // the result would be 33 bytes
      message = error_of([&] { append_file_atomically(history, "a,b,c", "10,11,12\n"); });
    }
    CHECK(message.find(history.string() + ": cannot write: ") == 0);
    CHECK(test::slurp(history) == "a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
    CHECK(other_files(dir.path(), {"history.csv"}).empty());
  }
}

TEST_CASE("concurrent appends all land", "[atomic_file]") {
  test::TempDir dir;
  const fs::path history = dir / "history.csv";
  constexpr int kPerThread = 40;
  auto appender = [&](char tag) {
    for (int i = 0; i < kPerThread; ++i) {
      append_file_atomically(history, "h", std::string(1, tag) + std::to_string(i) + "\n");
    }
  };
  std::thread a(appender, 'a');
  std::thread b(appender, 'b');
  a.join();
  b.join();
  const std::string text = test::slurp(history);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1 + 2 * kPerThread);
  for (int i = 0; i < kPerThread; ++i) {
    CHECK(text.find("\na" + std::to_string(i) + "\n") != std::string::npos);
    CHECK(text.find("\nb" + std::to_string(i) + "\n") != std::string::npos);
  }
}

// The crash test: a child appends numbered lines as fast as it can and is SIGKILLed at an
// arbitrary moment; whatever the moment, the file is the header plus lines 0..k-1, complete.
TEST_CASE("a process killed while appending loses nothing and tears nothing", "[atomic_file]") {
  test::TempDir dir;
  const fs::path history = dir / "history.csv";
  std::size_t kept = 0;
  // 12 rounds at least; more, with longer waits, until a round has kept something — under
  // emulation (qemu-user) a child may need far longer for its first append.
  for (int round = 0; round < 12 || (kept == 0 && round < 40); ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        for (std::size_t i = kept;; ++i) {
          append_file_atomically(history, "n,payload",
                                 std::to_string(i) + "," + std::string(200, 'p') + "\n");
        }
      } catch (...) {
      }
      ::_exit(1);  // only on an error; the parent then sees an exit, not the kill
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 + 7 * round));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));

    const std::string text = test::slurp(history);
    if (text.empty()) continue;  // killed before the first rename
    REQUIRE(text.rfind("n,payload\n", 0) == 0);
    REQUIRE(text.back() == '\n');
    std::size_t expected = 0;
    std::size_t pos = text.find('\n') + 1;
    while (pos < text.size()) {
      const std::size_t eol = text.find('\n', pos);
      REQUIRE(text.substr(pos, eol - pos) ==
              std::to_string(expected) + "," + std::string(200, 'p'));
      ++expected;
      pos = eol + 1;
    }
    CHECK(expected >= kept);  // never fewer lines than the previous round saw
    kept = expected;
  }
  CHECK(kept > 0);
}

}  // namespace
}  // namespace ptebench
