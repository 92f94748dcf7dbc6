// Durations typed by people and agents: "250ms", "90s", "30m", "2h", "1d", or a bare number in
// the caller's default unit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace tg {

std::optional<Millis> ParseDuration(std::string_view s, Millis default_unit = 60'000);

// "45s", "12m", "3h05m", "2d4h": a span for people, to the two largest units (negative spans
// are shown as their size).
std::string FormatSpan(Millis span);

}  // namespace tg
