#include "bench/cli/compare_heap.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>

#include "skip.h"
#include "vm_flags.h"

TEST_CASE("compare's heap: small inputs are left as they were") {
  CHECK(ptebench::cli::prepare_compare_heap(0).empty());
  CHECK(ptebench::cli::prepare_compare_heap(ptebench::cli::kHugeHeapMinInputBytes - 1).empty());
}

TEST_CASE("compare's heap: large inputs' tables are allocated in huge-page-advised heap") {
  PTEBENCH_SKIP_UNDER_EMULATOR("/proc/self/smaps is the host's");
  PTEBENCH_SKIP_IN_SANITIZER_BUILD("its allocator replaces glibc's heap");
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    PTEBENCH_SKIP("this kernel has no transparent huge pages");
    return;
  }
  const std::span<std::byte> heap =
      ptebench::cli::prepare_compare_heap(ptebench::cli::kHugeHeapMinInputBytes);
  REQUIRE(heap.size() >= ptebench::cli::kHugeHeapMinInputBytes - 4 * (std::size_t{2} << 20));
  // A table of 24 MiB, as compare allocates for a file of 1,000,000 rows: from the start of the
  // advised heap (the heap's free top, which begins within the 2 MiB before its first whole page).
  const std::size_t bytes = std::size_t{24} << 20;
  char* table = static_cast<char*>(std::malloc(bytes));
  REQUIRE(table != nullptr);
  const auto at = reinterpret_cast<std::uintptr_t>(table);
  const auto from = reinterpret_cast<std::uintptr_t>(heap.data());
  CHECK((at > from ? at - from : from - at) < (std::size_t{2} << 20));
  CHECK(ptebench::test::has_vm_flag(reinterpret_cast<std::uintptr_t>(table) + bytes / 2, "hg"));
  std::free(table);
}
