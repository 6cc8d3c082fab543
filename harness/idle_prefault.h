// Prefaulting memory on a core that would otherwise be idle. On a VM the first touch of a page
// is dear (`compare` of 2 x 1,000,000 rows: the 40 MB of its result rows took 35-100 ms to
// default-construct, most of it their pages' first touch, though they were huge pages), and a
// thread that faults the pages in ahead of their first use, at idle priority, moves that cost
// off the thread that uses them without taking time from any thread that has work.
#pragma once

#include <atomic>
#include <cstddef>
#include <span>
#include <thread>

namespace ptebench {

// Faults in the pages of `region` (its start page-aligned; a partial last page is left), writable,
// from its end down, 2 MiB at a time (madvise MADV_POPULATE_WRITE, Linux 5.14: as if each page were
// written, without writing to it, so memory another thread is using meanwhile is never changed), on
// a thread of scheduling policy SCHED_IDLE, which runs only when a core has nothing else to run.
// From the end down: an allocator hands out a fresh region from its start up, so the two meet and
// the parts used last are ready first. Best effort: nothing is done where SCHED_IDLE cannot be set
// (a thread at normal priority would take time from the threads that have work) or the kernel lacks
// MADV_POPULATE_WRITE. The destructor stops it within one 2 MiB step and joins.
class IdlePrefault {
 public:
  static constexpr std::size_t kStepBytes = std::size_t{2} << 20;

  explicit IdlePrefault(std::span<std::byte> region);
  IdlePrefault(const IdlePrefault&) = delete;
  IdlePrefault& operator=(const IdlePrefault&) = delete;
  ~IdlePrefault();

  // Waits until the whole region is faulted in, or the thread gave up; for tests.
  void wait();
  // Bytes faulted in so far (all of the region once wait() returns, unless it gave up).
  std::size_t populated_bytes() const { return populated_.load(std::memory_order_relaxed); }

 private:
  void run(std::span<std::byte> region);

  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> populated_{0};
  std::thread thread_;
};

}  // namespace ptebench
