#include "core/duration.h"

#include <fmt/format.h>

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
  // fmt, not operator+: GCC 12 reports a false -Wrestrict for literal + std::string at -O3.
  if (span < 0) span = -span;
  const Millis s = span / 1000;
  if (s < 60) return fmt::format("{}s", s);
  const Millis m = s / 60;
  if (m < 60) return fmt::format("{}m", m);
  const Millis h = m / 60;
  if (h < 24) return fmt::format("{}h{:02}m", h, m % 60);
  return fmt::format("{}d{}h", h / 24, h % 24);
}

}  // namespace tg
