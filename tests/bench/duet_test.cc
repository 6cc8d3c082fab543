// Tests for ab --duet's schedule (bench/cli/ab_duet.h) and its rendezvous
// (bench/runner/duet_sync.h): the CPUs swap every repetition, a --run-arg that would pin a side
// is refused, and two sides meet through one file (here two threads, as two processes would).
#include <catch2/catch.hpp>

#include <sched.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "bench/cli/ab_duet.h"
#include "bench/runner/duet_sync.h"
#include "harness/input_error.h"
#include "skip.h"

namespace {

using ptebench::InputError;
using ptebench::cli::DuetSync;
namespace duet = ptebench::cli::duet;

std::string sync_file(const std::string& name) {
  const auto dir = std::filesystem::path(PTEBENCH_BINARY_DIR) / "duet_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
  return path.string();
}

}  // namespace

TEST_CASE("duet placement swaps the two CPUs every repetition - the start order every two") {
  const std::array<int, 2> cpus = {3, 5};
  CHECK(duet::placement(cpus, 0).cpu_a == 3);
  CHECK(duet::placement(cpus, 0).cpu_b == 5);
  CHECK(duet::placement(cpus, 1).cpu_a == 5);
  CHECK(duet::placement(cpus, 1).cpu_b == 3);
  CHECK(duet::placement(cpus, 6).cpu_a == 3);
  // The start order: A B, B A, B A, A B, then again.
  CHECK(duet::placement(cpus, 0).a_first);
  CHECK_FALSE(duet::placement(cpus, 1).a_first);
  CHECK_FALSE(duet::placement(cpus, 2).a_first);
  CHECK(duet::placement(cpus, 3).a_first);
  CHECK(duet::placement(cpus, 4).a_first);
}

TEST_CASE("duet picks two allowed CPUs - or refuses with one line") {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  REQUIRE(sched_getaffinity(0, sizeof(allowed), &allowed) == 0);
  if (CPU_COUNT(&allowed) < 2) {
    CHECK_THROWS_WITH(duet::pick_cpus(), Catch::Contains("needs two CPUs"));
    return;
  }
  const std::array<int, 2> cpus = duet::pick_cpus();
  CHECK(cpus[0] != cpus[1]);
  CHECK(CPU_ISSET(cpus[0], &allowed));
  CHECK(CPU_ISSET(cpus[1], &allowed));
}

TEST_CASE("duet refuses a --run-arg that would pin a side") {
  CHECK_THROWS_AS(duet::check_run_args({"--cpu", "1"}), InputError);
  CHECK_THROWS_AS(duet::check_run_args({"--no-pin"}), InputError);
  CHECK_THROWS_AS(duet::check_run_args({"--cpu=1"}), InputError);
  CHECK_NOTHROW(duet::check_run_args({"--seed", "3", "--counters", "cycles"}));
}

TEST_CASE("the duet rendezvous - both sides meet before each case") {
  // Under qemu-user (the arm64 CI) the two threads never saw each other's arrival through the
  // two mappings of the file (each waited out its 20 s); ab --duet runs natively only.
  PTEBENCH_SKIP_UNDER_EMULATOR(
      "the rendezvous is not seen across the file's two mappings; ab --duet runs natively");
  const std::string file = sync_file("meet.sync");
  auto a = DuetSync::open("0:" + file);
  auto b = DuetSync::open("1:" + file);
  bool met_a[3] = {}, met_b[3] = {};
  std::thread other([&] {
    for (bool& m : met_b) m = b->arrive();
  });
  for (bool& m : met_a) m = a->arrive();
  other.join();
  for (int i = 0; i < 3; ++i) {
    CHECK(met_a[i]);
    CHECK(met_b[i]);
  }
}

TEST_CASE("the duet rendezvous gives up on a side that never comes - once") {
  const std::string file = sync_file("alone.sync");
  auto a = DuetSync::open("0:" + file, 1'000'000);  // 1 ms
  CHECK_FALSE(a->arrive());
  CHECK_FALSE(a->arrive());  // no more waiting
}

TEST_CASE("the duet rendezvous refuses a malformed variable") {
  const std::string file = sync_file("bad.sync");
  CHECK_THROWS_AS(DuetSync::open(file), InputError);
  CHECK_THROWS_AS(DuetSync::open("2:" + file), InputError);
  CHECK_THROWS_AS(DuetSync::open("0:/nonexistent/duet.sync"), InputError);
  const auto dir = std::filesystem::path(PTEBENCH_BINARY_DIR) / "duet_test";
  std::ofstream(dir / "short.sync") << "x";
  CHECK_THROWS_WITH(DuetSync::open("0:" + (dir / "short.sync").string()),
                    Catch::Contains("fewer than 16 bytes"));
}
