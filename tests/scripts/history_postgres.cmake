# The PostgreSQL history store against a real PostgreSQL 15 the test starts itself
# (tests/scripts/history_postgres.sh); SKIP (77) where the server binaries or libpq are absent.
# Native builds only: the server is a host program and the cross build has no libpq.
if(NOT CMAKE_CROSSCOMPILING)
  foreach(t fleet window refuse)
    add_test(NAME history_postgres:${t}
             COMMAND "${CMAKE_CURRENT_LIST_DIR}/history_postgres.sh" $<TARGET_FILE:ptebench>
                     "${PROJECT_SOURCE_DIR}/tests/data/noisy-vm-2026-12-01" ${t}
                     ${PTEBENCH_HAVE_LIBPQ})
    set_tests_properties(history_postgres:${t} PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
  endforeach()
endif()
