# Script mode (cmake -P), run by the ptebench_build_info target on every build: writes the git
# revision of SOURCE_DIR as it is now (short hash, "-dirty" when tracked files differ from HEAD,
# "unknown" outside a checkout or without git) into OUTPUT from TEMPLATE. configure_file rewrites
# OUTPUT only when the text changes, so a build after a checkout or a commit recompiles the one
# file that includes it, and a build of an unchanged tree recompiles nothing.
find_package(Git QUIET)
set(PTEBENCH_GIT_REV "unknown")
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" rev-parse --short HEAD
                  OUTPUT_VARIABLE head RESULT_VARIABLE head_status
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(head_status EQUAL 0 AND NOT head STREQUAL "")
    set(PTEBENCH_GIT_REV "${head}")
    # --no-optional-locks: never take .git/index.lock just to look.
    execute_process(COMMAND "${GIT_EXECUTABLE}" --no-optional-locks -C "${SOURCE_DIR}" status
                            --porcelain --untracked-files=no
                    OUTPUT_VARIABLE dirty RESULT_VARIABLE dirty_status
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(dirty_status EQUAL 0 AND NOT dirty STREQUAL "")
      string(APPEND PTEBENCH_GIT_REV "-dirty")
    endif()
  endif()
endif()
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
