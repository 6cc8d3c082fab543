# The two codegen profiles the walkers are compiled with (DESIGN.md, Workloads).
#   kernel: what the kernel builds mm/ with: -O2, no strict aliasing, no vectoriser, no SIMD
#           registers at all (x86_64: -mno-sse -mno-mmx -mno-sse2 -mno-avx; arm64:
#           -mgeneral-regs-only).
#   user:   what a user-space benchmark would be built with: -O3 -march=native (a cross build
#           cannot know the target CPU, so it uses -O3 alone).
# ptebench_codegen_options(<profile> <out-var>) returns the compile options of a profile.
function(ptebench_codegen_options profile out)
  if(profile STREQUAL "kernel")
    set(opts -O2 -fno-strict-aliasing -fno-tree-vectorize)
    if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
      list(APPEND opts -mno-sse -mno-mmx -mno-sse2 -mno-avx)
    elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
      list(APPEND opts -mgeneral-regs-only)
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
