// Turning what the user typed into plans, tasks and gates (contract section 2).
#pragma once

#include <string_view>

#include "core/error.h"
#include "core/model.h"
#include "store/store.h"

namespace tg::app {

Result<Task> ResolveTask(store::Reader& r, std::string_view input);
// Id forms first, then exact title, then unique case-insensitive title.
Result<Plan> ResolvePlan(store::Reader& r, std::string_view input);
Result<Gate> ResolveGate(store::Reader& r, std::string_view input);

}  // namespace tg::app
