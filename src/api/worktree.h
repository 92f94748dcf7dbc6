// The JSON of `tg worktree list` (contract section 10).
#pragma once

#include <vector>

#include "api/json.h"
#include "app/worktree.h"

namespace tg::api {

// [{path, branch, task_id, hash_id, head}]: branch null when detached; task_id and hash_id
// null for a worktree that is no task's.
Json WorktreeListJson(const std::vector<app::WorktreeRow>& rows);

}  // namespace tg::api
