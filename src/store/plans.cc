// Plans: rows, listing and per-plan task counts.
#include <fmt/format.h>

#include "store/queries.h"
#include "store/rows.h"

namespace tg::store {

Millis Time(const Stmt& st, int col) { return ParseIso(st.Text(col)).value_or(0); }

std::optional<Millis> OptTime(const Stmt& st, int col) {
  if (st.IsNull(col)) return std::nullopt;
  return ParseIso(st.Text(col));
}

std::optional<std::string> OptIso(const std::optional<Millis>& t) {
  if (!t) return std::nullopt;
  return FormatIso(*t);
}

Plan ReadPlan(const Stmt& st) {
  Plan p;
  p.plan_id = st.Text(0);
  p.hash_id = st.Text(1);
  p.title = st.Text(2);
  p.intent = st.Text(3);
  p.status = ParsePlanStatus(st.Text(4)).value_or(PlanStatus::kDraft);
  p.priority = st.OptInt(5);
  p.source_path = st.OptText(6);
  p.overview = st.OptText(7);
  p.file_tree = st.OptText(8);
  p.risks = st.OptText(9);
  p.tests = st.OptText(10);
  p.created_at = Time(st, 11);
  p.updated_at = Time(st, 12);
  return p;
}

static void BindPlan(Stmt& st, const Plan& p) {
  st.Bind(1, p.plan_id).Bind(2, p.hash_id).Bind(3, p.title).Bind(4, p.intent);
  st.Bind(5, ToString(p.status)).Bind(6, p.priority).Bind(7, p.source_path);
  st.Bind(8, p.overview).Bind(9, p.file_tree).Bind(10, p.risks).Bind(11, p.tests);
  st.Bind(12, FormatIso(p.created_at)).Bind(13, FormatIso(p.updated_at));
}

Status InsertPlan(Db& db, const Plan& p) {
  TG_ASSIGN(Stmt st, db.Prepare(fmt::format("INSERT INTO plans ({}) VALUES "
                                            "(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                            kPlanCols)));
  BindPlan(st, p);
  return st.Run();
}

Status UpdatePlan(Db& db, const Plan& p) {
  TG_ASSIGN(Stmt st, db.Prepare("UPDATE plans SET hash_id=?2, title=?3, intent=?4, status=?5, "
                                "priority=?6, source_path=?7, overview=?8, file_tree=?9, "
                                "risks=?10, tests=?11, created_at=?12, updated_at=?13 "
                                "WHERE plan_id=?1"));
  BindPlan(st, p);
  return st.Run();
}

Result<std::optional<Plan>> GetPlan(Db& db, std::string_view plan_id) {
  TG_ASSIGN(Stmt st, db.Prepare(fmt::format("SELECT {} FROM plans WHERE plan_id = ?", kPlanCols)));
  st.Bind(1, plan_id);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Plan>();
  return std::optional<Plan>(ReadPlan(st));
}

Result<std::vector<Plan>> ListPlans(Db& db, const PlanListFilter& f) {
  std::string where = f.only_abandoned      ? "WHERE status = 'abandoned'"
                      : f.include_abandoned ? ""
                                            : "WHERE status != 'abandoned'";
  TG_ASSIGN(Stmt st, db.Prepare(fmt::format("SELECT {} FROM plans {} ORDER BY created_at DESC, "
                                            "rowid DESC",
                                            kPlanCols, where)));
  std::vector<Plan> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadPlan(st));
  }
  return out;
}

Result<StatusCounts> PlanTaskCounts(Db& db, std::string_view plan_id) {
  TG_ASSIGN(Stmt st, db.Prepare("SELECT status, count(*) FROM tasks WHERE plan_id = ? "
                                "GROUP BY status"));
  st.Bind(1, plan_id);
  StatusCounts c;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    int n = static_cast<int>(st.Int(1));
    switch (ParseTaskStatus(st.Text(0)).value_or(TaskStatus::kTodo)) {
      case TaskStatus::kTodo:
        c.todo = n;
        break;
      case TaskStatus::kDoing:
        c.doing = n;
        break;
      case TaskStatus::kBlocked:
        c.blocked = n;
        break;
      case TaskStatus::kDone:
        c.done = n;
        break;
      case TaskStatus::kCanceled:
        c.canceled = n;
        break;
    }
  }
  return c;
}

}  // namespace tg::store

namespace tg::store {

Result<std::optional<Plan>> FindPlanBySource(Db& db, std::string_view source_path) {
  TG_ASSIGN(Stmt st, db.Prepare(fmt::format("SELECT {} FROM plans WHERE source_path = ? AND "
                                            "status != 'abandoned' ORDER BY created_at DESC "
                                            "LIMIT 1",
                                            kPlanCols)));
  st.Bind(1, source_path);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Plan>();
  return std::optional<Plan>(ReadPlan(st));
}

}  // namespace tg::store
