// Tests for harness/callgrind_output: a dump as Callgrind 3.19 wrote it (copied from a run of
// `valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --collect-atstart=no`, one
// CALLGRIND_DUMP_STATS_AT part), and each malformed input with its one-line message.
#include "harness/callgrind_output.h"

#include <catch2/catch.hpp>
#include <string>

#include "harness/input_error.h"
#include "test_files.h"

namespace {

using ptebench::InputError;
using ptebench::callgrind::parse_dump;

const char* const kDump = R"(# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 8256
cmd:  ./t
part: 1


desc: I1 cache: 32768 B, 64 B, 8-way associative
desc: D1 cache: 49152 B, 64 B, 12-way associative
desc: LL cache: 536870912 B, 64 B, 2-way associative

desc: Timerange: Basic block 0 - 31444
desc: Trigger: Client Request: case_a

positions: line
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
summary: 6014 1000 1007 3 0 1 3 0 0 1000 10


ob=(1) /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
fl=(1) ???
fn=(536)
0 6004 1000 1001 1 0 0 1 0 0 1000 10

totals: 6004 1000 1001 1 0 0 1 0 0 1000 10
)";

std::string message_of(const std::string& text) {
  try {
    parse_dump(text, "cg.out.1");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("a callgrind dump: events, totals (not summary), creator and cache geometry") {
  const auto dump = parse_dump(kDump, "cg.out.1");
  CHECK(dump.creator == "callgrind-3.19.0");
  REQUIRE(dump.events.size() == 13);
  CHECK(dump.events.front() == "Ir");
  CHECK(dump.total("Ir") == 6004u);  // totals, not the summary's 6014
  CHECK(dump.total("Dw") == 1001u);
  CHECK(dump.total("Bcm") == 10u);
  CHECK(dump.total("Bim") == 0u);  // left out at the end of the line: 0
  CHECK_FALSE(dump.total("Ge").has_value());
  REQUIRE(dump.cache_desc.size() == 3);
  CHECK(dump.cache_desc[1] == "D1 cache: 49152 B, 64 B, 12-way associative");
}

TEST_CASE("a dump with a summary and no totals line uses the summary, short lines are zeros") {
  const auto dump = parse_dump("events: Ir Dr\r\nsummary: 0\r\n", "x");
  CHECK(dump.total("Ir") == 0u);
  CHECK(dump.total("Dr") == 0u);
  CHECK(dump.creator.empty());
  CHECK(dump.cache_desc.empty());
}

TEST_CASE("malformed callgrind dumps are one line naming file and line") {
  CHECK(message_of("") == "cg.out.1: no events: line (not a callgrind dump?)");
  CHECK(message_of("events: Ir\n") == "cg.out.1: no totals: or summary: line (a truncated dump?)");
  CHECK(message_of("events:\n") == "cg.out.1:1: events: names no event");
  CHECK(message_of("events: Ir\nevents: Dr\n") == "cg.out.1:2: a second events: line");
  CHECK(message_of("totals: 5\nevents: Ir\n") == "cg.out.1:1: totals: before the events: line");
  CHECK(message_of("events: Ir\ntotals: 12x\n") ==
        "cg.out.1:2: totals: '12x' is not a whole number >= 0 below 2^64");
  CHECK(message_of("events: Ir\ntotals: -1\n") ==
        "cg.out.1:2: totals: '-1' is not a whole number >= 0 below 2^64");
  CHECK(message_of("events: Ir\ntotals: 18446744073709551616\n") ==
        "cg.out.1:2: totals: '18446744073709551616' is not a whole number >= 0 below 2^64");
  CHECK(message_of("events: Ir\ntotals: 1 2\n") ==
        "cg.out.1:2: totals: has 2 numbers for 1 events");
}

TEST_CASE("read_dump reads a file and names a missing one") {
  ptebench::test::TempDir dir;
  const auto path = dir.write("cg.out.1", kDump);
  CHECK(ptebench::callgrind::read_dump(path).total("Ir") == 6004u);
  CHECK_THROWS_WITH(ptebench::callgrind::read_dump(dir / "absent"),
                    (dir / "absent").string() + ": cannot read the callgrind dump");
}
