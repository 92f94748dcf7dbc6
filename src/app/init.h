// Creating a graph (`tg init`) and opening one for a command.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/context.h"
#include "core/clock.h"
#include "store/store.h"

namespace tg::app {

using store::InitOutcome;
using store::OpenOptions;

// In a linked git worktree (and unless `here`), no second graph is made: the outcome names the
// main worktree's graph, which every worktree shares, or NOT_INITIALIZED says to create it
// there.
Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts, bool here = false);

// Finds the graph for `cwd` (or `explicit_dir`) and opens it; its transactions read `clock`.
Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts, const Clock& clock);

// Where a command may write a file the user named (export --out, the files of setup): the
// resolved path, refused when it would overwrite a graph's state (store::GuardOutputPath).
// `path` is absolute or relative to `cwd`. With `ctx`, its graph's files are protected also
// against hard links; without, the graph found from `cwd` (or `dir`), if any.
Result<std::string> OutputPath(const Context& ctx, std::string_view what, const std::string& cwd,
                               const std::string& path);
Result<std::string> OutputPath(const std::string& cwd, const std::optional<std::string>& dir,
                               std::string_view what, const std::string& path);

}  // namespace tg::app
