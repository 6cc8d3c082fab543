# `ptebench codegen` end to end (bench/cmd_codegen.cc on this build's own walker objects):
#   codegen:command_zap_same_code   zap_range under the kernel profile, its walk with the
#                                   out-of-line folio_pte_batch() it calls, is the same machine
#                                   code for plain and read_once in the arm64 PTE format, and arch
#                                   is not; the x86_64 format's line is there (with GCC 12.2 its
#                                   plain and read_once folio_pte_batch() differ in register
#                                   allocation only: workloads/FIDELITY.md); SKIP where no objdump
#                                   can read the objects (e.g. under qemu-user, whose popen()
#                                   cannot run the host's objdump); fails when a function of
#                                   plain or read_once is in no walker's code ("unattributed": a
#                                   helper missing from codegen::out_of_line_helpers())
#   codegen:command_bad_input       an unknown --codegen is one line and exit status 2
add_test(NAME codegen:command_zap_same_code
         COMMAND ptebench codegen --codegen kernel --walker zap_range
                 --build-dir "${PROJECT_BINARY_DIR}")
set_tests_properties(codegen:command_zap_same_code PROPERTIES
  PASS_REGULAR_EXPRESSION "kernel +zap_range +x86_64 +[^\n]+ [0-9]+ differ[^\n]*\nkernel +zap_range +arm64 +same \\([0-9]+ insns\\) +[0-9]+ differ"
  FAIL_REGULAR_EXPRESSION "unattributed"
  SKIP_REGULAR_EXPRESSION "SKIP" LABELS codegen TIMEOUT 120)
# Through the cross build's emulator, if any (sh runs the command itself).
add_test(NAME codegen:command_bad_input
         COMMAND sh -c "\"$@\" codegen --codegen foo; test $? -eq 2" sh
                 ${CMAKE_CROSSCOMPILING_EMULATOR} "$<TARGET_FILE:ptebench>")
set_tests_properties(codegen:command_bad_input PROPERTIES LABELS codegen TIMEOUT 60)
