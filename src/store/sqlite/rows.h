// Column lists and row readers shared by the query files (internal to the SQLite store).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "store/history.h"
#include "store/sqlite/db.h"
#include "store/types.h"

namespace tg::store::sqlite {

// The unmet-blocker rule (core/model.h, HoldsBack) in SQL, written once for every query that
// needs it: one row per thing that holds the task `task` (an SQL expression) back, naming it by
// short id: an unfinished task that blocks it, or a pending gate on it. A function rather than
// a view, because SQLite does not push a correlated task id into a compound view, and a view
// made every lookup read every edge.
std::string UnmetBlockersSql(std::string_view task);

// Task columns with the plan title, the lease and the unmet blockers joined: alias t for
// tasks, p for plans. blocked_by lists unmet blockers only for open tasks (contract section 3:
// a doing task can be blocked-while-doing; a finished one waits for nothing).
const std::string& TaskCols();

inline constexpr const char* kPlanCols =
    "plan_id, hash_id, title, intent, status, priority, source_path, overview, file_tree, "
    "risks, tests, created_at, updated_at";

// The doc, skill and change-type filters on tasks aliased t; binds go in `args` in order.
std::string LabelFilterSql(const TaskFilter& f, std::vector<std::string>& args);
// Those plus the plan and abandoned-plan filters (plans aliased p).
std::string FilterSql(const TaskFilter& f, std::vector<std::string>& args);

// A commit's columns (alias c), and the commit they read (history.cc).
inline constexpr const char* kCommitCols =
    "c.seq, c.commit_id, c.parent, c.time, c.author, c.message, c.changes, c.co_authors, "
    "c.reverts, c.undo";
tg::Commit ReadCommit(const Stmt& st);
// Binds a store-neutral cell (history records, copied rows) by its type.
void BindValue(Stmt& st, int i, const Value& v);
// The same without copying text: `v` must outlive the statement's last step (Stmt::BindRef).
void BindValueRef(Stmt& st, int i, const Value& v);

Task ReadTask(const Stmt& st);
Plan ReadPlan(const Stmt& st);
// An event from the columns event_id, task_id, kind, body, agent, created_at, in that order.
Event ReadEvent(const Stmt& st);
std::optional<Millis> OptTime(const Stmt& st, int col);
Millis Time(const Stmt& st, int col);
std::optional<std::string> OptIso(const std::optional<Millis>& t);

}  // namespace tg::store::sqlite
