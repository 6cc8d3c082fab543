# Finds fast-cpp-csv-parser (Debian: libfccp-dev installs libfccp/csv.h) and defines the
# header-only imported target Fccp::fccp. CSV_IO_NO_THREAD stops it starting a reader thread.
find_path(FCCP_INCLUDE_DIR libfccp/csv.h)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Fccp REQUIRED_VARS FCCP_INCLUDE_DIR)
if(Fccp_FOUND AND NOT TARGET Fccp::fccp)
  add_library(Fccp::fccp INTERFACE IMPORTED)
  set_target_properties(Fccp::fccp PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${FCCP_INCLUDE_DIR}"
                        INTERFACE_COMPILE_DEFINITIONS CSV_IO_NO_THREAD)
endif()
mark_as_advanced(FCCP_INCLUDE_DIR)
