# PTEBENCH_SANITIZE=address,undefined adds the sanitizers to every target that follows.
if(PTEBENCH_SANITIZE)
  add_compile_options(-fsanitize=${PTEBENCH_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PTEBENCH_SANITIZE})
endif()
