// Reads of who did what when, for stats, status and the dashboard.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

Result<std::map<std::string, Millis>> SqliteTxn::LastRenewals() {
  TG_ASSIGN(Stmt st,
            db_.Prepare("SELECT task_id, renewed_at FROM leases WHERE renewed_at IS NOT NULL"));
  std::map<std::string, Millis> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out[st.Text(0)] = Time(st, 1);
  }
  return out;
}

Result<std::vector<Event>> SqliteTxn::EventsOfKinds(const std::vector<std::string>& kinds,
                                                    const std::optional<std::string>& plan_id) {
  std::vector<Event> out;
  if (kinds.empty()) return out;
  std::string marks;
  for (size_t i = 0; i < kinds.size(); ++i) marks += i ? ", ?" : "?";
  std::string sql = fmt::format(
      "SELECT e.event_id, e.task_id, e.kind, e.body, e.agent, e.created_at FROM events e{} "
      "WHERE e.kind IN ({}){} ORDER BY e.created_at, e.rowid",
      plan_id ? " JOIN tasks t ON t.task_id = e.task_id" : "", marks,
      plan_id ? " AND t.plan_id = ?" : "");
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  int i = 1;
  for (const auto& k : kinds) st.Bind(i++, k);
  if (plan_id) st.Bind(i, *plan_id);
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadEvent(st));
  }
  return out;
}

}  // namespace tg::store::sqlite
