// Positions in a plan file and the "<file>:<line>:<col>: <what>" messages built from them.
// Internal to src/plan.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Input a plan reader cannot use (an unknown key, a value of the wrong type). Plan files fail
// closed: the first such piece is kept as the PARSE_FAILED the reader returns; with `lenient`
// (import --lenient) each becomes a warning and the rest is read.
class Unusable {
 public:
  Unusable(std::string_view file, bool lenient, std::vector<std::string>& warnings)
      : file_(file), lenient_(lenient), warnings_(warnings) {}

  // `what` says what is wrong, `fate` what lenient mode does with it ("ignored", "dropped"),
  // `hint` what to write instead ("; did you mean ...").
  void Report(Pos pos, const std::string& what, std::string_view fate = "ignored",
              std::string_view hint = "") {
    if (lenient_) {
      warnings_.push_back(WarningAt(file_, pos, what + "; " + std::string(fate)));
    } else if (!refused_) {
      refused_ = Error{Code::kParseFailed,
                       Where(file_, pos) + ": " + what + std::string(hint) +
                           " (fix the file, or import with --lenient to skip this with a "
                           "warning)"};
    }
  }
  const std::optional<Error>& refused() const { return refused_; }

 private:
  std::string_view file_;
  bool lenient_;
  std::vector<std::string>& warnings_;
  std::optional<Error> refused_;
};

}  // namespace tg::plan
