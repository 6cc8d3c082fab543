#include "harness/idle_prefault.h"

#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "skip.h"

namespace {

// How many of the pages of [start, start + bytes) are resident (mincore(2)).
std::size_t resident_pages(void* start, std::size_t bytes) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in((bytes + page - 1) / page);
  REQUIRE(::mincore(start, bytes, in.data()) == 0);
  std::size_t resident = 0;
  for (const unsigned char v : in) resident += v & 1;
  return resident;
}

}  // namespace

TEST_CASE("IdlePrefault faults in every page of a region without writing to it") {
  if (std::string(PTEBENCH_EMULATOR).size() > 0) {
    PTEBENCH_SKIP("under qemu-user (" PTEBENCH_EMULATOR ") madvise advice is not the host's");
    return;
  }
  const std::size_t bytes = 3 * ptebench::IdlePrefault::kStepBytes + 4096 * 5;
  void* raw = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(raw != MAP_FAILED);
  auto* region = static_cast<std::byte*>(raw);
  region[0] = std::byte{42};  // a page in use keeps its contents
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  CHECK(resident_pages(raw, bytes) == 1);
  {
    ptebench::IdlePrefault prefault(std::span<std::byte>(region, bytes));
    prefault.wait();
    if (prefault.populated_bytes() == 0) {
      PTEBENCH_SKIP(
          "nothing prefaulted: SCHED_IDLE refused, or a kernel without "
          "MADV_POPULATE_WRITE (Linux 5.14)");
      ::munmap(raw, bytes);
      return;
    }
    CHECK(prefault.populated_bytes() == bytes);
  }
  CHECK(resident_pages(raw, bytes) == bytes / page);
  CHECK(region[0] == std::byte{42});
  CHECK(region[bytes - 1] == std::byte{0});
  ::munmap(raw, bytes);
}

TEST_CASE("IdlePrefault of an empty region starts nothing, and a stopped one joins") {
  ptebench::IdlePrefault none({});
  none.wait();
  CHECK(none.populated_bytes() == 0);
  // Destroyed at once: stopped within one step, whatever it had done.
  const std::size_t bytes = 64 * ptebench::IdlePrefault::kStepBytes;
  void* raw = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(raw != MAP_FAILED);
  { ptebench::IdlePrefault stopped(std::span<std::byte>(static_cast<std::byte*>(raw), bytes)); }
  // Joined: nothing faults pages in any more.
  const std::size_t after = resident_pages(raw, bytes);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(resident_pages(raw, bytes) == after);
  ::munmap(raw, bytes);
}
