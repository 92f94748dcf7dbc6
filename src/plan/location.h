// Positions in a plan file and the "<file>:<line>:<col>: <what>" messages built from them.
// Internal to src/plan.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace tg::plan {

// 1-based line and column in the file (not in the frontmatter).
struct Pos {
  int line = 1;
  int col = 1;
};

inline std::string Where(std::string_view file, Pos pos) {
  return std::string(file) + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

// An error located at `pos`; `what` says what is wrong and, where useful, what to do.
inline std::unexpected<Error> FailAt(Code code, std::string_view file, Pos pos,
                                     std::string_view what) {
  return Fail(code, Where(file, pos) + ": " + std::string(what));
}

inline std::unexpected<Error> ParseErrorAt(std::string_view file, Pos pos, std::string_view what) {
  return FailAt(Code::kParseFailed, file, pos, what);
}

// A warning names the line only: columns add noise to notes about ignored input.
inline std::string WarningAt(std::string_view file, Pos pos, std::string_view what) {
  return std::string(file) + ":" + std::to_string(pos.line) + ": " + std::string(what);
}

}  // namespace tg::plan
