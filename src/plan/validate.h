// Checks every plan must pass whatever its format: id and title limits, unique ids, known
// blockers, no blocking cycles. Internal to src/plan.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "plan/location.h"
#include "plan/plan.h"

namespace tg::plan {

// Where a todo's parts sit in the file, for located errors.
struct TodoSource {
  Pos id, content;
  std::vector<Pos> blocked_by;  // parallel to Todo::blocked_by
};

// A parsed plan with the positions of its todos (parallel to plan.todos).
struct SourcedPlan {
  Plan plan;
  std::vector<TodoSource> sources;
  Pos name;  // where the plan's name is, when it has one
};

// Limits of the store's columns, checked here so that an import fails before writing.
inline constexpr size_t kMaxIdLength = 128;
inline constexpr size_t kMaxTitleLength = tg::kMaxTitleChars;  // one limit everywhere

// kParseFailed for a bad id or title, a duplicate id or an unknown blocker; kCycleDetected
// for a blocking cycle (a self-reference included).
Status Validate(const SourcedPlan& sourced, std::string_view file);

}  // namespace tg::plan
