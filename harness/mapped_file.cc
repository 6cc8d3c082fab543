#include "harness/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

namespace ptebench {
namespace {

#ifdef MADV_POPULATE_READ
constexpr int kPopulateRead = MADV_POPULATE_READ;
#else
constexpr int kPopulateRead = 22;  // <linux/mman.h>, Linux 5.14
#endif

struct Fd {
  int fd;
  ~Fd() { ::close(fd); }
};

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  const Fd closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      // Read front to back once: let the kernel read ahead.
      ::madvise(map, size, MADV_SEQUENTIAL);
      map_ = map;
      data_ = static_cast<const char*>(map);
      size_ = size;
      reading_at(0);
      return;
    }
  }
  // Not a regular file (or not mappable): read it all.
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(path.string() + ": cannot read: " + std::strerror(errno));
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  data_ = buffer_.data();
  size_ = buffer_.size();
}

void MappedFile::reading_at(std::size_t offset) {
  if (map_ == nullptr) return;
  constexpr std::size_t kAhead = std::size_t{32} << 20;
  constexpr std::size_t kBehind = std::size_t{8} << 20;
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  auto* base = static_cast<char*>(map_);
  if (offset + kAhead / 2 >= populated_ && populated_ < size_) {
    const std::size_t end = std::min(size_, offset + kAhead);
    // Linux 5.14; where unknown, the pages fault in one by one as before.
    ::madvise(base + populated_, end - populated_, kPopulateRead);
    populated_ = end;
  }
  if (offset > released_ + 2 * kBehind) {
    const std::size_t end = (offset - kBehind) / page * page;
    ::madvise(base + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }
}

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

}  // namespace ptebench
