// Column lists and row readers shared by the query files (internal to the SQLite store).
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "store/sqlite/db.h"
#include "store/types.h"

namespace tg::store::sqlite {

// Task columns with the plan title, the lease and the unmet blockers joined: alias t for
// tasks, p for plans. blocked_by lists unmet blockers only for open tasks (contract section 3:
// a doing task can be blocked-while-doing; a finished one waits for nothing).
inline constexpr const char* kTaskCols =
    "t.task_id, t.hash_id, t.plan_id, p.title, t.external_key, t.title, t.intent, "
    "t.feature_key, t.area, t.acceptance, t.status, t.priority, t.risk, t.estimate_mins, "
    "t.change_type, t.suggested_changes, t.agent, t.claimed_by, t.claimed_at, "
    "(SELECT expires_at FROM leases l WHERE l.task_id = t.task_id), t.started_at, t.ended_at, "
    "t.created_at, t.updated_at, "
    "CASE WHEN t.status IN ('doing', 'blocked') THEN (SELECT group_concat(u.blocker, ',') FROM "
    "unmet_blockers u WHERE u.task_id = t.task_id) END";

inline constexpr const char* kPlanCols =
    "plan_id, hash_id, title, intent, status, priority, source_path, overview, file_tree, "
    "risks, tests, created_at, updated_at";

// The doc, skill and change-type filters on tasks aliased t; binds go in `args` in order.
std::string LabelFilterSql(const TaskFilter& f, std::vector<std::string>& args);
// Those plus the plan and abandoned-plan filters (plans aliased p).
std::string FilterSql(const TaskFilter& f, std::vector<std::string>& args);

Task ReadTask(const Stmt& st);
Plan ReadPlan(const Stmt& st);
std::optional<Millis> OptTime(const Stmt& st, int col);
Millis Time(const Stmt& st, int col);
std::optional<std::string> OptIso(const std::optional<Millis>& t);

}  // namespace tg::store::sqlite
