// Batch results (start, done, note, release, reopen, cancel, heartbeat): one JSON object per
// id, and the exit-code rule of contract section 7, for every front end.
#pragma once

#include "api/json.h"

namespace tg::api {

// One element of a batch command's array: {"id", "input", "status", ...} or {..., "error"}.
Json ItemJson(const app::ItemResult& r, bool with_plan_completed);
// A task's worktree (start --worktree, next --claim --worktree, done): worktree_path,
// worktree_branch, worktree_base, and for done what became of it (merged, worktree_removed,
// branch_deleted).
void AddWorktreeFields(Json& j, const app::WorktreeOutcome& w, bool done);
// The whole array; heartbeat items also carry their new lease_expires_at.
Json BatchJson(const app::BatchOutcome& o, bool with_plan_completed, bool with_lease = false);

// 0 when every item succeeded; the failures' exit code when they share one; 1 when they differ.
int BatchExitCode(const std::vector<app::ItemResult>& items);

}  // namespace tg::api
