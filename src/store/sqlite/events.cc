// The append-only event log of each task.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

Event ReadEvent(const Stmt& st) {
  return Event{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), Time(st, 5)};
}

Status SqliteTxn::InsertEvent(const Event& e) {
  TG_TRY(Touch(e.task_id));
  return InsertRow("events", "event_id, task_id, kind, body, agent, created_at",
                   {e.event_id, e.task_id, e.kind, e.body, e.agent, FormatIso(e.created_at)});
}

Result<std::vector<Event>> SqliteTxn::TaskEvents(std::string_view task_id, int limit,
                                                 std::optional<std::string> kind) {
  std::string sql = fmt::format(
      "SELECT event_id, task_id, kind, body, agent, created_at FROM events WHERE task_id = ?{} "
      "ORDER BY created_at DESC, rowid DESC LIMIT {}",
      kind ? " AND kind = ?" : "", limit);
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  st.Bind(1, task_id);
  if (kind) st.Bind(2, *kind);
  std::vector<Event> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadEvent(st));
  }
  return out;
}

}  // namespace tg::store::sqlite
