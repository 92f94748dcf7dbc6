// libFuzzer target for src/plan: the parsers must never crash, leak or hang on any bytes, and
// every plan they accept must come back unchanged through WriteCursor and ParsePlan.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "plan/plan.h"

namespace {

using tg::plan::Format;
using tg::plan::Plan;

Plan Comparable(Plan plan) {
  for (auto& todo : plan.todos) todo.line = 0;
  plan.warnings.clear();
  return plan;
}

// A broken round trip is a bug in WriteCursor (or the reader): report it as a crash.
void CheckRoundTrip(const Plan& plan, const char* via) {
  std::string written = tg::plan::WriteCursor(plan);
  auto again = tg::plan::ParsePlan(written, "roundtrip.md", Format::kCursor);
  const char* problem = !again                                   ? "written plan does not parse"
                        : !again->warnings.empty()               ? "written plan has warnings"
                        : Comparable(*again) != Comparable(plan) ? "written plan differs"
                                                                 : nullptr;
  if (problem == nullptr) return;
  std::fprintf(stderr, "round trip via %s: %s\n%s\n%s\n", via, problem,
               again ? "" : again.error().message.c_str(), written.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (Format format : {Format::kAuto, Format::kCursor, Format::kLegacy}) {
    auto plan = tg::plan::ParsePlan(text, "fuzz.md", format);
    if (plan) CheckRoundTrip(*plan, "ParsePlan");
  }
  static const std::map<std::string, std::string> kVars = {
      {"x", "{{y}}"}, {"name", "n\"a: me\n"}, {"id", "id-1"}};
  auto plan = tg::plan::ParseTemplate(text, "fuzz.yaml", kVars);
  if (plan) CheckRoundTrip(*plan, "ParseTemplate");
  return 0;
}
