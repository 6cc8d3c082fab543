# The exact engine end to end (bench/runner/exact_engine.h; tests/bench/exact_engine_check.cc): the
# client-request bracketing under Valgrind on one small case. SKIP (77) without valgrind on
# PATH or under an emulator. Labelled exact; a few minutes under a loaded machine.
add_executable(exact_engine_check "${PROJECT_SOURCE_DIR}/tests/bench/exact_engine_check.cc")
target_link_libraries(exact_engine_check PRIVATE ptebench_harness ptebench_warnings)
add_test(NAME exact:bracketing
         COMMAND exact_engine_check "$<TARGET_FILE:ptebench>"
                 "${PROJECT_BINARY_DIR}/exact_engine_check")
set_tests_properties(exact:bracketing PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900 LABELS exact)
