// Running another ptebench (or any command) for `ptebench ab`: a shell command line given by
// the user, with arguments of ours appended, each quoted for /bin/sh.
#pragma once

#include <string>
#include <vector>

namespace ptebench::cli {

// `text` quoted for /bin/sh: 'it'\''s' style.
std::string shell_quote(const std::string& text);

// Runs `/bin/sh -c "<command> <quoted args...>"`, waits, and returns its exit status (128 + N
// when killed by signal N). Throws InputError when the shell cannot be started.
int run_shell(const std::string& command, const std::vector<std::string>& args);

}  // namespace ptebench::cli
