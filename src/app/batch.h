// Batch commands (start, done, note, cancel, release, reopen) act on several ids in one
// transaction and one commit; each id succeeds or fails on its own.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"

namespace tg::app {

// A task's git worktree (start --worktree) and what a command did with it (app/worktree.h).
struct WorktreeOutcome {
  std::string path, branch, base;
  bool merged = false;          // done --merge: the branch is in its base now
  bool removed = false;         // the worktree is gone (clean, or merged)
  bool branch_deleted = false;  // merged, so its branch went too
  std::string note;             // for humans: what was kept and why
};

struct ItemResult {
  std::string input;         // as typed
  std::optional<Task> task;  // the task after the operation
  std::optional<Plan> plan;  // cancel of a plan
  std::optional<Error> error;
  bool changed = false;  // false for a no-op success (e.g. starting your own task)
  bool plan_completed = false;
  std::string info;  // a short remark for humans ("already yours")
  std::optional<WorktreeOutcome> worktree;
};

using BatchOutcome = Written<std::vector<ItemResult>>;

// Runs `op` for each input inside one write transaction. Each item runs in its own unit, so a
// refused item writes nothing; a store failure (busy, I/O, corrupt) aborts the command.
// `verb` starts the commit message ("task: start").
Result<BatchOutcome> RunBatch(Context& ctx, const std::vector<std::string>& inputs,
                              std::string_view verb,
                              const std::function<Status(store::Writer&, ItemResult&)>& op);

}  // namespace tg::app
