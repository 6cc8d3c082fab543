# The two codegen profiles the walkers are compiled with (DESIGN.md, Workloads).
#   kernel: kbuild's flags for mm/ as far as a user-space object allows (top-level Makefile
#           @010b243a, arch/arm64/Makefile @0075c5f7, a recorded x86_64 kbuild command line;
#           see the flag-by-flag table in workloads/FIDELITY.md, "Codegen profile"). No SIMD
#           registers at all (x86_64: -mno-sse -mno-mmx -mno-sse2 -mno-avx ...; arm64:
#           -mgeneral-regs-only), which is also why kbuild needs no -fno-tree-vectorize: with
#           no vector registers the vectoriser has nothing to emit (checked by
#           codegen:kernel_profile_has_no_simd). Atomics inline, as the kernel's inline-asm
#           atomics are: arm64 LSE instructions (-march=armv8.1-a, which the kernel's
#           alternatives select on LSE hardware) and no outline-atomics library calls.
#   user:   what a user-space benchmark would be built with: -O3 -march=native (a cross build
#           cannot know the target CPU, so it uses -O3 alone).
# ptebench_codegen_options(<profile> <out-var>) returns the compile options of a profile.
function(ptebench_codegen_options profile out)
  if(profile STREQUAL "kernel")
    # Top-level Makefile (all architectures).
    set(opts -O2 -fno-strict-aliasing -fno-strict-overflow -fno-delete-null-pointer-checks
        -fno-allow-store-data-races -fomit-frame-pointer -fstack-protector-strong
        -ftrivial-auto-var-init=zero -fno-stack-clash-protection -fno-stack-check
        -fconserve-stack -funsigned-char)
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
      # arch/x86/Makefile (as recorded from a kbuild command line).
      list(APPEND opts -march=x86-64 -mtune=generic -mno-sse -mno-mmx -mno-sse2 -mno-3dnow
           -mno-avx -mno-sse4a -mno-80387 -mno-fp-ret-in-387 -mno-red-zone -mskip-rax-setup
           -fcf-protection=branch -fno-jump-tables -falign-jumps=1 -falign-loops=1
           -falign-functions=16)
    elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
      # arch/arm64/Makefile; LSE as the kernel's runtime-patched atomics on LSE hardware.
      list(APPEND opts -mgeneral-regs-only -fno-asynchronous-unwind-tables
           -mbranch-protection=pac-ret -march=armv8.1-a -mno-outline-atomics)
    else()
      message(FATAL_ERROR "kernel codegen profile: unsupported processor ${CMAKE_SYSTEM_PROCESSOR}")
    endif()
  elseif(profile STREQUAL "user")
    set(opts -O3)
    if(NOT CMAKE_CROSSCOMPILING)
      list(APPEND opts -march=native)
    endif()
  else()
    message(FATAL_ERROR "unknown codegen profile '${profile}'")
  endif()
  set(${out} ${opts} PARENT_SCOPE)
endfunction()
