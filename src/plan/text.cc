// Text helpers: UTF-8 checks, positions, trimming.
#include "plan/text.h"

#include "core/strings.h"

namespace tg::plan {

std::string Quote(std::string_view value) {
  constexpr size_t kMax = 60;
  if (CodePointCount(value) <= kMax) return Cat({"\"", value, "\""});
  size_t end = 0;
  for (size_t n = 0; n < kMax && end < value.size(); ++n) {
    char32_t cp;
    size_t len = DecodeUtf8(value, end, cp);
    end += len == 0 ? 1 : len;
  }
  return Cat({"\"", value.substr(0, end), "...\""});
}

// YAML's printable set, as js-yaml checks it: no C0/C1 controls except tab, LF, CR, NEL.
bool IsPrintable(char32_t cp) {
  if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
  if (cp >= 0x7F && cp <= 0x9F) return cp == 0x85;
  return cp != 0xFFFE && cp != 0xFFFF;
}

std::optional<size_t> FindInvalidByte(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    size_t len = DecodeUtf8(text, i, cp);
    if (len == 0 || !IsPrintable(cp)) return i;
    i += len;
  }
  return std::nullopt;
}

LineCol LineColOf(std::string_view text, size_t offset) {
  LineCol lc{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.col = 1;
    } else {
      ++lc.col;
    }
  }
  return lc;
}

std::string NormalizeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view piece = Trim(text.substr(0, comma));
    if (!piece.empty()) out.emplace_back(piece);
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace tg::plan
