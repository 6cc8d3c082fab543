// ptebench: the command-line entry point. Everything but main() lives in ptebench_cli.
#include "bench/cli/cli.h"

int main(int argc, char** argv) {
  return ptebench::cli::main(argc, argv);
}
