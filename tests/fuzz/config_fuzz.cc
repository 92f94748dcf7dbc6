// libFuzzer target for .taskgraph/config.json: any bytes give settings within their ranges or
// one VALIDATION_FAILED line naming the file, never a crash or a wrapped number.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/limits.h"
#include "store/store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cfg = tg::store::ParseConfig(text, "config.json");
  if (!cfg) {
    if (cfg.error().code != tg::Code::kValidationFailed) std::abort();
    if (cfg.error().message.find('\n') != std::string::npos) std::abort();
    if (!cfg.error().message.starts_with("config.json")) std::abort();
    return 0;
  }
  if (!tg::kLeaseMinutesRange.Contains(cfg->lease_minutes)) std::abort();
  if (!tg::kHoursRange.Contains(cfg->stale_hours)) std::abort();
  if (cfg->context_token_budget && !tg::kTokenBudgetRange.Contains(*cfg->context_token_budget)) {
    std::abort();
  }
  return 0;
}
