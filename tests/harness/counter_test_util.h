// Shared by the counter tests (counters_test, perf_group_test): work whose counts are known —
// first touches of fresh anonymous pages, each one page fault — and, from capture_output.h, capture
// of the log lines written to stderr.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <string>

#include "tests/harness/capture_output.h"

namespace ptebench::test {

inline std::size_t page_size_bytes() {
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// `pages` fresh anonymous pages, never touched until touch(): each first write is one page fault
// (MADV_NOHUGEPAGE, so a THP cannot serve 512 of them with one fault).
class FreshPages {
 public:
  explicit FreshPages(std::size_t pages) : pages_(pages), size_bytes_(pages * page_size_bytes()) {
    void* p =
        mmap(nullptr, size_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base_ = static_cast<unsigned char*>(p);
    madvise(base_, size_bytes_, MADV_NOHUGEPAGE);  // best effort: fails without THP support
  }
  FreshPages(const FreshPages&) = delete;
  FreshPages& operator=(const FreshPages&) = delete;
  ~FreshPages() { munmap(base_, size_bytes_); }

  // Writes one byte to every page; returns a checksum so that the writes are not elided.
  unsigned touch() {
    unsigned sum = 0;
    for (std::size_t i = 0; i < pages_; ++i) {
      volatile unsigned char* byte = base_ + i * page_size_bytes();
      *byte = static_cast<unsigned char>(i);
      sum += *byte;
    }
    return sum;
  }

 private:
  std::size_t pages_;
  std::size_t size_bytes_;
  unsigned char* base_ = nullptr;
};

// This thread's CPU time, in ns.
inline long thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1'000'000'000L + ts.tv_nsec;
}

// Burns `ns` nanoseconds of this thread's CPU time in user mode (CPU time, not wall time: on a
// busy machine the thread may wait for a CPU, which task-clock rightly does not count).
inline unsigned long spin_ns(long ns) {
  const long end = thread_cpu_ns() + ns;
  volatile unsigned long x = 0;
  while (thread_cpu_ns() < end)
    for (int i = 0; i < 1000; ++i) x = x + static_cast<unsigned long>(i);
  return x;
}

}  // namespace ptebench::test
