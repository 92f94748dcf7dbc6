#include "core/duration.h"

namespace tg {

std::optional<Millis> ParseDuration(std::string_view s, Millis default_unit) {
  if (s.empty()) return std::nullopt;
  Millis unit = default_unit;
  char last = s.back();
  if (s.ends_with("ms")) {
    unit = 1;
    s.remove_suffix(2);
  } else if (last == 's' || last == 'm' || last == 'h' || last == 'd') {
    unit = last == 's' ? 1000 : last == 'm' ? 60'000 : last == 'h' ? 3'600'000 : 86'400'000;
    s.remove_suffix(1);
  }
  if (s.empty() || s.size() > 9) return std::nullopt;
  Millis n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n * unit;
}

std::string FormatSpan(Millis span) {
  if (span < 0) span = -span;
  const Millis s = span / 1000;
  if (s < 60) return std::to_string(s) + "s";
  const Millis m = s / 60;
  auto two = [](Millis v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (m < 60) return std::to_string(m) + "m";
  const Millis h = m / 60;
  if (h < 24) return std::to_string(h) + "h" + two(m % 60) + "m";
  return std::to_string(h / 24) + "d" + std::to_string(h % 24) + "h";
}

}  // namespace tg
