// Renderers of a graph snapshot: Mermaid, Graphviz DOT, and a plan document in the cursor
// format that `tg import` reads back to the same graph.
#pragma once

#include <string>

#include "core/error.h"
#include "core/model.h"
#include "plan/plan.h"

namespace tg::exporter {

std::string ToMermaid(const GraphSnapshot& g);
std::string ToDot(const GraphSnapshot& g);
// A Graphviz string literal: quoted, with quotes and backslashes escaped and line breaks as \n.
std::string DotString(const std::string& s);
// The plan document for `plan` (which must be in `g`): every task of the plan, keyed by its
// external key (or short id when it has none), statuses as completed / canceled / in_progress /
// pending, blockedBy limited to blockers inside the plan.
plan::Plan ToPlanDocument(const GraphSnapshot& g, const Plan& p);
// That document as the text of a plan file, checked to read back: VALIDATION_FAILED naming the
// task when a title breaks the title rule (an older store may hold one), so that export never
// writes a file `tg import` refuses.
Result<std::string> ToPlanFile(const GraphSnapshot& g, const Plan& p);

}  // namespace tg::exporter
