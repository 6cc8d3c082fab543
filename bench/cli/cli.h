// ptebench's command dispatcher: list | run | compare | ab | nightly | counters.
#pragma once

namespace ptebench::cli {

// Runs one command; returns the process exit status (0 ok, 1 regression found, 2 bad input).
int main(int argc, char** argv);

}  // namespace ptebench::cli
