#include "bench/matrix/suites.h"

namespace ptebench::cli {
namespace {

using native::NativeOp;
using W = WalkerKind;
using V = VariantKind;

// Every suite runs every walker and variant in both PTE formats (the axes the variant table
// compares); the suites differ in sizes, layouts, profiles and native workloads.
const std::vector<WalkerKind> kAllWalkers = {W::copy_range,   W::zap_range,    W::munmap,
                                             W::reclaim_rmap, W::reclaim_walk, W::none_scan};
const std::vector<VariantKind> kAllVariants = {V::plain, V::read_once, V::arch};
const std::vector<std::string_view> kAllFormats = {"x86_64", "arm64"};
const std::vector<NativeOp> kAllNativeOps = {
    NativeOp::fork,    NativeOp::munmap,     NativeOp::dontneed, NativeOp::cold,
    NativeOp::pageout, NativeOp::clear_refs, NativeOp::mremap};

}  // namespace

const std::vector<SuiteSpec>& suites() {
  static const std::vector<SuiteSpec> kSuites = {
      {.name = "quick",
       .summary = "every walker x format x variant at an L1/L2-resident and a DRAM-sized table, "
                  "kernel profile, plus native fork/munmap/dontneed at 64 MiB (<= 45 s)",
       .walkers = kAllWalkers,
       .formats = kAllFormats,
       .variants = kAllVariants,
       .layouts = {"dense", "contpte"},
       .ptes = {4096, 262144},
       .profiles = {SuiteProfile::build_default},
       .native_ops = {NativeOp::fork, NativeOp::munmap, NativeOp::dontneed},
       .native_layouts = {"4k"},
       .native_size_mib = {64},
       .repetitions = 10,
       .entries_per_repetition = std::uint64_t{1} << 20,
       // 108 synthetic cases x 10 repetitions x 10 ms = 11 s at most for the walks and resets;
       // the 3 native cases at 2 operations a repetition (README: quick suite time).
       .case_budget_ms = 10,
       .native_ops_max = 2},
      {.name = "nightly",
       .summary = "quick plus sparse/random layouts, 512 to 1 Mi entries, both codegen profiles, "
                  "every native workload in 4k and thp at 256 MiB (<= 15 min)",
       .walkers = kAllWalkers,
       .formats = kAllFormats,
       .variants = kAllVariants,
       .layouts = {"dense", "sparse", "random", "contpte"},
       .ptes = {512, 65536, 1048576},
       .profiles = {SuiteProfile::kernel, SuiteProfile::user},
       .native_ops = kAllNativeOps,
       .native_layouts = {"4k", "thp"},
       .native_size_mib = {256},
       .repetitions = 10,
       .entries_per_repetition = std::uint64_t{1} << 21},
      {.name = "full",
       .summary = "every dimension: 512 to 4 Mi entries, all layouts, both profiles, native at "
                  "64 MiB and 1 GiB in every layout the machine has",
       .walkers = kAllWalkers,
       .formats = kAllFormats,
       .variants = kAllVariants,
       .layouts = {"dense", "sparse", "random", "contpte"},
       .ptes = {512, 4096, 65536, 262144, 1048576, 4194304},
       .profiles = {SuiteProfile::kernel, SuiteProfile::user},
       .native_ops = kAllNativeOps,
       .native_layouts = {"4k", "thp", "mthp"},
       .native_size_mib = {64, 1024},
       .repetitions = 15,
       .entries_per_repetition = std::uint64_t{1} << 22},
  };
  return kSuites;
}

const SuiteSpec* find_suite(std::string_view name) {
  for (const SuiteSpec& s : suites())
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace ptebench::cli
