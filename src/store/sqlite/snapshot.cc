// Whole-graph reads for exports.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

Result<std::vector<Edge>> SqliteTxn::ListEdges(const std::optional<std::string>& plan_id) {
  TG_ASSIGN(Stmt st,
            db_.Prepare("SELECT e.from_task_id, e.to_task_id, e.type, e.reason, e.created_at "
                        "FROM edges e JOIN tasks a ON a.task_id = e.from_task_id JOIN tasks b "
                        "ON b.task_id = e.to_task_id WHERE ?1 IS NULL OR (a.plan_id = ?1 AND "
                        "b.plan_id = ?1) ORDER BY a.created_at, a.rowid, b.created_at, b.rowid"));
  st.Bind(1, plan_id);
  std::vector<Edge> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(Edge{st.Text(0), st.Text(1),
                       ParseEdgeType(st.Text(2)).value_or(EdgeType::kBlocks), st.OptText(3),
                       Time(st, 4)});
  }
  return out;
}

Result<std::map<std::string, std::vector<std::string>>> SqliteTxn::LabelsByTask(
    const std::optional<std::string>& plan_id, bool skills) {
  std::string sql = fmt::format(
      "SELECT l.task_id, l.{0} FROM {1} l JOIN tasks t ON t.task_id = l.task_id WHERE ?1 IS NULL "
      "OR t.plan_id = ?1 ORDER BY l.rowid",
      skills ? "skill" : "doc", skills ? "task_skills" : "task_docs");
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  st.Bind(1, plan_id);
  std::map<std::string, std::vector<std::string>> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out[st.Text(0)].push_back(st.Text(1));
  }
  return out;
}

Result<std::vector<Task>> SqliteTxn::AllTasks() {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM tasks t JOIN plans p ON "
                                             "p.plan_id = t.plan_id ORDER BY p.created_at, "
                                             "p.rowid, t.created_at, t.rowid",
                                             TaskCols())));
  return Tasks(st);
}

}  // namespace tg::store::sqlite
