// RAII mappings (workloads/native/owned_mapping.h): alignment, trimming, ownership, failure.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>

#include "workloads/native/owned_mapping.h"
#include "workloads/native/proc_probe.h"

namespace {

using namespace ptebench::native;

constexpr std::size_t k2M = std::size_t{2} << 20;

void* failing_mmap(void*, std::size_t, int, int, int, off_t) {
  errno = ENOMEM;
  return MAP_FAILED;
}

TEST_CASE("map_anonymous_aligned places the start and trims the padding", "[native][mapping]") {
  for (const std::size_t offset : {std::size_t{0}, std::size_t{4096}}) {
    INFO("offset " << offset);
    int err = -1;
    AddressRange range;
    {
      OwnedMapping m =
          map_anonymous_aligned(4 * k2M, k2M, offset, PROT_READ | PROT_WRITE, nullptr, &err);
      REQUIRE_FALSE(m.empty());
      range = m.range();
      CHECK(range.start % k2M == offset);
      CHECK(range.size_bytes == 4 * k2M);
      m.data()[0] = 1;
      m.data()[range.size_bytes - 1] = 1;
      CHECK(scan_mapped(range).mapped_bytes == 4 * k2M);
      // Head and tail padding are gone: the pages around the range are not ours.
      CHECK(scan_mapped({range.start - 4096, 4096}).mapped_bytes == 0);
      CHECK(scan_mapped({range.end(), 4096}).mapped_bytes == 0);
    }
    CHECK(scan_mapped(range).mapped_bytes == 0);  // the destructor unmapped it
  }
}

TEST_CASE("OwnedMapping moves ownership and forgets on request", "[native][mapping]") {
  int err = 0;
  OwnedMapping a = map_anonymous_aligned(k2M, 4096, 0, PROT_READ, nullptr, &err);
  REQUIRE_FALSE(a.empty());
  const AddressRange range = a.range();
  OwnedMapping b = std::move(a);
  CHECK(a.empty());
  CHECK(b.range().start == range.start);
  b.forget();
  CHECK(b.empty());
  CHECK(scan_mapped(range).mapped_bytes == k2M);  // forgotten, not unmapped
  REQUIRE(::munmap(reinterpret_cast<void*>(range.start), range.size_bytes) == 0);
  b = OwnedMapping(range);  // and unmap() of an owned range
  REQUIRE(::mmap(reinterpret_cast<void*>(range.start), range.size_bytes, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != MAP_FAILED);
  b.unmap();
  CHECK(b.empty());
  CHECK(scan_mapped(range).mapped_bytes == 0);
}

TEST_CASE("a failed map returns empty with the errno", "[native][mapping]") {
  int err = 0;
  CHECK(map_anonymous_aligned(k2M, k2M, 0, PROT_READ, &failing_mmap, &err).empty());
  CHECK(err == ENOMEM);
  err = 0;
  CHECK(map_anonymous_aligned(std::size_t{1} << 50, k2M, 0, PROT_READ, nullptr, &err).empty());
  CHECK(err == ENOMEM);
  err = 0;
  CHECK(map_anonymous_aligned(SIZE_MAX - 4096, k2M, 0, PROT_READ, nullptr, &err).empty());
  CHECK(err == ENOMEM);  // the padded length overflows
}

}  // namespace
