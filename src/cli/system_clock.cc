#include "cli/system_clock.h"

#include <chrono>

namespace tg::cli {

Millis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace tg::cli
