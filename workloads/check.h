// The first error tier: an invariant violation aborts with a message. Unlike assert(), the
// check stays on in Release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "workloads/codegen_ns.h"

#define PTEBENCH_CHECK(cond, what)                                                                 \
  do {                                                                                             \
    if (__builtin_expect(!(cond), 0)) {                                                            \
      std::fprintf(stderr, "ptebench: invariant violated at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                   what, #cond);                                                                   \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)
