// Column lists, row readers and SQL fragments shared by the PostgreSQL query files.
#pragma once

#include <string>
#include <string_view>

#include "core/model.h"
#include "store/pg/conn.h"
#include "store/types.h"

namespace tg::store::pg {

// The unmet-blocker rule (core/model.h, HoldsBack) once, as in the SQLite store: one row per
// unfinished blocking task or pending gate of `task` (an SQL expression), with its order.
std::string PgUnmetBlockersSql(std::string_view task);
// Task columns joined with the plan (p), the lease and the unmet blockers; tasks aliased t.
const std::string& PgTaskCols();
inline constexpr const char* kPgPlanCols =
    "plan_id, hash_id, title, intent, status, priority, source_path, overview, file_tree, "
    "risks, tests, created_at, updated_at";

// "$n" for a new parameter.
std::string Arg(Params& params, Param value);
// LIMIT's operand: SQLite's -1 (no limit) is ALL.
std::string Lim(int n);

// A commit's columns (alias c), and the commit they read (history.cc).
inline constexpr const char* kPgCommitCols =
    "c.seq, c.commit_id, c.parent, c.time, c.author, c.message, c.changes, c.co_authors, "
    "c.reverts, c.undo";
tg::Commit PgReadCommit(const PgResult& r, int i);

Task PgReadTask(const PgResult& r, int row);
Plan PgReadPlan(const PgResult& r, int row, int first = 0);
Millis PgTime(const PgResult& r, int row, int col);
std::optional<Millis> PgOptTime(const PgResult& r, int row, int col);
std::optional<std::string> PgOptIso(const std::optional<Millis>& t);
// A store-neutral value as a text parameter (NULL: nullopt).
Param PgValue(const Value& v);

}  // namespace tg::store::pg
