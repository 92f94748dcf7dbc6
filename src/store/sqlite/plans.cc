// Plans: rows, listing, lookup by source file, and progress.
#include <fmt/format.h>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

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

Status SqliteTxn::InsertPlan(const Plan& p) {
  TG_TRY(RequireWrite());
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("INSERT INTO plans ({}) VALUES "
                                             "(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                             kPlanCols)));
  BindPlan(st, p);
  return st.Run();
}

Status SqliteTxn::UpdatePlan(const Plan& p) {
  TG_TRY(RequireWrite());
  TG_ASSIGN(Stmt st, db_.Prepare("UPDATE plans SET hash_id=?2, title=?3, intent=?4, status=?5, "
                                 "priority=?6, source_path=?7, overview=?8, file_tree=?9, "
                                 "risks=?10, tests=?11, created_at=?12, updated_at=?13 "
                                 "WHERE plan_id=?1"));
  BindPlan(st, p);
  return st.Run();
}

Result<std::optional<Plan>> SqliteTxn::GetPlan(std::string_view plan_id) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM plans WHERE plan_id = ?", kPlanCols)));
  st.Bind(1, plan_id);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Plan>();
  return std::optional<Plan>(ReadPlan(st));
}

Result<std::vector<Plan>> SqliteTxn::ListPlans(const PlanListFilter& f) {
  std::string where = f.only_abandoned      ? "WHERE status = 'abandoned'"
                      : f.include_abandoned ? ""
                                            : "WHERE status != 'abandoned'";
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM plans {} ORDER BY created_at DESC, "
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

Result<PlanProgress> SqliteTxn::GetPlanProgress(std::string_view plan_id) {
  // Three index probes on tasks_plan, however many tasks the plan has.
  TG_ASSIGN(Stmt st,
            db_.Prepare("SELECT EXISTS (SELECT 1 FROM tasks WHERE plan_id = ?1 AND status IN "
                        "('todo', 'doing', 'blocked')), EXISTS (SELECT 1 FROM tasks WHERE "
                        "plan_id = ?1 AND status IN ('doing', 'done')), EXISTS (SELECT 1 FROM "
                        "tasks WHERE plan_id = ?1 AND status = 'done')"));
  st.Bind(1, plan_id);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return PlanProgress{};
  return PlanProgress{st.Int(0) != 0, st.Int(1) != 0, st.Int(2) != 0};
}

Result<std::optional<Plan>> SqliteTxn::FindPlanBySource(std::string_view source_path) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM plans WHERE source_path = ? AND "
                                             "status != 'abandoned' ORDER BY created_at DESC "
                                             "LIMIT 1",
                                             kPlanCols)));
  st.Bind(1, source_path);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Plan>();
  return std::optional<Plan>(ReadPlan(st));
}

}  // namespace tg::store::sqlite
