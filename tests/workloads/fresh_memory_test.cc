// FreshMemory (workloads/fresh_memory.h): each walk's tables and memmap come from a mapping of
// their own, page-aligned; within a repetition a released mapping is reused by the next walk of
// the same size, and release_parked_memory() unmaps them all so the next repetition's walks get
// new pages. A reused mapping is not zeroed again: its owners (TablePool, PageArray) initialise
// what they hand out, and the last test shows they do. Nothing here is timed.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "workloads/fresh_memory.h"
#include "workloads/page.h"
#include "workloads/table_pool.h"

namespace {

using ptebench::FreshMemory;

// Whether all of [p, p + bytes) is mapped: msync() fails with ENOMEM on any unmapped page.
bool mapped(std::byte* p, std::size_t bytes) {
  if (::msync(p, bytes, MS_ASYNC) == 0) return true;
  REQUIRE(errno == ENOMEM);
  return false;
}

bool all_zero(const std::byte* p, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i)
    if (p[i] != std::byte{0}) return false;
  return true;
}

TEST_CASE("fresh memory is page-aligned - zero-filled when new - whole pages", "[fresh_memory]") {
  ptebench::release_parked_memory();
  FreshMemory m(3 * 4096 + 1);
  CHECK(m.size_bytes() == 4 * 4096);
  CHECK(reinterpret_cast<std::uintptr_t>(m.data()) % 4096 == 0);
  CHECK(all_zero(m.data(), m.size_bytes()));
  m.data()[m.size_bytes() - 1] = std::byte{1};  // writable to the last byte
  CHECK(mapped(m.data(), m.size_bytes()));
}

TEST_CASE("a released mapping is reused within a repetition - unmapped after it",
          "[fresh_memory]") {
  ptebench::release_parked_memory();
  std::byte* first = nullptr;
  {
    FreshMemory m(8 * 4096);
    first = m.data();
  }
  CHECK(ptebench::parked_memory_count() == 1);
  CHECK(mapped(first, 8 * 4096));  // parked, not unmapped
  {
    FreshMemory other_size(4 * 4096);  // a different size does not take it
    CHECK(other_size.data() != first);
    FreshMemory same_size(8 * 4096);  // the next walk of the same size does
    CHECK(same_size.data() == first);
    CHECK(ptebench::parked_memory_count() == 0);
  }
  CHECK(ptebench::parked_memory_count() == 2);
  CHECK(ptebench::release_parked_memory() == 2);
  CHECK(ptebench::parked_memory_count() == 0);
  CHECK_FALSE(mapped(first, 8 * 4096));
}

TEST_CASE("memmaps and table pools start zeroed on reused memory - live ones never share",
          "[fresh_memory]") {
  ptebench::release_parked_memory();
  // Dirty the memory of a memmap and a pool, release them to the parking list, and build new
  // ones of the same sizes: they get that memory back and must still read as zero.
  std::byte* memmap_memory = nullptr;
  std::byte* pool_memory = nullptr;
  {
    ptebench::PageArray pages(0x1000, 512);
    ptebench::TablePool pool(4, 4096);
    memmap_memory = reinterpret_cast<std::byte*>(&pages.at(0));
    void* table = pool.alloc();
    pool_memory = static_cast<std::byte*>(table);
    std::memset(memmap_memory, 0xa5, 512 * sizeof(ptebench::Page));
    std::memset(table, 0xa5, 4096);
    pool.free(table);
  }
  ptebench::PageArray a(0x1000, 512), b(0x1000, 512);
  CHECK(&a.at(0) != &b.at(0));
  CHECK((reinterpret_cast<std::byte*>(&a.at(0)) == memmap_memory ||
         reinterpret_cast<std::byte*>(&b.at(0)) == memmap_memory));
  for (std::size_t i = 0; i < 512; ++i) {
    REQUIRE(a.at(i).state() == ptebench::PageState{});
    REQUIRE(b.at(i).state() == ptebench::PageState{});
  }
  ptebench::TablePool p(4, 4096), q(4, 4096);
  void* t = p.alloc();
  void* u = q.alloc();
  CHECK(t != u);
  CHECK(reinterpret_cast<std::uintptr_t>(t) % 4096 == 0);
  CHECK(all_zero(static_cast<const std::byte*>(t), 4096));
  CHECK(all_zero(static_cast<const std::byte*>(u), 4096));
  CHECK(p.in_use() == 1);
  CHECK((t == pool_memory || u == pool_memory));  // one of them got the dirtied table back
}

}  // namespace
