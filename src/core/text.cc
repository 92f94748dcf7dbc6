#include "core/text.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <cstdint>

#include "core/model.h"
#include "core/utf8.h"

namespace tg {

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool IsUnsafeForTerminal(char32_t cp) {
  return IsControl(cp) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string CodePointName(char32_t cp) {
  return fmt::format("U+{:04X}", static_cast<unsigned>(cp));
}

std::optional<std::string> TextProblem(std::string_view text, TextKind kind, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    char32_t cp;
    size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      return fmt::format("is not valid UTF-8 (byte 0x{:02X} at offset {}); pass UTF-8 text",
                         static_cast<unsigned char>(text[i]), i);
    }
    bool allowed = cp == '\t' || (kind == TextKind::kMultiLine && (cp == '\n' || cp == '\r'));
    if (IsControl(cp) && !allowed) {
      if (cp == '\n' || cp == '\r')
        return std::string("contains a line break; it must be one line");
      return fmt::format("contains the control character {} at character {}; remove it",
                         CodePointName(cp), chars + 1);
    }
    i += len;
  }
  if (chars > max_chars) {
    return fmt::format("is {} characters long; the limit is {}", chars, max_chars);
  }
  return std::nullopt;
}

std::optional<std::string> TitleProblem(std::string_view title) {
  if (auto p = TextProblem(title, TextKind::kSingleLine, SIZE_MAX)) return p;
  if (title.find_first_not_of(" \t") == std::string_view::npos) {
    return fmt::format("is empty; give 1 to {} characters", kMaxTitleChars);
  }
  if (size_t n = CodePointCount(title); n > kMaxTitleChars) {
    return fmt::format(
        "is {} characters long; titles are limited to {} (move detail to the "
        "intent)",
        n, kMaxTitleChars);
  }
  return std::nullopt;
}

void AppendJsonString(std::string& out, std::string_view text) {
  // No early exit: the loop vectorises, and the texts here are short.
  bool plain = true;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    plain &= c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
  }
  if (!plain) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

}  // namespace tg
