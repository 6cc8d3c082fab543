# Interface target carrying the project's warning flags; every target of ours links it.
add_library(ptebench_warnings INTERFACE)
target_compile_options(ptebench_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                       -Woverloaded-virtual -Wdouble-promotion
                       -Wformat=2 -Wimplicit-fallthrough)
option(PTEBENCH_WERROR "Treat warnings as errors" ON)
if(PTEBENCH_WERROR)
  target_compile_options(ptebench_warnings INTERFACE -Werror)
endif()
