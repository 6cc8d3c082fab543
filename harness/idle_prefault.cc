#include "harness/idle_prefault.h"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace ptebench {

IdlePrefault::IdlePrefault(std::span<std::byte> region) {
  if (!region.empty()) thread_ = std::thread([this, region] { run(region); });
}

IdlePrefault::~IdlePrefault() {
  stop_.store(true, std::memory_order_relaxed);
  wait();
}

void IdlePrefault::wait() {
  if (thread_.joinable()) thread_.join();
}

void IdlePrefault::run(std::span<std::byte> region) {
  const sched_param idle{};  // SCHED_IDLE takes priority 0
  if (::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle) != 0) return;
  // madvise takes whole pages: a partial last page is left out.
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::byte* end = region.data() + region.size() / page * page;
  while (end > region.data() && !stop_.load(std::memory_order_relaxed)) {
    std::byte* begin = end - std::min(kStepBytes, static_cast<std::size_t>(end - region.data()));
    if (::madvise(begin, static_cast<std::size_t>(end - begin), MADV_POPULATE_WRITE) != 0) return;
    populated_.fetch_add(static_cast<std::size_t>(end - begin), std::memory_order_relaxed);
    end = begin;
  }
}

}  // namespace ptebench
