// Every numeric input of tg has a range, defined here once. Flags, config.json, the
// environment and the use cases all check against these, so a value outside its range is
// refused with VALIDATION_FAILED instead of wrapping around (docs/limits.md lists them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace tg {

struct Range {
  int64_t min, max;
  bool Contains(int64_t v) const { return v >= min && v <= max; }
};

inline constexpr Millis kSecond = 1'000, kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;

inline constexpr Range kPriorityRange{0, 1'000'000};         // 1 = most important
inline constexpr Range kEstimateMinutesRange{0, 525'600};    // up to a year
inline constexpr Range kLimitRange{1, 1'000'000};            // next --limit, log --limit
inline constexpr Range kUndoLastRange{1, 10'000};            // undo --last
inline constexpr Range kCountRange{0, 1'000'000'000'000};    // tokens, tool calls
inline constexpr Range kHoursRange{1, 87'600};               // thresholds, stale_hours
inline constexpr Range kLeaseRange{kSecond, 30 * kDay};      // --lease
inline constexpr Range kLeaseMinutesRange{1, 30 * 24 * 60};  // lease_minutes
inline constexpr Range kWaitRange{0, kDay};                  // next --claim --wait
inline constexpr Range kLockTimeoutRange{0, kDay};           // TG_LOCK_TIMEOUT
inline constexpr Range kTokenBudgetRange{1, 10'000'000};     // context_token_budget
inline constexpr Range kColumnsRange{20, 10'000};            // COLUMNS
// TG_NOW: from the epoch to the start of year 9999, so that every time tg computes from it
// (a lease of at most 30 days) still has four year digits and sorts as text.
inline constexpr Range kTimeRange{0, 253'370'764'800'000};

// JSON that tg stores (--checks, --acceptance) may nest this deep: SQLite's json_valid() and
// recursive readers have limits of their own, far above any real use.
inline constexpr int kMaxJsonDepth = 64;

// Files tg reads: plan files and templates, and .taskgraph/config.json.
inline constexpr size_t kMaxPlanFileBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxConfigBytes = 1024 * 1024;

// A whole decimal number (optional leading '-'), or nullopt when `text` is not one or does
// not fit in 64 bits. Never wraps.
std::optional<int64_t> ParseInteger(std::string_view text);

// "1 to 1000000" or, for durations, "1s to 30d".
std::string FormatRange(const Range& r);
std::string FormatDurationRange(const Range& r);
// "90s", "30m", "2h", "3d", "250ms": the largest unit that divides `ms`.
std::string FormatDuration(Millis ms);

// Nesting depth of JSON text (arrays and objects), counted without parsing it, so that a
// deeply nested value is refused before any recursive code sees it.
int JsonDepth(std::string_view text);

}  // namespace tg
