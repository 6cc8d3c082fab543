#include "bench/cli.h"

#include <cstdio>

namespace ptebench::cli {

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fputs("ptebench: no commands yet\n", stderr);
  return 2;
}

}  // namespace ptebench::cli
