# PTEBENCH_SANITIZE=address,undefined adds the sanitizers to every target that follows,
# including both codegen profiles of the walkers: the sanitizers need no SIMD registers, so the
# kernel profile's -mno-sse... / -mgeneral-regs-only stay as they are. -g1 (line tables only)
# gives reports file:line frames at a fraction of full debug info's build time.
if(PTEBENCH_SANITIZE)
  add_compile_options(-fsanitize=${PTEBENCH_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all -g1)
  add_link_options(-fsanitize=${PTEBENCH_SANITIZE})
endif()
