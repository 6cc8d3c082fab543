# The CI's stray-process watchdog (scripts/ci-common.sh, tests/scripts/ci_watchdog.sh): a host
# script, so native builds only.
if(NOT CMAKE_CROSSCOMPILING)
  add_test(NAME ci_watchdog:reap COMMAND "${CMAKE_CURRENT_LIST_DIR}/ci_watchdog.sh"
                                         "${PROJECT_SOURCE_DIR}")
  set_tests_properties(ci_watchdog:reap PROPERTIES TIMEOUT 180)
endif()
