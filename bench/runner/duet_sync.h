// The rendezvous of `ab --duet`'s two sides (bench/cli/ab_duet.h): starting A and B at the same
// moment is not enough to keep them side by side. Each run calibrates and warms up on its own
// (and a side with --inject-slowdown calibrated its busy work first, before slowdown.h made it a
// share of each walk), so one side's untimed setup of a case (mapping and faulting in up to
// 262144 entries) would overlap the other's timed walks (seen on the busy 2-vCPU VM,
// unsynchronised: A/A flagged task_clock_ns of A, started first, 6% slower; with B calibrating a
// slowdown injected into another case, copy_range of A was 42% slower). So both sides meet before
// each case's timed loop, and the timed regions start together; within a case they then run side
// by side as long as their walks take alike.
//
// `ab` gives each side PTEBENCH_DUET_SYNC=SIDE:FILE in its environment (an environment variable,
// not a flag, so that a build of ptebench without it still runs as A or B, unsynchronised):
// SIDE is 0 or 1, FILE 16 bytes of zeros made by `ab` for that repetition: one arrival counter
// per side, shared through mmap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace ptebench::cli {

inline constexpr char kDuetSyncEnv[] = "PTEBENCH_DUET_SYNC";

class DuetSync {
 public:
  static constexpr std::int64_t kTimeoutNs = 20'000'000'000;

  // From $PTEBENCH_DUET_SYNC; nullptr when it is unset. InputError naming the variable when it
  // is malformed or its file cannot be mapped.
  static std::unique_ptr<DuetSync> from_environment();
  // The same from a value "SIDE:FILE" (for tests).
  static std::unique_ptr<DuetSync> open(const std::string& value,
                                        std::int64_t timeout_ns = kTimeoutNs);
  ~DuetSync();
  DuetSync(const DuetSync&) = delete;
  DuetSync& operator=(const DuetSync&) = delete;

  // Counts this side's arrival and waits until the other side has arrived as often, at most
  // the timeout (kTimeoutNs): a side that never comes (it failed, or it is a build that runs other
  // cases) must not hang this one. After one timeout it logs one line and never waits again.
  // Returns whether the two met.
  bool arrive();

 private:
  DuetSync(void* map, int side, std::int64_t timeout_ns)
      : map_(map), side_(side), timeout_ns_(timeout_ns) {}
  void* map_;
  int side_;
  std::int64_t timeout_ns_;
  bool gave_up_ = false;
};

}  // namespace ptebench::cli
