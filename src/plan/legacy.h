// The legacy line format (plan-format.md section 6): "# title", "INTENT:", and TASK: blocks.
// Internal to src/plan.
#pragma once

#include <string_view>

#include "core/error.h"
#include "plan/validate.h"

namespace tg::plan {

// Scans the text line by line; fails for a task without TITLE:, a file without tasks, and
// (unless `lenient`) a keyword-like line that is no keyword. The caller validates.
Result<SourcedPlan> ParseLegacy(std::string_view text, std::string_view file, bool lenient);

}  // namespace tg::plan
