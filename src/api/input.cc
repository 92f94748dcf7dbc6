#include "api/input.h"

#include <fmt/format.h>

#include "core/duration.h"

namespace tg::api {

Result<int64_t> ParseIntFlag(std::string_view flag, const std::string& value, const Range& range) {
  auto v = ParseInteger(value);
  if (!v || !range.Contains(*v)) {
    return Fail(Code::kValidationFailed, fmt::format("{} must be a whole number from {}, not '{}'",
                                                     flag, FormatRange(range), value));
  }
  return *v;
}

Result<std::optional<int>> ParseOptionalIntFlag(std::string_view flag, const std::string& value,
                                                const Range& range) {
  if (value.empty() || value == "unset" || value == "none") return std::optional<int>();
  TG_ASSIGN(int64_t v, ParseIntFlag(flag, value, range));
  return std::optional<int>(static_cast<int>(v));  // in range, so it fits
}

Result<Millis> ParseDurationFlag(std::string_view flag, const std::string& value,
                                 Millis default_unit, const Range& range) {
  auto ms = ParseDuration(value, default_unit);
  if (!ms || !range.Contains(*ms)) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} must be a duration from {} (e.g. 90s, 30m, 2h), not '{}'", flag,
                            FormatDurationRange(range), value));
  }
  return *ms;
}

Result<std::optional<Millis>> ParseLease(std::string_view name, const std::string& value) {
  if (value.empty()) return std::optional<Millis>();
  TG_ASSIGN(Millis ms, ParseDurationFlag(name, value, kMinute, kLeaseRange));
  return std::optional<Millis>(ms);
}

Status CheckLimit(std::string_view name, int64_t limit) {
  if (!kLimitRange.Contains(limit)) {
    return Fail(Code::kValidationFailed, fmt::format("{} must be a whole number from {}, not {}",
                                                     name, FormatRange(kLimitRange), limit));
  }
  return Ok();
}

}  // namespace tg::api
