// Reading a file tg was told to read (a plan, a template, config.json) without trusting it:
// only a regular file, and only up to a size limit checked before reading. A device such as
// /dev/zero, a pipe that never ends, or a symlink to either would otherwise be read forever.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace tg {

struct FileRules {
  std::string_view what;  // "plan file", "template", ... for messages
  size_t max_bytes = 0;
  Code missing = Code::kFileNotFound;  // no such file, a folder, unreadable
  Code refused = Code::kParseFailed;   // not a regular file, too large
};

// The whole file, or an error with one of the codes in `rules` naming the file.
Result<std::string> ReadBoundedFile(const std::string& path, const FileRules& rules);

// Writes `content` to `path` so that `path` is never seen half-written: through a temporary
// file in the same folder, flushed to disk (fsync) and renamed into place, then the folder is
// flushed too. With `replace` false an existing file is kept as it is (the new one is linked,
// which fails atomically if the name is taken) and `*kept` says so. On failure `path` is as it
// was: a full disk during `tg init` no longer leaves an empty config.json behind.
// READ_ONLY when the folder cannot be written, IO_ERROR otherwise.
Status WriteFileAtomically(const std::string& path, std::string_view content, bool replace,
                           bool* kept = nullptr);

// "16 MiB", "1 MiB", "512 bytes".
std::string FormatBytes(size_t n);

}  // namespace tg
