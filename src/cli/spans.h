// Lengths of time for people: "45s", "12m 5s", "3h 20m", "2d 4h". Shared by stats, status and
// the dashboard.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tg::cli {

// `<60s` -> "Ns"; `<60m` -> "Nm[ Ss]"; `<48h` -> "Nh[ Mm]"; else "Nd[ Hh]". Negative -> "0s".
std::string FormatSpan(int64_t ms);
// "-" when unknown.
std::string FormatSpan(const std::optional<int64_t>& ms);
// A compact age for narrow columns: "45s", "12m", "3h", "2d".
std::string FormatAgeShort(int64_t ms);

}  // namespace tg::cli
