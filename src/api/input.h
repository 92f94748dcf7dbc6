// Rules for values a front end receives (a flag, a tool argument), so the CLI and the MCP server
// accept and refuse the same things with the same words. `name` is how the front end spells the
// input in its messages ("--lease" for the CLI, "lease" for a tool).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace tg::api {

// A claim's lease ("90s", "30m", "2h"): nullopt when empty, VALIDATION_FAILED when not a
// positive duration.
Result<std::optional<Millis>> ParseLease(std::string_view name, const std::string& value);

// How many rows a list returns: VALIDATION_FAILED below 1.
Status CheckLimit(std::string_view name, int limit);

}  // namespace tg::api
