#include "bench/runner/duet_sync.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "harness/input_error.h"
#include "harness/log.h"

namespace ptebench::cli {
namespace {

constexpr std::size_t kMapBytes = 2 * sizeof(std::uint64_t);

std::atomic_ref<std::uint64_t> counter(void* map, int side) {
  return std::atomic_ref<std::uint64_t>(static_cast<std::uint64_t*>(map)[side]);
}

}  // namespace

std::unique_ptr<DuetSync> DuetSync::from_environment() {
  const char* value = std::getenv(kDuetSyncEnv);
  if (value == nullptr) return nullptr;
  return open(value);
}

std::unique_ptr<DuetSync> DuetSync::open(const std::string& value, std::int64_t timeout_ns) {
  const auto bad = [&value](const std::string& why) {
    return InputError(std::string(kDuetSyncEnv) + "=" + value + ": " + why);
  };
  if (value.size() < 3 || (value[0] != '0' && value[0] != '1') || value[1] != ':')
    throw bad("expected SIDE:FILE with SIDE 0 or 1");
  const std::string path = value.substr(2);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw bad(std::string("cannot open the file: ") + std::strerror(errno));
  void* map = ::mmap(nullptr, kMapBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int map_errno = errno;
  struct stat st {};
  const bool big_enough = ::fstat(fd, &st) == 0 && st.st_size >= static_cast<off_t>(kMapBytes);
  ::close(fd);
  if (map == MAP_FAILED) throw bad(std::string("cannot map the file: ") + std::strerror(map_errno));
  if (!big_enough) {
    ::munmap(map, kMapBytes);
    throw bad("the file holds fewer than " + std::to_string(kMapBytes) + " bytes");
  }
  return std::unique_ptr<DuetSync>(new DuetSync(map, value[0] - '0', timeout_ns));
}

DuetSync::~DuetSync() {
  ::munmap(map_, kMapBytes);
}

bool DuetSync::arrive() {
  const std::uint64_t mine = counter(map_, side_).fetch_add(1) + 1;
  if (gave_up_) return false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeout_ns_);
  // A short sleep, not a spin: the machine is shared (a spin would take a CPU from whoever else
  // runs there), and 20 us of skew is small against a case's timed loop (milliseconds).
  while (counter(map_, 1 - side_).load() < mine) {
    if (std::chrono::steady_clock::now() > deadline) {
      gave_up_ = true;
      log_line(std::string("duet: the other side did not arrive within ") +
               std::to_string(timeout_ns_ / 1'000'000) + " ms; running on unsynchronised");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
  return true;
}

}  // namespace ptebench::cli
