# `ptebench history` end to end (tests/scripts/history_cli.sh): import/export round trips on the
# shared noisy runs, byte for byte; foreign, damaged and duplicate inputs refused with exit 2;
# `history noise` over the four quick runs as nights; `history power` over them in turn; nightly
# jobs killed with SIGKILL leave whole runs or none (native builds only: under qemu-user killed
# processes hang now and then, scripts/ci-arm64.sh).
set(ptebench_history_cli_tests roundtrip refuse junit noise power)
if(NOT CMAKE_CROSSCOMPILING)
  list(APPEND ptebench_history_cli_tests nightly_kill)
endif()
string(JOIN " " ptebench_history_emulator ${CMAKE_CROSSCOMPILING_EMULATOR})
foreach(t IN LISTS ptebench_history_cli_tests)
  add_test(NAME history_cli:${t}
           COMMAND "${CMAKE_CURRENT_LIST_DIR}/history_cli.sh" $<TARGET_FILE:ptebench>
                   "${PROJECT_SOURCE_DIR}/tests/data/noisy-vm-2026-12-01" ${t})
  set_tests_properties(history_cli:${t} PROPERTIES TIMEOUT 600
                       ENVIRONMENT "PTEBENCH_EMULATOR_CMD=${ptebench_history_emulator}")
endforeach()
