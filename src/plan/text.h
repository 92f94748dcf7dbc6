// Small text helpers shared by the plan readers and writer. Internal to src/plan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace tg::plan {

// "x" with double quotes; values over 60 characters are cut with "..." so that a message
// stays one readable line.
std::string Quote(std::string_view value);

// The UTF-8 helpers live in core (titles are checked in app/ too).
using tg::CodePointCount;
using tg::DecodeUtf8;
using tg::IsValidUtf8;

// YAML's printable characters: no C0/C1 controls except tab, LF, CR and NEL.
bool IsPrintable(char32_t code_point);

// The offset of the first byte that makes `text` unfit as a plan: malformed UTF-8, or a
// character that is not printable (YAML forbids them raw).
std::optional<size_t> FindInvalidByte(std::string_view text);

// 1-based line and column (in bytes) of `offset`.
struct LineCol {
  int line, col;
};
LineCol LineColOf(std::string_view text, size_t offset);

// Replaces each CR LF by LF; line numbers and columns of other characters do not change.
std::string NormalizeNewlines(std::string_view text);

std::string_view Trim(std::string_view text);

// Splits at commas, trims each piece and drops empty pieces.
std::vector<std::string> SplitList(std::string_view text);

}  // namespace tg::plan
