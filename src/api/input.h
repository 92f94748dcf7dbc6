// Rules for values a front end receives (a flag, a tool argument), so the CLI and the MCP server
// accept and refuse the same things with the same words. `name` is how the front end spells the
// input in its messages ("--lease" for the CLI, "lease" for a tool). The ranges are those of
// core/limits.h, the one definition of every range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"
#include "core/limits.h"

namespace tg::api {

// A whole number within `range`: VALIDATION_FAILED (exit 6) names the input and the range when
// the value is not a whole number or lies outside it. Parsed as 64 bits and checked before
// narrowing: nothing wraps.
Result<int64_t> ParseIntFlag(std::string_view name, const std::string& value, const Range& range);
// The same, where "unset"/"none"/"" clear the value.
Result<std::optional<int>> ParseOptionalIntFlag(std::string_view name, const std::string& value,
                                                const Range& range);

// A duration ("90s", "30m", "2h") within `range`; `default_unit` for a bare number.
Result<Millis> ParseDurationFlag(std::string_view name, const std::string& value,
                                 Millis default_unit, const Range& range);

// A claim's lease: nullopt when empty, otherwise a duration within kLeaseRange (a bare number
// is minutes).
Result<std::optional<Millis>> ParseLease(std::string_view name, const std::string& value);

// How many rows a list returns: within kLimitRange.
Status CheckLimit(std::string_view name, int64_t limit);

}  // namespace tg::api
