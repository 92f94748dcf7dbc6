#include "cli/spans.h"

#include <fmt/format.h>

namespace tg::cli {

std::string FormatSpan(int64_t ms) {
  int64_t s = ms < 0 ? 0 : ms / 1000;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return s % 60 ? fmt::format("{}m {}s", s / 60, s % 60) : fmt::format("{}m", s / 60);
  int64_t m = s / 60;
  if (m < 48 * 60)
    return m % 60 ? fmt::format("{}h {}m", m / 60, m % 60) : fmt::format("{}h", m / 60);
  int64_t h = m / 60;
  return h % 24 ? fmt::format("{}d {}h", h / 24, h % 24) : fmt::format("{}d", h / 24);
}

std::string FormatSpan(const std::optional<int64_t>& ms) { return ms ? FormatSpan(*ms) : "-"; }

std::string FormatAgeShort(int64_t ms) {
  int64_t s = ms < 0 ? 0 : ms / 1000;
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m", s / 60);
  if (s < 48 * 3600) return fmt::format("{}h", s / 3600);
  return fmt::format("{}d", s / 86400);
}

}  // namespace tg::cli
