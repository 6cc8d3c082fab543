# `ptebench report` rendered by headless Chromium (tests/scripts/report_html.sh); SKIP (77)
# where Chromium is absent. Native builds only (Chromium is a host program).
if(NOT CMAKE_CROSSCOMPILING)
  add_test(NAME report_html:chromium
           COMMAND "${CMAKE_CURRENT_LIST_DIR}/report_html.sh" $<TARGET_FILE:ptebench>
                   "${PROJECT_SOURCE_DIR}/tests/data/noisy-vm-2026-12-01")
  set_tests_properties(report_html:chromium PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()
