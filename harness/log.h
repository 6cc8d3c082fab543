// The second error tier: a missing environment (no PMU, no THP, no permission) is one logged
// line on stderr, never a failure. Every such line starts with "ptebench: ".
#pragma once

#include <string_view>

namespace ptebench {

// Prints "ptebench: <line>" to stderr.
void log_line(std::string_view line);

// Prints "ptebench: SKIP <what>: <reason>" to stderr.
void log_skip(std::string_view what, std::string_view reason);

}  // namespace ptebench
