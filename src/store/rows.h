// Column lists and row readers shared by the query files (internal to store/).
#pragma once

#include "core/model.h"
#include "store/sqlite.h"

namespace tg::store {

// Task columns with the plan title joined: alias t for tasks, p for plans.
inline constexpr const char* kTaskCols =
    "t.task_id, t.hash_id, t.plan_id, p.title, t.external_key, t.title, t.intent, "
    "t.feature_key, t.area, t.acceptance, t.status, t.priority, t.risk, t.estimate_mins, "
    "t.change_type, t.suggested_changes, t.agent, t.claimed_by, t.claimed_at, "
    "(SELECT expires_at FROM leases l WHERE l.task_id = t.task_id), t.started_at, t.ended_at, "
    "t.created_at, t.updated_at, "
    "CASE WHEN t.status IN ('doing', 'blocked') THEN (SELECT group_concat(x, ',') FROM ("
    "SELECT b.hash_id AS x FROM edges e JOIN tasks b ON b.task_id = e.from_task_id "
    "WHERE e.to_task_id = t.task_id AND e.type = 'blocks' AND b.status NOT IN ('done', 'canceled') "
    "UNION ALL SELECT g.hash_id FROM gates g WHERE g.task_id = t.task_id AND g.status = 'pending'"
    ")) END";

inline constexpr const char* kPlanCols =
    "plan_id, hash_id, title, intent, status, priority, source_path, overview, file_tree, "
    "risks, tests, created_at, updated_at";

Task ReadTask(const Stmt& st);
// Steps `st` to the end, reading one task (kTaskCols) per row.
Result<std::vector<Task>> CollectTasks(Stmt& st);
Plan ReadPlan(const Stmt& st);
std::optional<Millis> OptTime(const Stmt& st, int col);
Millis Time(const Stmt& st, int col);
std::optional<std::string> OptIso(const std::optional<Millis>& t);

}  // namespace tg::store
