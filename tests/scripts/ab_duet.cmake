# `ptebench ab --duet` end to end (tests/scripts/ab_duet.sh): A/A flags nothing, an injected 300%
# slowdown is flagged, and --duet is refused with one line where fewer than two CPUs are allowed
# or a --run-arg would pin the sides. SKIP (77) on a machine with fewer than two CPUs. Native
# builds only: the sides are pinned to host CPUs.
if(NOT CMAKE_CROSSCOMPILING)
  foreach(t aa slowdown refuse)
    add_test(NAME ab_duet:${t}
             COMMAND "${CMAKE_CURRENT_LIST_DIR}/ab_duet.sh" $<TARGET_FILE:ptebench> ${t})
    set_tests_properties(ab_duet:${t} PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
    if(NOT t STREQUAL "refuse")
      # A and B each need a CPU of their own for the whole run: no other test beside them
      # (under ci-sanitize, -j2, the slowed case read "unchanged" with another test running).
      set_tests_properties(ab_duet:${t} PROPERTIES RUN_SERIAL TRUE)
    endif()
  endforeach()
endif()
