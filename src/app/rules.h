// Rules that several use cases share, applied inside the caller's write transaction:
// the materialised blocked status, the cycle check, the plan lifecycle and event writing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/context.h"
#include "core/model.h"
#include "store/sqlite.h"

namespace tg::app {

// Appends an event to a task's log.
Status AddEvent(store::Db& db, IdSource& ids, const std::string& task_id, std::string_view kind,
                const nlohmann::json& body, const std::string& agent, Millis now);

// Recomputes one task's blocked status from its unmet blockers (edges from unfinished tasks,
// pending gates): todo <-> blocked, logging a blocked/unblocked event on change.
Status SyncBlocked(store::Db& db, IdSource& ids, const std::string& task_id,
                   const std::string& agent, Millis now);
// SyncBlocked for every task that `task_id` blocks.
Status SyncDependents(store::Db& db, IdSource& ids, const std::string& task_id,
                      const std::string& agent, Millis now);

// CYCLE_DETECTED, naming the cycle by short ids, when a blocking edge from -> to would close
// one (including from == to).
Status CheckNoCycle(store::Db& db, const Task& from, const Task& to);

// draft -> active, on the first start of one of the plan's tasks.
Status ActivatePlan(store::Db& db, const std::string& plan_id, Millis now);
// done when every task is done or canceled and at least one is done; returns true if the plan
// became done just now. A done plan with unfinished work goes back to active.
Result<bool> SettlePlan(store::Db& db, const std::string& plan_id, Millis now);

// Moves `t` to `status` (done, todo, canceled) and drops its claim and lease: the one way a
// claim ends (done, release, cancel, recover, split).
Status EndClaim(store::Db& db, Task& t, TaskStatus status, Millis now);

// The message for a failed claim check: who holds the task and since when.
std::string HeldBy(const Task& t, Millis now);

}  // namespace tg::app
