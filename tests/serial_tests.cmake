# Read by ctest after the discovered Catch2 tests (TEST_INCLUDE_FILES, in order): test cases
# that time this machine against a reference taken a moment earlier run with no other test
# beside them, so that another test's load is not read as the step they look for. ctest passes
# over a name it does not have (a build without the test).
set_tests_properties(
  "nightly_judge_cli_test:nightly: a step is a suspect on its first night and confirmed on its second"
  "nightly_judge_cli_test:nightly: a one-night step that is gone the next night is not confirmed"
  "nightly_remeasure_test:nightly: a noisy night is measured again and the calmest measure is the night"
  "nightly_remeasure_test:nightly: a calm night is measured once"
  PROPERTIES RUN_SERIAL TRUE)
