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

}  // namespace tg
