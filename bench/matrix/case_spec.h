// One case of the matrix: what `ptebench list` shows and what the runner runs. Its own header so
// that the synthetic expansion (cases.h) and the native one (native_cases.h) share it without
// including each other.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/walk.h"

namespace ptebench::cli {

struct CaseSpec {
  bool native = false;
  std::string workload, pte_format, variant, layout, codegen;
  std::uint64_t ptes = 0;
  WalkSpec walk;                 // synthetic only
  std::uint64_t size_bytes = 0;  // native only
  std::uint64_t iterations = 1;  // timed walks per repetition
  std::string summary;           // one line for `ptebench list`

  std::string name() const;
  // The name with the variant left out: the cases whose variants are interleaved.
  std::string group() const;
};

}  // namespace ptebench::cli
