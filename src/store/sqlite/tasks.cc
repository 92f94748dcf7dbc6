// Tasks: rows, the claim compare-and-set, docs/skills and leases.
#include <fmt/format.h>

#include "store/entity_rows.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {}  // namespace

std::string UnmetBlockersSql(std::string_view task) {
  return fmt::format(
      "SELECT b.hash_id AS blocker FROM edges e JOIN tasks b ON b.task_id = e.from_task_id "
      "WHERE e.to_task_id = {0} AND e.type = 'blocks' AND b.status NOT IN ('done', 'canceled') "
      "UNION ALL SELECT g.hash_id FROM gates g WHERE g.task_id = {0} AND g.status = 'pending'",
      task);
}

const std::string& TaskCols() {
  static const std::string cols = fmt::format(
      "t.task_id, t.hash_id, t.plan_id, p.title, t.external_key, t.title, t.intent, "
      "t.feature_key, t.area, t.acceptance, t.status, t.priority, t.risk, t.estimate_mins, "
      "t.change_type, t.suggested_changes, t.agent, t.claimed_by, t.claimed_at, "
      "(SELECT expires_at FROM leases l WHERE l.task_id = t.task_id), t.started_at, t.ended_at, "
      "t.created_at, t.updated_at, CASE WHEN t.status IN ('doing', 'blocked') THEN (SELECT "
      "group_concat(u.blocker, ',') FROM ({}) u) END, t.tests",
      UnmetBlockersSql("t.task_id"));
  return cols;
}

std::string LabelFilterSql(const TaskFilter& f, std::vector<std::string>& args) {
  std::string w;
  if (f.doc) {
    w += " AND EXISTS (SELECT 1 FROM task_docs d WHERE d.task_id = t.task_id AND d.doc = ?)";
    args.push_back(*f.doc);
  }
  if (f.skill) {
    w += " AND EXISTS (SELECT 1 FROM task_skills s WHERE s.task_id = t.task_id AND s.skill = ?)";
    args.push_back(*f.skill);
  }
  if (f.change_type) {
    w += " AND t.change_type = ?";
    args.push_back(*f.change_type);
  }
  return w;
}

std::string FilterSql(const TaskFilter& f, std::vector<std::string>& args) {
  std::string w;
  if (f.plan_id) {
    w += " AND t.plan_id = ?";
    args.push_back(*f.plan_id);
  }
  if (!f.include_abandoned) w += " AND p.status != 'abandoned'";
  return w + LabelFilterSql(f, args);
}

namespace {

Result<std::vector<std::string>> Strings(Db& db, const char* sql, std::string_view id) {
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  st.Bind(1, id);
  return st.Texts();
}

// Replaces a task's doc or skill rows, writing nothing when they are already equal.
Status SetStrings(Db& db, const char* sel, const char* del, const char* ins, std::string_view id,
                  const std::vector<std::string>& values) {
  TG_ASSIGN(auto current, Strings(db, sel, id));
  if (current == values) return Ok();
  {
    TG_ASSIGN(Stmt st, db.Prepare(del));
    st.Bind(1, id);
    TG_TRY(st.Run());
  }
  for (const auto& v : values) {
    TG_ASSIGN(Stmt st, db.Prepare(ins));
    st.Bind(1, id).Bind(2, v);
    TG_TRY(st.Run());
  }
  return Ok();
}

}  // namespace

Result<std::vector<Task>> SqliteTxn::Tasks(Stmt& st) {
  std::vector<Task> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadTask(st));
    out.back().lease_expired = out.back().LeaseExpired(now_);
  }
  return out;
}

Result<std::optional<Task>> SqliteTxn::OneTask(Stmt& st) {
  TG_ASSIGN(auto tasks, Tasks(st));
  if (tasks.empty()) return std::optional<Task>();
  return std::optional<Task>(std::move(tasks.front()));
}

Task ReadTask(const Stmt& st) {
  Task t;
  t.task_id = st.Text(0);
  t.hash_id = st.Text(1);
  t.plan_id = st.Text(2);
  t.plan_title = st.Text(3);
  t.external_key = st.OptText(4);
  t.title = st.Text(5);
  t.intent = st.OptText(6);
  t.feature_key = st.OptText(7);
  t.area = st.OptText(8);
  t.acceptance = st.OptText(9);
  t.status = ParseTaskStatus(st.Text(10)).value_or(TaskStatus::kTodo);
  t.priority = st.OptInt(11);
  t.risk = ParseRisk(st.Text(12)).value_or(Risk::kLow);
  t.estimate_mins = st.OptInt(13);
  t.change_type = st.OptText(14);
  t.suggested_changes = st.OptText(15);
  t.agent = st.OptText(16);
  t.claimed_by = st.OptText(17);
  t.claimed_at = OptTime(st, 18);
  t.lease_expires_at = OptTime(st, 19);
  t.started_at = OptTime(st, 20);
  t.ended_at = OptTime(st, 21);
  t.created_at = Time(st, 22);
  t.updated_at = Time(st, 23);
  if (!st.IsNull(24)) {
    std::string list = st.Text(24);
    for (size_t start = 0, comma; start <= list.size(); start = comma + 1) {
      comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      if (comma > start) t.blocked_by.push_back(list.substr(start, comma - start));
    }
  }
  t.tests = st.OptText(25);
  return t;
}

Status SqliteTxn::InsertTask(const Task& t) {
  TG_TRY(Touch(t.task_id));
  return InsertRow("tasks", kTaskColumns, TaskValues(t));
}

Status SqliteTxn::UpdateTask(const Task& t) {
  TG_TRY(Touch(t.task_id));
  TG_ASSIGN(Stmt st,
            db_.Prepare("UPDATE tasks SET hash_id=?2, plan_id=?3, external_key=?4, title=?5, "
                        "intent=?6, feature_key=?7, area=?8, acceptance=?9, status=?10, "
                        "priority=?11, risk=?12, estimate_mins=?13, change_type=?14, "
                        "suggested_changes=?15, agent=?16, claimed_by=?17, claimed_at=?18, "
                        "started_at=?19, ended_at=?20, created_at=?21, updated_at=?22, tests=?23 "
                        "WHERE task_id=?1"));
  auto values = TaskValues(t);  // ?1 … ?23: the columns in table order
  for (size_t i = 0; i < values.size(); ++i) BindValue(st, static_cast<int>(i) + 1, values[i]);
  return st.Run();
}

Result<std::optional<Task>> SqliteTxn::GetTask(std::string_view task_id) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM tasks t JOIN plans p ON "
                                             "p.plan_id = t.plan_id WHERE t.task_id = ?",
                                             TaskCols())));
  st.Bind(1, task_id);
  return OneTask(st);
}

Result<std::optional<TaskStatus>> SqliteTxn::GetTaskStatus(std::string_view task_id) {
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT status FROM tasks WHERE task_id = ?"));
  st.Bind(1, task_id);
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<TaskStatus>();
  return ParseTaskStatus(st.Text(0));
}

Status SqliteTxn::SetTaskStatus(std::string_view task_id, TaskStatus status) {
  TG_TRY(Touch(task_id));
  TG_ASSIGN(Stmt st,
            db_.Prepare("UPDATE tasks SET status = ?2, updated_at = ?3 WHERE task_id = ?1"));
  st.Bind(1, task_id).Bind(2, ToString(status)).Bind(3, FormatIso(now_));
  return st.Run();
}

Result<bool> SqliteTxn::ClaimTask(std::string_view task_id, std::string_view agent, bool force) {
  TG_TRY(Touch(task_id));
  TG_ASSIGN(Stmt st, db_.Prepare(force ? "UPDATE tasks SET status='doing', claimed_by=?2, "
                                         "claimed_at=?3, started_at=coalesce(started_at, ?3), "
                                         "updated_at=?3 WHERE task_id=?1 AND status IN "
                                         "('todo','doing')"
                                       : "UPDATE tasks SET status='doing', claimed_by=?2, "
                                         "claimed_at=?3, started_at=coalesce(started_at, ?3), "
                                         "updated_at=?3 WHERE task_id=?1 AND status='todo'"));
  st.Bind(1, task_id).Bind(2, agent).Bind(3, FormatIso(now_));
  TG_TRY(st.Run());
  return db_.Changes() == 1;
}

Result<std::vector<std::string>> SqliteTxn::TaskDocs(std::string_view task_id) {
  return Strings(db_, "SELECT doc FROM task_docs WHERE task_id = ? ORDER BY rowid", task_id);
}

Result<std::vector<std::string>> SqliteTxn::TaskSkills(std::string_view task_id) {
  return Strings(db_, "SELECT skill FROM task_skills WHERE task_id = ? ORDER BY rowid", task_id);
}

Status SqliteTxn::SetTaskDocs(std::string_view task_id, const std::vector<std::string>& docs) {
  TG_TRY(Touch(task_id));
  return SetStrings(db_, "SELECT doc FROM task_docs WHERE task_id = ? ORDER BY rowid",
                    "DELETE FROM task_docs WHERE task_id = ?",
                    "INSERT OR IGNORE INTO task_docs (task_id, doc) VALUES (?, ?)", task_id, docs);
}

Status SqliteTxn::SetTaskSkills(std::string_view task_id, const std::vector<std::string>& skills) {
  TG_TRY(Touch(task_id));
  return SetStrings(db_, "SELECT skill FROM task_skills WHERE task_id = ? ORDER BY rowid",
                    "DELETE FROM task_skills WHERE task_id = ?",
                    "INSERT OR IGNORE INTO task_skills (task_id, skill) VALUES (?, ?)", task_id,
                    skills);
}

Result<std::vector<Task>> SqliteTxn::ListTasks(const TaskFilter& f) {
  std::vector<std::string> args;
  std::string where = FilterSql(f, args);
  if (!f.include_canceled) where += " AND t.status != 'canceled'";
  if (f.active_only) where += " AND t.status IN ('todo','doing','blocked')";
  if (f.upcoming_only) where += " AND t.status IN ('todo','blocked')";
  std::string sql = fmt::format(
      "SELECT {} FROM tasks t JOIN plans p ON p.plan_id = t.plan_id WHERE 1{} "
      "ORDER BY p.title, p.created_at, t.created_at, t.rowid LIMIT {}",
      TaskCols(), where, f.limit);
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
  return Tasks(st);
}

Result<std::vector<Task>> SqliteTxn::PlanTasks(std::string_view plan_id) {
  TG_ASSIGN(Stmt st, db_.Prepare(fmt::format("SELECT {} FROM tasks t JOIN plans p ON "
                                             "p.plan_id = t.plan_id WHERE t.plan_id = ? "
                                             "ORDER BY t.created_at, t.rowid",
                                             TaskCols())));
  st.Bind(1, plan_id);
  return Tasks(st);
}

Result<std::vector<Task>> SqliteTxn::TasksWithStatus(TaskStatus status) {
  // Driven from the plans (CROSS JOIN fixes SQLite's join order): each plan's rows of one
  // status come from a seek in tasks_plan (plan_id, status). Joined the other way, SQLite
  // walked all of tasks_plan to find them: 70 M instructions at 100,000 tasks for `status`
  // and the dashboard's every redraw, which read the doing tasks.
  TG_ASSIGN(Stmt st,
            db_.Prepare(fmt::format("SELECT {} FROM plans p CROSS JOIN tasks t ON "
                                    "t.plan_id = p.plan_id WHERE t.status = ? "
                                    "ORDER BY t.claimed_at DESC, t.updated_at DESC, t.rowid DESC",
                                    TaskCols())));
  st.Bind(1, ToString(status));
  return Tasks(st);
}

Status SqliteTxn::SetLease(std::string_view task_id, Millis expires_at) {
  TG_TRY(RequireWrite());
  TG_ASSIGN(Stmt st, db_.Prepare("INSERT OR REPLACE INTO leases (task_id, expires_at, "
                                 "renewed_at) VALUES (?, ?, ?)"));
  st.Bind(1, task_id).Bind(2, FormatIso(expires_at)).Bind(3, FormatIso(now_));
  return st.Run();
}

Status SqliteTxn::DeleteLease(std::string_view task_id) {
  TG_TRY(RequireWrite());
  TG_ASSIGN(Stmt st, db_.Prepare("DELETE FROM leases WHERE task_id = ?"));
  st.Bind(1, task_id);
  return st.Run();
}

}  // namespace tg::store::sqlite
