# Finds libpfm4 (Debian: libpfm4-dev) and defines the imported target Libpfm4::pfm.
find_path(LIBPFM4_INCLUDE_DIR perfmon/pfmlib_perf_event.h)
find_library(LIBPFM4_LIBRARY pfm)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Libpfm4 REQUIRED_VARS LIBPFM4_LIBRARY LIBPFM4_INCLUDE_DIR)
if(Libpfm4_FOUND AND NOT TARGET Libpfm4::pfm)
  add_library(Libpfm4::pfm UNKNOWN IMPORTED)
  set_target_properties(Libpfm4::pfm PROPERTIES IMPORTED_LOCATION "${LIBPFM4_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${LIBPFM4_INCLUDE_DIR}")
endif()
mark_as_advanced(LIBPFM4_INCLUDE_DIR LIBPFM4_LIBRARY)
