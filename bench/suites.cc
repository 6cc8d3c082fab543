#include "bench/suites.h"

namespace ptebench::cli {

const std::vector<SuiteSpec>& suites() {
  static const std::vector<SuiteSpec> kSuites = {
      {"quick",
       "every walker x format x variant at an L1/L2-resident and a DRAM-sized table, "
       "kernel profile, plus native fork/munmap/dontneed at 64 MiB (<= 60 s)",
       {"copy_range", "zap_range", "munmap", "reclaim_rmap", "reclaim_walk", "none_scan"},
       {"x86_64", "arm64"},
       {"plain", "read_once", "arch"},
       {"dense", "contpte"},
       {4096, 262144},
       {"default"},
       {"native_fork", "native_munmap", "native_dontneed"},
       {"4k"},
       {64},
       10,
       std::uint64_t{1} << 20},
      {"nightly",
       "quick plus sparse/random layouts, 512 to 1 Mi entries, both codegen profiles, "
       "every native workload in 4k and thp at 256 MiB (<= 15 min)",
       {"copy_range", "zap_range", "munmap", "reclaim_rmap", "reclaim_walk", "none_scan"},
       {"x86_64", "arm64"},
       {"plain", "read_once", "arch"},
       {"dense", "sparse", "random", "contpte"},
       {512, 65536, 1048576},
       {"kernel", "user"},
       {"native_fork", "native_munmap", "native_dontneed", "native_cold", "native_pageout",
        "native_clear_refs", "native_mremap"},
       {"4k", "thp"},
       {256},
       10,
       std::uint64_t{1} << 21},
      {"full",
       "every dimension: 512 to 4 Mi entries, all layouts, both profiles, native at "
       "64 MiB and 1 GiB in every layout the machine has",
       {"copy_range", "zap_range", "munmap", "reclaim_rmap", "reclaim_walk", "none_scan"},
       {"x86_64", "arm64"},
       {"plain", "read_once", "arch"},
       {"dense", "sparse", "random", "contpte"},
       {512, 4096, 65536, 262144, 1048576, 4194304},
       {"kernel", "user"},
       {"native_fork", "native_munmap", "native_dontneed", "native_cold", "native_pageout",
        "native_clear_refs", "native_mremap"},
       {"4k", "thp", "mthp"},
       {64, 1024},
       15,
       std::uint64_t{1} << 22},
  };
  return kSuites;
}

const SuiteSpec* find_suite(std::string_view name) {
  for (const SuiteSpec& s : suites())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace ptebench::cli
