# Script mode (cmake -P): runs the command in CMD (a ;-list, the emulator first when cross
# compiling) and fails unless it exits with EXPECTED. Used by catch_main:skip_exits_77.
execute_process(COMMAND ${CMD} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc STREQUAL "${EXPECTED}")
  message(FATAL_ERROR "exit status ${rc}, expected ${EXPECTED}: ${CMD}")
endif()
