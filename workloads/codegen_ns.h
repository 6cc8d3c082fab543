// Every template and inline function of workloads/ lives in ptebench::PTEBENCH_CODEGEN_NS, an
// inline namespace whose name the build sets per codegen profile (workloads/CMakeLists.txt):
// cg_kernel for the walkers compiled like the kernel, cg_user for -O3 -march=native, and
// `generic` for everything else. Distinct names keep the two compilations of the same source
// from being merged by the linker (an ODR merge would let kernel-profile code call SIMD code).
#pragma once

#ifndef PTEBENCH_CODEGEN_NS
#define PTEBENCH_CODEGEN_NS generic
#endif
