// The subcommands of ptebench. Each takes the whole argv (argv[1] is its name), parses its own
// flags into its config struct, and returns the exit status; bad input throws InputError.
#pragma once

namespace ptebench::cli {

int cmd_list(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_counters(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_ab(int argc, char** argv);
int cmd_nightly(int argc, char** argv);
int cmd_codegen(int argc, char** argv);
int cmd_history(int argc, char** argv);
int cmd_report(int argc, char** argv);

}  // namespace ptebench::cli
