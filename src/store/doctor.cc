#include "store/doctor.h"

#include <fmt/format.h>

#include "core/graph.h"
#include "store/queries.h"
#include "store/schema.h"
#include "store/txn.h"

namespace tg::store {

namespace {

// Runs `sql` (first column = a row name) and adds one finding if it returns rows.
Status Expect(Db& db, std::vector<Finding>& out, const char* check, const std::string& message,
              const std::string& sql) {
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  Finding f{check, message, {}};
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    f.rows.push_back(st.Text(0));
  }
  if (!f.rows.empty()) out.push_back(std::move(f));
  return Ok();
}

constexpr const char* kUnmet =
    "((SELECT count(*) FROM edges e JOIN tasks b ON b.task_id = e.from_task_id WHERE "
    "e.to_task_id = t.task_id AND e.type = 'blocks' AND b.status NOT IN ('done','canceled')) + "
    "(SELECT count(*) FROM gates g WHERE g.task_id = t.task_id AND g.status = 'pending'))";

Status CheckGraph(Db& db, std::vector<Finding>& out) {
  TG_TRY(
      Expect(db, out, "blocked_status", "todo task with an unmet blocker (should be blocked)",
             fmt::format("SELECT hash_id FROM tasks t WHERE status = 'todo' AND {} > 0", kUnmet)));
  TG_TRY(Expect(
      db, out, "blocked_status", "blocked task with no unmet blocker (should be todo)",
      fmt::format("SELECT hash_id FROM tasks t WHERE status = 'blocked' AND {} = 0", kUnmet)));
  TG_TRY(Expect(db, out, "claims", "doing task without a claimant",
                "SELECT hash_id FROM tasks WHERE status = 'doing' AND claimed_by IS NULL"));
  TG_TRY(Expect(db, out, "claims", "claim on a task that is not doing",
                "SELECT hash_id FROM tasks WHERE status != 'doing' AND claimed_by IS NOT NULL"));
  TG_TRY(Expect(db, out, "claims", "lease on a task that is not doing",
                "SELECT t.hash_id FROM leases l JOIN tasks t ON t.task_id = l.task_id WHERE "
                "t.status != 'doing'"));
  const char* finished =
      "(SELECT count(*) FROM tasks t WHERE t.plan_id = p.plan_id) > 0 AND "
      "(SELECT count(*) FROM tasks t WHERE t.plan_id = p.plan_id AND t.status = 'done') > 0 AND "
      "(SELECT count(*) FROM tasks t WHERE t.plan_id = p.plan_id AND t.status NOT IN "
      "('done','canceled')) = 0";
  TG_TRY(Expect(
      db, out, "plan_status", "done plan with unfinished tasks",
      fmt::format("SELECT hash_id FROM plans p WHERE status = 'done' AND NOT ({})", finished)));
  TG_TRY(Expect(db, out, "plan_status", "plan whose tasks are all finished is not done",
                fmt::format("SELECT hash_id FROM plans p WHERE status IN ('draft','active',"
                            "'paused') AND {}",
                            finished)));
  TG_TRY(Expect(db, out, "plan_status", "draft plan with started work (should be active)",
                "SELECT hash_id FROM plans p WHERE status = 'draft' AND EXISTS (SELECT 1 FROM "
                "tasks t WHERE t.plan_id = p.plan_id AND t.status IN ('doing','done'))"));
  // Blocking cycles.
  TG_ASSIGN(Stmt st, db.Prepare("SELECT a.hash_id, b.hash_id FROM edges e JOIN tasks a ON "
                                "a.task_id = e.from_task_id JOIN tasks b ON b.task_id = "
                                "e.to_task_id WHERE e.type = 'blocks'"));
  std::vector<std::pair<std::string, std::string>> edges;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    edges.emplace_back(st.Text(0), st.Text(1));
  }
  if (auto cycle = FindCycle(edges)) {
    out.push_back({"cycle", "blocking cycle: " + FormatPath(*cycle), *cycle});
  }
  return Ok();
}

Status CheckReplay(Db& db, std::vector<Finding>& out) {
  TG_ASSIGN(auto mem, Db::Open(":memory:", /*create=*/true, 1000));
  TG_TRY(Migrate(*mem));
  Status replayed = ReplayHistory(db, *mem);
  if (!replayed) {
    out.push_back({"history", "history does not replay: " + replayed.error().message, {}});
    return Ok();
  }
  TG_ASSIGN(auto tables, DifferingTables(db, *mem));
  if (!tables.empty()) {
    out.push_back({"history", "replaying history does not reproduce these tables", tables});
  }
  return Ok();
}

}  // namespace

Result<std::vector<Finding>> Diagnose(Store& store) {
  Db& db = store.db();
  std::vector<Finding> out;
  TG_ASSIGN(auto rt, ReadTxn::Begin(store));
  TG_ASSIGN(Stmt ic, db.Prepare("PRAGMA integrity_check"));
  Finding integrity{"integrity", "SQLite integrity check failed", {}};
  for (;;) {
    TG_ASSIGN(bool row, ic.Step());
    if (!row) break;
    if (ic.Text(0) != "ok") integrity.rows.push_back(ic.Text(0));
  }
  if (!integrity.rows.empty()) {
    out.push_back(std::move(integrity));
    return out;  // nothing else can be trusted
  }
  TG_ASSIGN(int64_t version, db.QueryInt("PRAGMA user_version"));
  if (version != SchemaVersion()) {
    out.push_back({"schema",
                   fmt::format("schema version {} (this tg writes {})", version, SchemaVersion()),
                   {}});
  }
  TG_TRY(Expect(db, out, "foreign_keys", "rows referring to rows that do not exist",
                "SELECT \"table\" || ' row ' || rowid FROM pragma_foreign_key_check"));
  TG_TRY(CheckGraph(db, out));
  TG_TRY(CheckReplay(db, out));
  return out;
}

}  // namespace tg::store
