// Durations typed by people and agents: "250ms", "90s", "30m", "2h", "1d", or a bare number in
// the caller's default unit.
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.h"

namespace tg {

std::optional<Millis> ParseDuration(std::string_view s, Millis default_unit = 60'000);

}  // namespace tg
