// Gates: external conditions (human, CI, webhook) that hold one task until resolved.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

constexpr const char* kGateCols =
    "gate_id, hash_id, name, gate_type, status, task_id, created_at, resolved_at, resolved_by, "
    "reason";

Gate ReadGate(const Stmt& st) {
  Gate g;
  g.gate_id = st.Text(0);
  g.hash_id = st.Text(1);
  g.name = st.Text(2);
  g.gate_type = ParseGateType(st.Text(3)).value_or(GateType::kHuman);
  g.status = ParseGateStatus(st.Text(4)).value_or(GateStatus::kPending);
  g.task_id = st.Text(5);
  g.created_at = Time(st, 6);
  g.resolved_at = OptTime(st, 7);
  g.resolved_by = st.OptText(8);
  g.reason = st.OptText(9);
  return g;
}

void BindGate(Stmt& st, const Gate& g) {
  st.Bind(1, g.gate_id).Bind(2, g.hash_id).Bind(3, g.name).Bind(4, ToString(g.gate_type));
  st.Bind(5, ToString(g.status)).Bind(6, g.task_id).Bind(7, FormatIso(g.created_at));
  st.Bind(8, OptIso(g.resolved_at)).Bind(9, g.resolved_by).Bind(10, g.reason);
}

}  // namespace

Status SqliteTxn::InsertGate(const Gate& g) {
  TG_TRY(Touch(g.task_id));
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("INSERT INTO gates ({}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                             kGateCols)));
  BindGate(st, g);
  return st.Run();
}

Status SqliteTxn::UpdateGate(const Gate& g) {
  TG_TRY(Touch(g.task_id));
  TG_ASSIGN(Stmt st, db_.Prepare("UPDATE gates SET hash_id=?2, name=?3, gate_type=?4, status=?5, "
                                 "task_id=?6, created_at=?7, resolved_at=?8, resolved_by=?9, "
                                 "reason=?10 WHERE gate_id=?1"));
  BindGate(st, g);
  return st.Run();
}

Result<std::optional<Gate>> SqliteTxn::GetGate(std::string_view gate_id) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM gates WHERE gate_id = ?", kGateCols)));
  st.Bind(1, gate_id);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Gate>();
  return std::optional<Gate>(ReadGate(st));
}

Result<std::vector<Gate>> SqliteTxn::ListGates(bool pending_only,
                                               std::optional<std::string> task_id) {
  std::string sql = fmt::format(
      "SELECT {} FROM gates WHERE 1{}{} ORDER BY created_at DESC, "
      "rowid DESC",
      kGateCols, pending_only ? " AND status = 'pending'" : "", task_id ? " AND task_id = ?" : "");
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  if (task_id) st.Bind(1, *task_id);
  std::vector<Gate> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadGate(st));
  }
  return out;
}

}  // namespace tg::store::sqlite
