#include "core/limits.h"

#include <fmt/format.h>

#include <charconv>

namespace tg {

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

std::string FormatRange(const Range& r) { return fmt::format("{} to {}", r.min, r.max); }

std::string FormatDuration(Millis ms) {
  for (auto [unit, name] : {std::pair{kDay, "d"}, {kHour, "h"}, {kMinute, "m"}, {kSecond, "s"}}) {
    if (ms != 0 && ms % unit == 0) return fmt::format("{}{}", ms / unit, name);
  }
  return ms == 0 ? "0s" : fmt::format("{}ms", ms);
}

std::string FormatDurationRange(const Range& r) {
  return FormatDuration(r.min) + " to " + FormatDuration(r.max);
}

int JsonDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace tg
