// --inject-slowdown GLOB=PCT: busy work inside the timed region of every matching case, after each
// walk and worth PCT percent of that walk's own time, so that the regression detector can be
// tested end to end on a known change: every walk takes (1 + PCT/100) times what it took, as if
// the code were that much slower, whatever the machine did meanwhile.
//
// The busy work was a constant before, PCT percent of the median of 11 calibration walks made
// once per run before the timed ones. A constant is right only while the walks take what they
// took when it was calibrated, and they did not: under `ab --duet` one side calibrated while the
// other waited at the rendezvous (duet_sync.h) and walked alone, then timed its walks beside the
// other's. On this VM a 300% slowdown of none_scan/x86_64/plain/dense/4096/kernel so measured
// +31% in a sanitizer build's duet (2.87 against 3.91 ns per entry, 2026-12-06: the CI test
// ab_duet:slowdown found no regression); run alone, the release build's read +106% to +304% in
// five runs (of 5 and 9 repetitions) as the machine changed. A share of each walk read x4.06 and
// x4.32 in two release duets and x3.72 to x3.96 in ten sanitizer duets, that morning.
//
// The clock reads are part of the busy work, and on a very short walk they show: asked for 5%,
// eight release duets of none_scan/x86_64/plain/dense/4096/kernel (about 1.7 us a walk) read
// +1.0% to +14.1%, median +10.3% (the constant before: +4.6% to +15.6%, median about +7.5%), while
// six of munmap/arm64/plain/dense/4096/kernel (about 110 us, nightly-check's stepped case) read
// +4.1% to +5.5%, median +4.9% (before: +4.9% to +6.7%, median +5.5%). 2026-12-06.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ptebench::cli {

struct Slowdown {
  std::string glob;
  double percent = 0;
};

// Parses "GLOB=PCT" (PCT in (0, 1000]); throws InputError naming the flag value.
Slowdown parse_slowdown(const std::string& text);

// The percentage that applies to a case name (the last matching rule wins; 0 if none).
double slowdown_percent(const std::vector<Slowdown>& rules, const std::string& case_name);

// Called right after a walk that started at `walk_start`: busy-waits on the monotonic clock for
// `percent` percent of the time since `walk_start` (work the CPU must do, which the compiler
// cannot remove, independent of the walk's memory traffic). Returns the time spun, at least that
// share; 0 at once, without reading the clock, for `percent` <= 0.
std::int64_t spin_share(std::chrono::steady_clock::time_point walk_start, double percent);

}  // namespace ptebench::cli
