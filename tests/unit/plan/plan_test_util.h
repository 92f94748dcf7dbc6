// Helpers shared by the plan library's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "plan/plan.h"

namespace tg::plan::test {

// Parses `text` as file "p.md" and fails the test on error.
inline Plan MustParse(std::string_view text, Format format = Format::kAuto, bool lenient = false) {
  auto plan = ParsePlan(text, "p.md", format, lenient);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  return plan ? *plan : Plan{};
}

// The error message of parsing `text` as "p.md" ("" when it parses).
inline std::string ErrorOf(std::string_view text, Format format = Format::kAuto) {
  auto plan = ParsePlan(text, "p.md", format);
  return plan ? std::string() : plan.error().message;
}

inline Code CodeOf(std::string_view text, Format format = Format::kAuto) {
  auto plan = ParsePlan(text, "p.md", format);
  return plan ? Code::kInternal : plan.error().code;
}

// A plan without what a round trip does not keep: todo lines and warnings.
inline Plan Comparable(Plan plan) {
  for (Todo& todo : plan.todos) todo.line = 0;
  plan.warnings.clear();
  return plan;
}

}  // namespace tg::plan::test
