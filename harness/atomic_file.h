// Crash-safe file replacement and appending. Results, baselines and the history are only ever
// changed through these functions, so an interrupted run (Ctrl-C, OOM kill, power loss) leaves
// every file either as it was or as it should become, never truncated or half-written.
//
// Method: the new content goes to a temporary file in the destination's directory (same file
// system, so rename(2) is atomic), which is fsync'd, renamed over the destination, and then the
// directory is fsync'd so that the rename itself is durable. A failure at any step removes the
// temporary file and leaves the destination untouched.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace ptebench {

// Replaces `path` with exactly `contents`. Keeps the permission bits of an existing file (a new
// one gets 0666 & ~umask). Throws InputError ("PATH: cannot write: <reason>") on failure, with
// `path` unchanged.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

// Reads the whole of `path` into a string. Throws InputError ("PATH: cannot read: <reason>").
std::string read_whole_file(const std::filesystem::path& path);

// Called by append_file_atomically with the destination's current content (empty when the file
// does not exist yet), while the append lock is held; throws to refuse the append.
using AppendCheck = std::function<void(std::string_view existing_contents)>;

// Appends `lines` (whole lines, each ending in '\n') to the CSV file `path`, whose first line
// must be `header_line` (given without its '\n'); a missing or empty file is created as
// header_line + '\n' + lines. Atomic in the sense above: the existing bytes are copied into the
// temporary file unchanged, the lines are added after them, and the result is renamed over
// `path` — a crash at any point leaves the old file or the old file plus all of `lines`, so
// nothing already there is ever lost, and there is never a torn last line (which an O_APPEND
// write cut short would leave, making the whole history unreadable).
// Cost: the file is rewritten on every append, O(size); a history of daily runs stays far below
// the size where that matters. Appenders to files in one directory are serialised with flock(2)
// on the directory, so two concurrent appends both land. Throws InputError when the header
// differs ("PATH:1:COLUMN: ..."), when `check` throws, or on I/O failure; `path` is then
// unchanged.
void append_file_atomically(const std::filesystem::path& path, std::string_view header_line,
                            std::string_view lines, const AppendCheck& check = {});

}  // namespace ptebench
