// Time: an injectable clock and UTC ISO-8601 text with milliseconds, the only time format tg
// stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tg {

using Millis = int64_t;  // milliseconds since the Unix epoch, UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis Now() const = 0;
};

// A clock stuck at one instant (TG_NOW, tests).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Millis t) : t_(t) {}
  Millis Now() const override { return t_; }
  void Set(Millis t) { t_ = t; }

 private:
  Millis t_;
};

// "2026-11-26T12:37:19.123Z"
std::string FormatIso(Millis t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with optional "Z" or "+HH:MM" offset,
// and a space instead of "T". Returns nullopt on anything else.
std::optional<Millis> ParseIso(std::string_view s);

// "12:04 UTC" when `t` is on the same UTC day as `now`, else "2026-11-25 12:04 UTC".
std::string FormatShort(Millis t, Millis now);

}  // namespace tg
