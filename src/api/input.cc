#include "api/input.h"

#include <fmt/format.h>

#include "core/duration.h"

namespace tg::api {

Result<std::optional<Millis>> ParseLease(std::string_view name, const std::string& value) {
  if (value.empty()) return std::optional<Millis>();
  auto ms = ParseDuration(value);
  if (!ms || *ms <= 0) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} must be a duration like 90s, 30m or 2h, not '{}'", name, value));
  }
  return std::optional<Millis>(*ms);
}

Status CheckLimit(std::string_view name, int limit) {
  if (limit < 1) return Fail(Code::kValidationFailed, fmt::format("{} must be at least 1", name));
  return Ok();
}

}  // namespace tg::api
