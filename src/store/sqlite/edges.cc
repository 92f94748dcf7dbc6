// Edges between tasks, and the unmet-blocker count behind the materialised blocked status.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

Result<std::vector<Related>> CollectRelated(Stmt& st) {
  std::vector<Related> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    Related r;
    r.task_id = st.Text(0);
    r.hash_id = st.Text(1);
    r.title = st.Text(2);
    r.status = ParseTaskStatus(st.Text(3)).value_or(TaskStatus::kTodo);
    r.type = ParseEdgeType(st.Text(4)).value_or(EdgeType::kBlocks);
    r.reason = st.OptText(5);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Status SqliteTxn::InsertEdge(const Edge& e) {
  TG_TRY(Touch(e.from_task_id));
  TG_TRY(Touch(e.to_task_id));
  return InsertRow("edges", "from_task_id, to_task_id, type, reason, created_at",
                   {e.from_task_id, e.to_task_id, std::string(ToString(e.type)),
                    e.reason ? Value(*e.reason) : Value(), FormatIso(e.created_at)});
}

Result<bool> SqliteTxn::DeleteEdge(std::string_view from, std::string_view to, EdgeType type) {
  TG_TRY(Touch(from));
  TG_TRY(Touch(to));
  TG_ASSIGN(Stmt st, db_.Prepare("DELETE FROM edges WHERE from_task_id = ? AND to_task_id = ? "
                                 "AND type = ?"));
  st.Bind(1, from).Bind(2, to).Bind(3, ToString(type));
  TG_TRY(st.Run());
  return db_.Changes() > 0;
}

Result<bool> SqliteTxn::EdgeExists(std::string_view from, std::string_view to, EdgeType type) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT 1 FROM edges WHERE from_task_id = ? AND to_task_id = ? "
                                 "AND type = ?"));
  st.Bind(1, from).Bind(2, to).Bind(3, ToString(type));
  return st.Step();
}

Result<std::vector<Related>> SqliteTxn::Blockers(std::string_view task_id) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT t.task_id, t.hash_id, t.title, t.status, e.type, "
                                 "e.reason FROM edges e JOIN tasks t ON t.task_id = "
                                 "e.from_task_id WHERE e.to_task_id = ? AND e.type = 'blocks' "
                                 "ORDER BY e.created_at, t.created_at, e.rowid"));
  st.Bind(1, task_id);
  return CollectRelated(st);
}

Result<std::vector<Related>> SqliteTxn::Dependents(std::string_view task_id) {
  TG_ASSIGN(Stmt st,
            db_.Prepare("SELECT t.task_id, t.hash_id, t.title, t.status, e.type, "
                        "e.reason FROM edges e JOIN tasks t ON t.task_id = e.to_task_id "
                        "WHERE e.from_task_id = ? ORDER BY e.created_at, t.created_at, e.rowid"));
  st.Bind(1, task_id);
  return CollectRelated(st);
}

Result<std::vector<Related>> SqliteTxn::RelatedFrom(std::string_view task_id) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT t.task_id, t.hash_id, t.title, t.status, e.type, "
                                 "e.reason FROM edges e JOIN tasks t ON t.task_id = "
                                 "e.from_task_id WHERE e.to_task_id = ? AND e.type = 'relates' "
                                 "ORDER BY e.created_at, t.created_at, e.rowid"));
  st.Bind(1, task_id);
  return CollectRelated(st);
}

Result<std::vector<std::string>> SqliteTxn::BlocksSuccessors(std::string_view task_id) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT to_task_id FROM edges WHERE from_task_id = ? AND "
                                 "type = 'blocks'"));
  st.Bind(1, task_id);
  return st.Texts();
}

Result<int> SqliteTxn::UnmetBlockerCount(std::string_view task_id) {
  static const std::string sql = fmt::format("SELECT count(*) FROM ({})", UnmetBlockersSql("?1"));
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  st.Bind(1, task_id);
  TG_ASSIGN(bool row, st.Step());
  return row ? static_cast<int>(st.Int(0)) : 0;
}

}  // namespace tg::store::sqlite
