// Aggregates for `tg status`.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

Result<std::vector<PlanCounts>> SqliteTxn::PlansWithCounts(
    const PlanListFilter& f, const std::optional<std::string>& plan_id) {
  std::string where = f.only_abandoned      ? " AND p.status = 'abandoned'"
                      : f.include_abandoned ? ""
                                            : " AND p.status != 'abandoned'";
  if (plan_id) where += " AND p.plan_id = ?1";
  std::string cols;
  for (const char* c :
       {"plan_id", "hash_id", "title", "intent", "status", "priority", "source_path", "overview",
        "file_tree", "risks", "tests", "created_at", "updated_at"}) {
    cols += (cols.empty() ? "p." : ", p.") + std::string(c);
  }
  std::string sql = fmt::format(
      "SELECT {}, sum(t.status = 'todo'), sum(t.status = 'doing'), sum(t.status = 'blocked'), "
      "sum(t.status = 'done'), sum(t.status = 'canceled') FROM plans p LEFT JOIN tasks t ON "
      "t.plan_id = p.plan_id WHERE 1{} GROUP BY p.plan_id ORDER BY p.created_at, p.rowid",
      cols, where);
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  if (plan_id) st.Bind(1, *plan_id);
  std::vector<PlanCounts> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    PlanCounts pc{ReadPlan(st), {}};
    pc.counts.todo = static_cast<int>(st.Int(13));
    pc.counts.doing = static_cast<int>(st.Int(14));
    pc.counts.blocked = static_cast<int>(st.Int(15));
    pc.counts.done = static_cast<int>(st.Int(16));
    pc.counts.canceled = static_cast<int>(st.Int(17));
    out.push_back(std::move(pc));
  }
  return out;
}

Result<Totals> SqliteTxn::GraphTotals() {
  TG_ASSIGN(Stmt st,
            db_.Prepare("SELECT (SELECT count(*) FROM plans WHERE status = 'done'), "
                        "(SELECT count(*) FROM tasks WHERE status = 'done'), "
                        "(SELECT count(*) FROM tasks WHERE status = 'canceled'), "
                        "(SELECT count(*) FROM events WHERE kind = 'done'), "
                        "(SELECT count(DISTINCT agent) FROM events WHERE kind = 'started'), "
                        "(SELECT coalesce(sum(julianday(ended_at) - julianday(started_at)), 0) "
                        "* 24 FROM tasks WHERE status = 'done' AND started_at IS NOT NULL), "
                        "(SELECT count(*) FROM events WHERE kind = 'done' AND agent = "
                        "'investigator')"));
  TG_ASSIGN(bool row, st.Step());
  Totals t;
  if (!row) return t;
  t.done_plans = static_cast<int>(st.Int(0));
  t.done_tasks = static_cast<int>(st.Int(1));
  t.canceled_tasks = static_cast<int>(st.Int(2));
  t.done_events = static_cast<int>(st.Int(3));
  t.agents = static_cast<int>(st.Int(4));
  t.agent_hours = st.Real(5);
  t.investigator_runs = static_cast<int>(st.Int(6));
  return t;
}

Result<std::vector<Task>> SqliteTxn::RecentlyDone(int limit, const TaskFilter& f) {
  std::string sql = fmt::format(
      "SELECT {} FROM tasks t JOIN plans p ON p.plan_id = t.plan_id WHERE t.status = 'done'{}{} "
      "ORDER BY t.ended_at DESC, t.updated_at DESC, t.rowid DESC LIMIT {}",
      TaskCols(), f.include_abandoned ? "" : " AND p.status != 'abandoned'",
      f.plan_id ? " AND t.plan_id = ?1" : "", limit);
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  if (f.plan_id) st.Bind(1, *f.plan_id);
  return Tasks(st);
}

}  // namespace tg::store::sqlite
