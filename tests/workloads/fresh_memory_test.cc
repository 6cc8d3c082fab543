// FreshMemory (workloads/fresh_memory.h): each walk's tables and memmap come from a mapping of
// their own, zero-filled and page-aligned; within a repetition a released mapping is reused by
// the next walk of the same size, and release_parked_memory() unmaps them all so the next
// repetition's walks get new pages. Checked through /proc/self/maps and the contents; nothing
// timed.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "workloads/fresh_memory.h"
#include "workloads/page.h"
#include "workloads/table_pool.h"

namespace {

using ptebench::FreshMemory;

// Whether some line of /proc/self/maps contains [p, p + bytes).
bool mapped(const std::byte* p, std::size_t bytes) {
  std::ifstream maps("/proc/self/maps");
  REQUIRE(maps.good());
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream in(line);
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    in >> std::hex >> lo >> dash >> hi;
    if (lo <= start && start + bytes <= hi) return true;
  }
  return false;
}

bool all_zero(const FreshMemory& m) {
  for (std::size_t i = 0; i < m.size_bytes(); ++i)
    if (m.data()[i] != std::byte{0}) return false;
  return true;
}

TEST_CASE("fresh memory is page-aligned - zero-filled - whole pages", "[fresh_memory]") {
  ptebench::release_parked_memory();
  FreshMemory m(3 * 4096 + 1);
  CHECK(m.size_bytes() == 4 * 4096);
  CHECK(reinterpret_cast<std::uintptr_t>(m.data()) % 4096 == 0);
  CHECK(all_zero(m));
  m.data()[m.size_bytes() - 1] = std::byte{1};  // writable to the last byte
  CHECK(mapped(m.data(), m.size_bytes()));
}

TEST_CASE("a released mapping is reused zeroed within a repetition - unmapped after it",
          "[fresh_memory]") {
  ptebench::release_parked_memory();
  const std::byte* first = nullptr;
  {
    FreshMemory m(8 * 4096);
    first = m.data();
    m.data()[100] = std::byte{7};
  }
  CHECK(ptebench::parked_memory_count() == 1);
  {
    FreshMemory other_size(4 * 4096);  // a different size does not take it
    CHECK(other_size.data() != first);
    FreshMemory same_size(8 * 4096);  // the next walk of the same size does, zeroed
    CHECK(same_size.data() == first);
    CHECK(all_zero(same_size));
    CHECK(ptebench::parked_memory_count() == 0);
  }
  CHECK(ptebench::parked_memory_count() == 2);
  CHECK(ptebench::release_parked_memory() == 2);
  CHECK(ptebench::parked_memory_count() == 0);
  CHECK_FALSE(mapped(first, 8 * 4096));
}

TEST_CASE("two live walks' memmaps and table pools are distinct mappings", "[fresh_memory]") {
  ptebench::PageArray a(0x1000, 512), b(0x1000, 512);
  CHECK(&a.at(0) != &b.at(0));
  CHECK(a.at(511).state() == ptebench::PageState{});  // every page starts zeroed
  ptebench::TablePool p(4, 4096), q(4, 4096);
  void* t = p.alloc();
  void* u = q.alloc();
  CHECK(t != u);
  CHECK(reinterpret_cast<std::uintptr_t>(t) % 4096 == 0);
  CHECK(p.in_use() == 1);
}

}  // namespace
