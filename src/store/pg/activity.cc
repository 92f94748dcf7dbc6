// Reads of who did what when, for stats, status and the dashboard (as the SQLite store's).
#include <fmt/format.h>

#include "core/strings.h"
#include "store/pg/rows.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

Result<std::map<std::string, Millis>> PgTxn::LastRenewals() {
  TG_ASSIGN(auto r,
            c_.Query("SELECT task_id, renewed_at FROM leases WHERE renewed_at IS NOT NULL"));
  std::map<std::string, Millis> out;
  for (int i = 0; i < r.Rows(); ++i) out[r.Text(i, 0)] = PgTime(r, i, 1);
  return out;
}

Result<std::vector<Event>> PgTxn::EventsOfKinds(const std::vector<std::string>& kinds,
                                                const std::optional<std::string>& plan_id) {
  std::vector<Event> out;
  if (kinds.empty()) return out;
  Params params;
  std::string marks;
  for (const auto& k : kinds) marks = Cat({marks, marks.empty() ? "" : ", ", Arg(params, k)});
  std::string plan = plan_id ? Cat({" AND t.plan_id = ", Arg(params, *plan_id)}) : "";
  TG_ASSIGN(
      auto r,
      c_.Query(fmt::format("SELECT e.event_id, e.task_id, e.kind, e.body, e.agent, "
                           "e.created_at FROM events e{} WHERE e.kind IN ({}){} ORDER BY "
                           "e.created_at, e.rowid",
                           plan_id ? " JOIN tasks t ON t.task_id = e.task_id" : "", marks, plan),
               params));
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back(Event{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
                        PgTime(r, i, 5)});
  }
  return out;
}

}  // namespace tg::store::pg
