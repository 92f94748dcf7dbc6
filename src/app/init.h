// Creating a graph (`tg init`) and opening one for a command.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace tg::app {

using store::InitOutcome;
using store::OpenOptions;

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts);

// Finds the graph for `cwd` (or `explicit_dir`) and opens it; its transactions read `clock`.
Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts, const Clock& clock);

}  // namespace tg::app
