// Creating a graph (`tg init`) and opening one for a command.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

namespace tg::app {

using store::InitOutcome;
using store::OpenOptions;

// How long this process last waited for the writers' lock (microseconds).
int64_t LastLockWaitMicros();

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts);

// Finds the graph for `cwd` (or `explicit_dir`) and opens it.
Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts);

}  // namespace tg::app
