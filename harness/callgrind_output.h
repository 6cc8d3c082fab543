// Reading a profile dump written by Valgrind's Callgrind (the exact engine, bench/runner/exact_engine.h),
// as its format is specified in Valgrind's docs ("Callgrind Format Specification", 3.19):
//   # callgrind format            optional first line
//   creator: callgrind-3.19.0     the tool and its version
//   desc: I1 cache: 32768 B, 64 B, 8-way associative     free text; with --cache-sim=yes one
//   desc: D1 cache: ...                                   line per simulated cache
//   desc: LL cache: ...
//   events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
//   summary: 6014 1000 ...        the total cost, one number per event (trailing zeros may be
//   ...                           left out: "summary: 0")
//   totals: 6004 1000 ...         the sum of every self-cost line below
// Only this header is read; the per-function cost lines after it are skipped. The totals are
// what ptebench uses: they are the events collected (Valgrind's own "Collected :" line in its
// log equals the sum of the parts' totals), while callgrind 3.19's summary also counts the
// cost of call arcs a second time (seen: summary 6014, totals 6004 for one dump).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::callgrind {

struct Dump {
  std::string creator;                  // e.g. "callgrind-3.19.0"; empty when not given
  std::vector<std::string> cache_desc;  // e.g. "D1 cache: 49152 B, 64 B, 12-way associative"
  std::vector<std::string> events;      // from "events:", in order
  std::vector<std::uint64_t> totals;    // one per event (missing trailing numbers are 0)

  // The total of one event, nullopt when the dump has no such event.
  std::optional<std::uint64_t> total(std::string_view event) const;
};

// Parses a dump's text; `name` stands for the file in messages. Throws InputError with one line
// "NAME:LINE: what" for: no "events:" line, an "events:" line without names or given twice, no
// "totals:" (nor "summary:") line, a total that is not a whole number >= 0 or does not fit 64
// bits, more totals than events, a totals line before the events line.
Dump parse_dump(std::string_view text, std::string_view name);

// Reads and parses a dump file (InputError naming the file when it cannot be read).
Dump read_dump(const std::filesystem::path& path);

}  // namespace ptebench::callgrind
