// Running git for the worktree commands (start --worktree, done, worktree list): an argument
// vector, no shell, stdin from /dev/null, stdout and stderr captured. Never on a hot path:
// discovery reads git's files instead (store/checkout.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tg::app::git {

struct Output {
  int exit_code = -1;
  std::string out, err;
};

// `git -C dir args...` with the environment tg was given, minus the variables that would point
// git at another repository (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ...: set when tg runs from
// a git hook), and with prompts and editors turned off. IO_ERROR only when git cannot be run.
Result<Output> Run(const std::string& dir, const std::vector<std::string>& args);

// Run, and exit 0 expected: anything else is IO_ERROR "<what>: <git's first error line>".
Result<std::string> Check(std::string_view what, const std::string& dir,
                          const std::vector<std::string>& args);

// git's first error line (or "exit N"), for messages.
std::string FirstErrorLine(const Output& o);

// Splits NUL-separated output (-z) into its non-empty fields.
std::vector<std::string> SplitNul(std::string_view s);

}  // namespace tg::app::git
