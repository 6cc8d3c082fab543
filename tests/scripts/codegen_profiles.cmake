# Object-code checks of the two codegen profiles (DESIGN.md, Codegen profiles; cmake/Codegen.cmake),
# run by ctest through tests/scripts/check_codegen.sh on the disassembly (objdump -d -C):
#   codegen:kernel_profile_has_no_simd    the kernel profile's walker object uses no SIMD register
#                                         (x86_64: no %xmm/%ymm/%zmm/%mm/%k; arm64: no v/q/d/s/h/b
#                                         register), nor does the kernel-profile probe;
#   codegen:user_plain_none_scan_vectorised
#                                         the user profile vectorises none_scan's plain-load loop and
#                                         not its read_once loop (exit 77 = SKIP where the profile
#                                         has no SIMD to vectorise with);
#   codegen:kernel_profile_flags          kbuild's flags reached the walkers' object (x86_64:
#                                         endbr64 entries; aarch64: inline LSE atomics, pac-ret);
#   codegen:reclaim_same_loads            under the kernel profile, reclaim_walk and reclaim_rmap
#                                         make as many memory accesses with plain as with
#                                         read_once (the young test reads in arch code);
#   codegen:read_once_is_one_load         under the kernel profile, ptep_get() with read_once is one
#                                         8-byte load, two of them are two loads, and the read_once
#                                         none_scan's inner loop reads each entry with one 8-byte load
#                                         and touches no other memory.
# The probes (tests/scripts/codegen_probe.cc) are compiled with exactly the walkers' flags, once
# per profile, into object libraries that are built with `all` and never linked.
foreach(profile kernel user)
  ptebench_codegen_options(${profile} ptebench_probe_opts)
  add_library(ptebench_codegen_probe_${profile} OBJECT "${CMAKE_CURRENT_LIST_DIR}/codegen_probe.cc")
  target_include_directories(ptebench_codegen_probe_${profile} PRIVATE "${PROJECT_SOURCE_DIR}")
  target_compile_options(ptebench_codegen_probe_${profile} PRIVATE ${ptebench_probe_opts})
  # The objects are only disassembled: a sanitizer build (cmake/Sanitizers.cmake) would fill
  # them with shadow-memory checks that are not the walkers' code, so the probes opt out of it.
  if(PTEBENCH_SANITIZE)
    target_compile_options(ptebench_codegen_probe_${profile} PRIVATE -fno-sanitize=all)
  endif()
  target_compile_definitions(ptebench_codegen_probe_${profile} PRIVATE
                             PTEBENCH_CODEGEN_NS=cg_probe_${profile})
  target_link_libraries(ptebench_codegen_probe_${profile} PRIVATE ptebench_warnings)
endforeach()

# The target's objdump: CMake's binutils detection sets CMAKE_OBJDUMP (the arm64 toolchain file
# points it at aarch64-linux-gnu-objdump); a bare host build falls back to the one on PATH.
set(ptebench_objdump "${CMAKE_OBJDUMP}")
if(NOT ptebench_objdump)
  find_program(ptebench_objdump_found objdump)
  set(ptebench_objdump "${ptebench_objdump_found}")
endif()
set(ptebench_check_codegen sh "${CMAKE_CURRENT_LIST_DIR}/check_codegen.sh")

add_test(NAME codegen:kernel_profile_has_no_simd
         COMMAND ${ptebench_check_codegen} no-simd "${ptebench_objdump}"
                 "$<TARGET_OBJECTS:ptebench_walkers_kernel>"
                 "$<TARGET_OBJECTS:ptebench_codegen_probe_kernel>")
add_test(NAME codegen:user_plain_none_scan_vectorised
         COMMAND ${ptebench_check_codegen} vectorised "${ptebench_objdump}"
                 "$<TARGET_OBJECTS:ptebench_codegen_probe_user>")
# The walkers' own object too, except in a sanitizer build, whose every load is preceded by a
# shadow-memory check: there the uninstrumented probe alone answers.
set(ptebench_single_load_walkers "$<TARGET_OBJECTS:ptebench_walkers_kernel>")
if(PTEBENCH_SANITIZE)
  set(ptebench_single_load_walkers "")
endif()
add_test(NAME codegen:read_once_is_one_load
         COMMAND ${ptebench_check_codegen} single-load "${ptebench_objdump}"
                 "$<TARGET_OBJECTS:ptebench_codegen_probe_kernel>" ${ptebench_single_load_walkers})
add_test(NAME codegen:kernel_profile_flags
         COMMAND ${ptebench_check_codegen} kernel-flags "${ptebench_objdump}"
                 "$<TARGET_OBJECTS:ptebench_walkers_kernel>")
add_test(NAME codegen:reclaim_same_loads
         COMMAND ${ptebench_check_codegen} same-loads "${ptebench_objdump}"
                 "$<TARGET_OBJECTS:ptebench_codegen_probe_kernel>")
set_tests_properties(codegen:kernel_profile_has_no_simd codegen:user_plain_none_scan_vectorised
                     codegen:read_once_is_one_load codegen:reclaim_same_loads
                     codegen:kernel_profile_flags PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
                     LABELS codegen)
