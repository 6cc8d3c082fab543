// Which variants of a walker are the same machine code as its plain variant in one linked
// binary (issue 12: the variant table marks such ratios, so that a ratio of two identical
// instruction streams is read as the machine's noise, not as a difference of code). The
// analysis is harness/codegen_diff.h's, applied to `objdump -d -C --no-show-raw-insn` of the
// executable itself, which holds both codegen profiles (namespaces cg_kernel and cg_user).
// Pure: the caller runs objdump (bench/runner/same_code_probe.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <tuple>

namespace ptebench::codegen {

// (walker, pte_format, codegen, variant) -> whether variant's code equals plain's, with
// pte_format "x86_64" | "arm64", codegen "kernel" | "user", variant "read_once" | "arch", as in
// results rows. A combination is absent when its code was not found (then nothing is known).
using SameCodeKey = std::tuple<std::string, std::string, std::string, std::string>;
using SameCodeMap = std::map<SameCodeKey, bool>;

SameCodeMap same_code_pairs(std::string_view objdump_text);

// The walker whose code a synthetic workload runs: munmap is zap_range's code; the other
// synthetic workloads are their walker. Empty for a workload with no walker (native_*).
std::string walker_of_workload(std::string_view workload);

}  // namespace ptebench::codegen
