// The /proc/self readers (workloads/native/proc_probe.h) against mappings made here: what they
// report must match what was done to the range, and an unreadable file is a SKIP reason.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cstdint>
#include <string>

#include "skip.h"
#include "tests/native/emulator.h"
#include "workloads/native/address_range.h"
#include "workloads/native/proc_probe.h"

namespace {

using namespace ptebench::native;

constexpr std::size_t kPage = 4096;
constexpr std::size_t kPages = 64;
constexpr std::size_t kBytes = kPages * kPage;

struct TestMapping {
  TestMapping() {
    void* p = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    // No THP for this small range: pagemap and smaps then count 4 KiB pages.
    ::madvise(p, kBytes, MADV_NOHUGEPAGE);
    range = {reinterpret_cast<std::uintptr_t>(p), kBytes};
  }
  ~TestMapping() {
    if (range.size_bytes) ::munmap(reinterpret_cast<void*>(range.start), range.size_bytes);
  }
  volatile char* bytes() const { return reinterpret_cast<char*>(range.start); }
  AddressRange range;
};

TEST_CASE("scan_present counts the pages that were written", "[native][probe]") {
  TestMapping m;
  PresentScan scan = scan_present(m.range);
  if (!scan.skip_reason.empty()) {
    PTEBENCH_SKIP(scan.skip_reason);
    CHECK(scan.present == 0);
    return;
  }
  CHECK(scan.pages == kPages);
  CHECK(scan.present == 0);  // mapped, never touched
  for (std::size_t i = 0; i < kPages; i += 2) m.bytes()[i * kPage] = 1;
  scan = scan_present(m.range);
  CHECK(scan.present == kPages / 2);
  // Reading pagemap did not fault anything in.
  CHECK(scan_present(m.range).present == kPages / 2);
  ::madvise(const_cast<char*>(m.bytes()), kBytes, MADV_DONTNEED);
  CHECK(scan_present(m.range).present == 0);
}

TEST_CASE("scan_mapped follows mmap and munmap", "[native][probe]") {
  TestMapping m;
  MappedScan scan = scan_mapped(m.range);
  REQUIRE(scan.skip_reason.empty());
  CHECK(scan.mapped_bytes == kBytes);
  // Punch a 4-page hole: the range is then two mappings with a gap.
  REQUIRE(::munmap(const_cast<char*>(m.bytes()) + 8 * kPage, 4 * kPage) == 0);
  CHECK(scan_mapped(m.range).mapped_bytes == kBytes - 4 * kPage);
  // A range that overlaps the mapping by one page at each end.
  const AddressRange wider{m.range.start - kPage, kBytes + 2 * kPage};
  CHECK(scan_mapped(wider).mapped_bytes <= kBytes - 4 * kPage + 2 * kPage);
  CHECK(scan_mapped(wider).mapped_bytes >= kBytes - 4 * kPage);
  ::munmap(const_cast<char*>(m.bytes()), kBytes);
  CHECK(scan_mapped(m.range).mapped_bytes == 0);
  m.range.size_bytes = 0;
}

TEST_CASE("smaps_totals sums Rss and Referenced of the range's VMA", "[native][probe]") {
  if (const std::string emu = test::emulator_name(); !emu.empty()) {
    PTEBENCH_SKIP("under " << emu
                           << " /proc/self/smaps lists the emulator's own VMAs, which may "
                              "merge the test's mapping with its neighbours");
    return;
  }
  TestMapping m;
  SmapsTotals before = smaps_totals(m.range);
  if (!before.skip_reason.empty()) {
    PTEBENCH_SKIP(before.skip_reason);
    CHECK(before.vmas == 0);
    return;
  }
  CHECK(before.vmas == 1);
  CHECK(before.rss_bytes == 0);
  for (std::size_t i = 0; i < kPages; ++i) m.bytes()[i * kPage] = 1;
  const SmapsTotals after = smaps_totals(m.range);
  CHECK(after.vmas == 1);
  CHECK(after.rss_bytes == kBytes);
  CHECK(after.referenced_bytes == kBytes);  // just written: every PTE young
  CHECK(after.anon_huge_bytes == 0);
}

TEST_CASE("an unreadable /proc file is a SKIP reason naming it", "[native][probe]") {
  const AddressRange range{0x10000, kPage};
  const PresentScan present = scan_present(range, "/nonexistent/pagemap");
  CHECK(present.skip_reason == "cannot read /nonexistent/pagemap: No such file or directory");
  CHECK(present.present == 0);
  const MappedScan mapped = scan_mapped(range, "/nonexistent/maps");
  CHECK(mapped.skip_reason == "cannot read /nonexistent/maps: No such file or directory");
  const SmapsTotals totals = smaps_totals(range, "/nonexistent/smaps");
  CHECK(totals.skip_reason == "cannot read /nonexistent/smaps: No such file or directory");
}

}  // namespace
