#include "bench/cli/compare_heap.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "skip.h"
#include "vm_flags.h"

TEST_CASE("compare's heap: small inputs are left as they were") {
  CHECK_FALSE(ptebench::cli::prepare_compare_heap(0));
  CHECK_FALSE(ptebench::cli::prepare_compare_heap(ptebench::cli::kHugeHeapMinInputBytes - 1));
}

TEST_CASE("compare's heap: large inputs' tables are allocated in huge-page-advised heap") {
  if (std::string(PTEBENCH_EMULATOR).size() > 0) {
    PTEBENCH_SKIP("under qemu-user (" PTEBENCH_EMULATOR ") /proc/self/smaps is the host's");
    return;
  }
#if defined(__SANITIZE_ADDRESS__)
  PTEBENCH_SKIP("a sanitizer's allocator replaces glibc's heap; release build only");
  return;
#endif
  if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    PTEBENCH_SKIP("this kernel has no transparent huge pages");
    return;
  }
  REQUIRE(ptebench::cli::prepare_compare_heap(ptebench::cli::kHugeHeapMinInputBytes));
  // A table of 24 MiB, as compare allocates for a file of 1,000,000 rows: from the advised heap.
  const std::size_t bytes = std::size_t{24} << 20;
  char* table = static_cast<char*>(std::malloc(bytes));
  REQUIRE(table != nullptr);
  CHECK(ptebench::test::has_vm_flag(reinterpret_cast<std::uintptr_t>(table) + bytes / 2, "hg"));
  std::free(table);
}
