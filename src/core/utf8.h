// UTF-8: tg stores and prints text as UTF-8 and refuses anything else at its input boundary,
// so that no malformed byte reaches JSON output or a plan file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tg {

// Number of Unicode code points in valid UTF-8 text (length limits count characters).
size_t CodePointCount(std::string_view text);

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 when it is malformed
// (truncated, overlong, surrogate, above U+10FFFF). `code_point` receives the value.
size_t DecodeUtf8(std::string_view text, size_t i, char32_t& code_point);

bool IsValidUtf8(std::string_view text);

// The first `n` code points of `text` (all of it when shorter).
std::string CutToChars(std::string_view text, size_t n);

}  // namespace tg
