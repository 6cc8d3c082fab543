#include "harness/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "skip.h"
#include "vm_flags.h"

namespace {

using ptebench::advise_huge_pages;
using ptebench::kHugePageBytes;
using ptebench::test::has_vm_flag;

}  // namespace

TEST_CASE("advise_huge_pages marks the whole 2 MiB pages inside a region, and nothing else") {
  PTEBENCH_SKIP_UNDER_EMULATOR("/proc/self/smaps is the host's");
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    PTEBENCH_SKIP(
        "this kernel has no transparent huge pages (no "
        "/sys/kernel/mm/transparent_hugepage/enabled)");
    return;
  }
  // 20 MiB mapped; the region starts 4 KiB past a 2 MiB boundary `base` and is 6 MiB long: it
  // holds the whole 2 MiB pages [base + 2 MiB, base + 6 MiB), and parts of two more.
  const std::size_t mapped = 10 * kHugePageBytes;
  void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(raw != MAP_FAILED);
  const auto base =
      (reinterpret_cast<std::uintptr_t>(raw) + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t start = base + 4096;
  const std::span<std::byte> advised =
      advise_huge_pages(reinterpret_cast<void*>(start), 3 * kHugePageBytes);
  REQUIRE(advised.size() == 2 * kHugePageBytes);
  CHECK(reinterpret_cast<std::uintptr_t>(advised.data()) == base + kHugePageBytes);
  CHECK_FALSE(has_vm_flag(start, "hg"));  // before the first whole page
  CHECK(has_vm_flag(base + kHugePageBytes, "hg"));
  CHECK(has_vm_flag(base + 3 * kHugePageBytes - 1, "hg"));
  CHECK_FALSE(has_vm_flag(base + 3 * kHugePageBytes, "hg"));  // the partial last
  ::munmap(raw, mapped);
}

TEST_CASE("advise_huge_pages leaves a region without a whole 2 MiB page alone") {
  CHECK(advise_huge_pages(nullptr, 4 * kHugePageBytes).empty());
  alignas(4096) static char small[1 << 20];
  CHECK(advise_huge_pages(small, sizeof small).empty());
  CHECK(advise_huge_pages(small, 0).empty());
}
