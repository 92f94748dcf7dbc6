// The real clock; the one place tg reads the wall time.
#pragma once

#include "core/clock.h"

namespace tg::cli {

class SystemClock final : public Clock {
 public:
  Millis Now() const override;
};

}  // namespace tg::cli
