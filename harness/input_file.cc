#include "harness/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

namespace ptebench {
namespace {

constexpr std::size_t kWindowBytes = std::size_t{1} << 20;

}  // namespace

InputFile::InputFile(const std::filesystem::path& path) : path_(path.string()) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path_ + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    size_ = static_cast<std::size_t>(st.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    return;
  }
  // Not a regular file: read it all.
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd_);
      throw InputError(path_ + ": cannot read: " + std::strerror(error));
    }
    stream_.append(chunk, static_cast<std::size_t>(n));
  }
  whole_ = stream_.data();
  size_ = stream_.size();
}

InputFile::InputFile(std::string_view bytes) : size_(bytes.size()), whole_(bytes.data()) {}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

void InputFile::read_at(std::size_t offset, char* out, std::size_t n) {
  while (n > 0) {
    const ssize_t got = ::pread(fd_, out, n, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(path_ + ": cannot read: " + std::strerror(errno));
    if (got == 0) throw InputError(path_ + ": cannot read: the file shrank while being read");
    offset += static_cast<std::size_t>(got);
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

std::string_view InputFile::from(std::size_t offset, std::size_t at_least) {
  if (whole_ != nullptr) return {whole_ + offset, size_ - offset};
  const std::size_t need = std::min(at_least, size_ - offset);
  if (offset < window_begin_ || offset + need > window_end_) {
    // Keep what is left from `offset` on, at the front; then fill the buffer.
    std::size_t kept = 0;
    if (offset >= window_begin_ && offset < window_end_) {
      kept = window_end_ - offset;
      std::memmove(window_.data(), window_.data() + (offset - window_begin_), kept);
    }
    if (window_.size() < std::max(need, kWindowBytes))
      window_.resize(std::max({need, kWindowBytes, 2 * window_.size()}));
    window_begin_ = offset;
    window_end_ = std::min(size_, offset + window_.size());
    read_at(offset + kept, window_.data() + kept, window_end_ - offset - kept);
  }
  return {window_.data() + (offset - window_begin_), window_end_ - offset};
}

template <class Visit>
void InputFile::scan(std::size_t begin, std::size_t end, Visit&& visit) {
  if (whole_ != nullptr) {
    visit(std::string_view(whole_ + begin, end - begin));
    return;
  }
  scratch_.resize(kWindowBytes);
  for (std::size_t at = begin; at < end;) {
    const std::size_t n = std::min(end - at, scratch_.size());
    read_at(at, scratch_.data(), n);
    if (!visit(std::string_view(scratch_.data(), n))) return;
    at += n;
  }
}

std::size_t InputFile::find(char c, std::size_t begin, std::size_t end) {
  std::size_t found = end;
  std::size_t at = begin;
  scan(begin, end, [&](std::string_view chunk) {
    if (const void* p = std::memchr(chunk.data(), c, chunk.size())) {
      found = at + static_cast<std::size_t>(static_cast<const char*>(p) - chunk.data());
      return false;
    }
    at += chunk.size();
    return true;
  });
  return found;
}

std::size_t InputFile::count(char c, std::size_t begin, std::size_t end) {
  std::size_t n = 0;
  scan(begin, end, [&](std::string_view chunk) {
    n += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), c));
    return true;
  });
  return n;
}

}  // namespace ptebench
