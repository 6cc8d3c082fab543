#include "harness/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "harness/input_error.h"
#include "harness/log.h"

namespace ptebench {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& path, std::string_view what, int err) {
  std::string line = path.string();
  line.append(": ");
  line.append(what);
  line.append(": ");
  line.append(std::strerror(err));
  throw InputError(line);
}

// An owned file descriptor (closed on scope exit; close errors of a descriptor we only read
// from do not matter).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

fs::path directory_of(const fs::path& path) {
  fs::path dir = path.parent_path();
  return dir.empty() ? fs::path(".") : dir;
}

// The file a write to `path` must replace: the target when `path` is a symlink to an existing
// file (so a symlinked baseline stays a symlink), else `path` itself.
fs::path resolve_destination(const fs::path& path) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(path, ec))) {
    fs::path target = fs::canonical(path, ec);
    if (!ec) return target;
  }
  return path;
}

void write_all(int fd, std::string_view data, const fs::path& shown) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(shown, "cannot write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// A temporary file next to the destination, removed on scope exit unless renamed into place.
class TempFile {
 public:
  explicit TempFile(const fs::path& destination) : destination_(destination) {
    static std::atomic<unsigned> counter{0};
    const std::string stem =
        "." + destination.filename().string() + ".tmp." + std::to_string(::getpid()) + ".";
    for (;;) {
      path_ = directory_of(destination) / (stem + std::to_string(counter++));
      // 0666 lets the umask decide, like any other new file.
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) break;
      if (errno != EEXIST) fail(destination, "cannot create a temporary file", errno);
    }
    struct stat st {};
    if (::stat(destination.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      // Keep the permission bits of the file being replaced.
      if (::fchmod(fd_, st.st_mode & 07777) != 0) {
        const int err = errno;
        discard();
        fail(destination, "cannot set permissions of the temporary file", err);
      }
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { discard(); }

  void write(std::string_view data) {
    try {
      write_all(fd_, data, destination_);
    } catch (...) {
      discard();
      throw;
    }
  }

  // fsync, close, rename over the destination, fsync the directory.
  void commit() {
    if (::fsync(fd_) != 0) fail_and_discard("cannot flush to disk", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail_and_discard("cannot write", errno);
    if (::rename(path_.c_str(), destination_.c_str()) != 0)
      fail_and_discard("cannot rename", errno);
    path_.clear();
    sync_directory();
  }

 private:
  [[noreturn]] void fail_and_discard(std::string_view what, int err) {
    discard();
    fail(destination_, what, err);
  }

  void discard() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!path_.empty()) ::unlink(path_.c_str());
    path_.clear();
  }

  // Makes the rename durable. The data is already in place, so a failure here is logged, not
  // thrown: the caller's file is there, only its survival of a power cut is not assured.
  void sync_directory() const {
    Fd dir(::open(directory_of(destination_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0) {
      if (errno != EINVAL && errno != EROFS) {
        log_line(destination_.string() + ": cannot fsync its directory: " + std::strerror(errno));
      }
    }
  }

  fs::path destination_;
  fs::path path_;
  int fd_ = -1;
};

// Holds flock(LOCK_EX) on a directory for its lifetime.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_.get() < 0) fail(dir, "cannot open directory", errno);
    while (::flock(fd_.get(), LOCK_EX) != 0) {
      if (errno != EINTR) fail(dir, "cannot lock directory", errno);
    }
  }

 private:
  Fd fd_;  // closing it releases the lock
};

// Returns the first line of `contents` without its line break.
std::string_view first_line(std::string_view contents) {
  std::string_view line = contents.substr(0, contents.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// 1-based CSV column in which `line` first differs from `expected` (headers hold no quotes).
std::size_t first_differing_column(std::string_view line, std::string_view expected) {
  std::size_t i = 0;
  while (i < line.size() && i < expected.size() && line[i] == expected[i]) ++i;
  std::size_t column = 1;
  for (std::size_t j = 0; j < i; ++j) column += expected[j] == ',' ? 1 : 0;
  return column;
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view contents) {
  TempFile temp(resolve_destination(path));
  temp.write(contents);
  temp.commit();
}

std::string read_whole_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail(path, "cannot read", errno);
  std::string contents;
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size > 0) {
    contents.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, "cannot read", errno);
    }
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  return contents;
}

void append_file_atomically(const fs::path& path, std::string_view header_line,
                            std::string_view lines, const AppendCheck& check) {
  const fs::path destination = resolve_destination(path);
  DirectoryLock lock(directory_of(destination));

  std::string existing;
  std::error_code ec;
  if (fs::exists(destination, ec)) existing = read_whole_file(destination);

  if (!existing.empty() && first_line(existing) != header_line) {
    const std::string_view found = first_line(existing);
    throw InputError(destination.string() +
                     ":1:" + std::to_string(first_differing_column(found, header_line)) +
                     ": header differs from the one being appended; refusing to mix schemas");
  }
  if (check) check(existing);

  TempFile temp(destination);
  if (existing.empty()) {
    temp.write(header_line);
    temp.write("\n");
  } else {
    temp.write(existing);
    if (existing.back() != '\n') temp.write("\n");  // complete a last line that lacks its '\n'
  }
  temp.write(lines);
  temp.commit();
}

}  // namespace ptebench
