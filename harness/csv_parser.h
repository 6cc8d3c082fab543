// fast-cpp-csv-parser (<libfccp/csv.h>) for the harness's .cc files only; its types never
// appear in a public header. CSV_IO_NO_THREAD comes with the Fccp::fccp target
// (cmake/FindFccp.cmake), so it reads synchronously instead of starting a thread per reader.
#pragma once

// GCC reports -Wstringop-truncation from csv.h (its bounded strncpy of the file name is
// intended) where it is inlined, and there the system-header exemption no longer applies.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#endif
#include <libfccp/csv.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
