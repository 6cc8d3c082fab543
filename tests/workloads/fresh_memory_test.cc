// FreshMemory (workloads/fresh_memory.h): each walk's tables and memmap come from their own
// mapping, zero-filled and page-aligned, and the mapping is gone with the object. Checked through
// /proc/self/maps and the contents, nothing timed.
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

// Whether some line of /proc/self/maps covers exactly [start, start + bytes) or contains it.
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

TEST_CASE("fresh memory is page-aligned - zero-filled - whole pages - and unmapped when it goes",
          "[fresh_memory]") {
  const std::byte* data = nullptr;
  std::size_t bytes = 0;
  {
    FreshMemory m(3 * 4096 + 1);
    data = m.data();
    bytes = m.size_bytes();
    CHECK(bytes == 4 * 4096);
    CHECK(reinterpret_cast<std::uintptr_t>(data) % 4096 == 0);
    bool all_zero = true;
    for (std::size_t i = 0; i < bytes; ++i) all_zero = all_zero && m.data()[i] == std::byte{0};
    CHECK(all_zero);
    m.data()[bytes - 1] = std::byte{1};  // writable to the last byte
    CHECK(mapped(data, bytes));
  }
  CHECK_FALSE(mapped(data, bytes));
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
