#include "harness/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

namespace ptebench {
namespace {

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
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map != MAP_FAILED) {
      // Read front to back once: let the kernel read ahead.
      ::madvise(map, size, MADV_SEQUENTIAL);
      map_ = map;
      data_ = static_cast<const char*>(map);
      size_ = size;
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

MappedFile::~MappedFile() {
  if (map_ != nullptr) ::munmap(map_, size_);
}

}  // namespace ptebench
