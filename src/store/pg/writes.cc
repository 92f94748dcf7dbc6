// Writes of the PostgreSQL store. Each is one statement; the history trigger records it. The
// claim is a conditional UPDATE: under READ COMMITTED a second claimant waits for the first
// one's row lock, then re-checks `status = 'todo'` on the committed row and changes nothing.
#include <fmt/format.h>

#include "store/entity_rows.h"
#include "store/pg/rows.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

namespace {

Params TaskParams(const Task& t) {
  Params out;
  for (const Value& v : TaskValues(t)) out.push_back(PgValue(v));
  return out;
}

Params PlanParams(const Plan& p) {
  return {P(p.plan_id),
          P(p.hash_id),
          P(p.title),
          P(p.intent),
          P(ToString(p.status)),
          P(p.priority),
          P(p.source_path),
          P(p.overview),
          P(p.file_tree),
          P(p.risks),
          P(p.tests),
          P(FormatIso(p.created_at)),
          P(FormatIso(p.updated_at))};
}

Params GateParams(const Gate& g) {
  return {P(g.gate_id),
          P(g.hash_id),
          P(g.name),
          P(ToString(g.gate_type)),
          P(ToString(g.status)),
          P(g.task_id),
          P(FormatIso(g.created_at)),
          P(PgOptIso(g.resolved_at)),
          P(g.resolved_by),
          P(g.reason)};
}

Status SetLabels(PgConn& c, const char* table, const char* col, std::string_view id,
                 const std::vector<std::string>& values) {
  TG_ASSIGN(auto r,
            c.Query(fmt::format("SELECT {} FROM {} WHERE task_id = $1 ORDER BY rowid", col, table),
                    {P(id)}));
  std::vector<std::string> current;
  for (int i = 0; i < r.Rows(); ++i) current.push_back(r.Text(i, 0));
  if (current == values) return Ok();
  TG_TRY(c.Exec(fmt::format("DELETE FROM {} WHERE task_id = $1", table), {P(id)}));
  for (const auto& v : values) {
    TG_TRY(c.Exec(fmt::format("INSERT INTO {} (task_id, {}) VALUES ($1, $2) ON CONFLICT DO "
                              "NOTHING",
                              table, col),
                  {P(id), P(v)}));
  }
  return Ok();
}

}  // namespace

Status PgTxn::RequireWrite() const {
  if (write_ && open_) return Ok();
  return Fail(Code::kInternal, "a write was attempted in a read transaction");
}

Status PgTxn::Touch(std::string_view task) {
  TG_TRY(RequireWrite());
  if (task == last_touched_) return Ok();
  last_touched_ = task;
  touched_.emplace(task);
  return Ok();
}

Status PgTxn::InsertPlan(const Plan& p) {
  TG_TRY(RequireWrite());
  return c_.Exec(fmt::format("INSERT INTO plans ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                             "$10, $11, $12, $13)",
                             kPgPlanCols),
                 PlanParams(p));
}

Status PgTxn::UpdatePlan(const Plan& p) {
  TG_TRY(RequireWrite());
  return c_.Exec(
      "UPDATE plans SET hash_id=$2, title=$3, intent=$4, status=$5, priority=$6, "
      "source_path=$7, overview=$8, file_tree=$9, risks=$10, tests=$11, "
      "created_at=$12, updated_at=$13 WHERE plan_id=$1",
      PlanParams(p));
}

Status PgTxn::InsertTask(const Task& t) {
  TG_TRY(Touch(t.task_id));
  return c_.Exec(fmt::format("INSERT INTO tasks ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                             "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
                             "$22, $23)",
                             kTaskColumns),
                 TaskParams(t));
}

Status PgTxn::UpdateTask(const Task& t) {
  TG_TRY(Touch(t.task_id));
  return c_.Exec(
      "UPDATE tasks SET hash_id=$2, plan_id=$3, external_key=$4, title=$5, "
      "intent=$6, feature_key=$7, area=$8, acceptance=$9, status=$10, priority=$11, "
      "risk=$12, estimate_mins=$13, change_type=$14, suggested_changes=$15, "
      "agent=$16, claimed_by=$17, claimed_at=$18, started_at=$19, ended_at=$20, "
      "created_at=$21, updated_at=$22, tests=$23 WHERE task_id=$1",
      TaskParams(t));
}

Status PgTxn::SetTaskStatus(std::string_view task_id, TaskStatus status) {
  TG_TRY(Touch(task_id));
  return c_.Exec("UPDATE tasks SET status = $2, updated_at = $3 WHERE task_id = $1",
                 {P(task_id), P(ToString(status)), P(FormatIso(now_))});
}

Result<bool> PgTxn::ClaimTask(std::string_view task_id, std::string_view agent, bool force) {
  TG_TRY(Touch(task_id));
  TG_ASSIGN(auto r, c_.Query(fmt::format("UPDATE tasks SET status='doing', claimed_by=$2, "
                                         "claimed_at=$3, started_at=coalesce(started_at, $3), "
                                         "updated_at=$3 WHERE task_id=$1 AND {}",
                                         force ? "status IN ('todo','doing')" : "status='todo'"),
                             {P(task_id), P(agent), P(FormatIso(now_))}));
  return r.Affected() == 1;
}

Status PgTxn::SetTaskDocs(std::string_view task_id, const std::vector<std::string>& docs) {
  TG_TRY(Touch(task_id));
  return SetLabels(c_, "task_docs", "doc", task_id, docs);
}

Status PgTxn::SetTaskSkills(std::string_view task_id, const std::vector<std::string>& skills) {
  TG_TRY(Touch(task_id));
  return SetLabels(c_, "task_skills", "skill", task_id, skills);
}

Status PgTxn::SetLease(std::string_view task_id, Millis expires_at) {
  TG_TRY(RequireWrite());
  return c_.Exec(
      "INSERT INTO leases (task_id, expires_at, renewed_at) VALUES ($1, $2, $3) ON CONFLICT "
      "(task_id) DO UPDATE SET expires_at = EXCLUDED.expires_at, renewed_at = "
      "EXCLUDED.renewed_at",
      {P(task_id), P(FormatIso(expires_at)), P(FormatIso(now_))});
}

Status PgTxn::DeleteLease(std::string_view task_id) {
  TG_TRY(RequireWrite());
  return c_.Exec("DELETE FROM leases WHERE task_id = $1", {P(task_id)});
}

Status PgTxn::InsertEdge(const Edge& e) {
  TG_TRY(Touch(e.from_task_id));
  TG_TRY(Touch(e.to_task_id));
  return c_.Exec(
      "INSERT INTO edges (from_task_id, to_task_id, type, reason, created_at) VALUES "
      "($1, $2, $3, $4, $5)",
      {P(e.from_task_id), P(e.to_task_id), P(ToString(e.type)), P(e.reason),
       P(FormatIso(e.created_at))});
}

Result<bool> PgTxn::DeleteEdge(std::string_view from, std::string_view to, EdgeType type) {
  TG_TRY(Touch(from));
  TG_TRY(Touch(to));
  TG_ASSIGN(auto r, c_.Query("DELETE FROM edges WHERE from_task_id = $1 AND to_task_id = $2 AND "
                             "type = $3",
                             {P(from), P(to), P(ToString(type))}));
  return r.Affected() > 0;
}

Status PgTxn::InsertEvent(const Event& e) {
  TG_TRY(Touch(e.task_id));
  return c_.Exec(
      "INSERT INTO events (event_id, task_id, kind, body, agent, created_at) VALUES "
      "($1, $2, $3, $4, $5, $6)",
      {P(e.event_id), P(e.task_id), P(e.kind), P(e.body), P(e.agent), P(FormatIso(e.created_at))});
}

Status PgTxn::InsertGate(const Gate& g) {
  TG_TRY(Touch(g.task_id));
  return c_.Exec(
      "INSERT INTO gates (gate_id, hash_id, name, gate_type, status, task_id, "
      "created_at, resolved_at, resolved_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10)",
      GateParams(g));
}

Status PgTxn::UpdateGate(const Gate& g) {
  TG_TRY(Touch(g.task_id));
  return c_.Exec(
      "UPDATE gates SET hash_id=$2, name=$3, gate_type=$4, status=$5, task_id=$6, "
      "created_at=$7, resolved_at=$8, resolved_by=$9, reason=$10 WHERE gate_id=$1",
      GateParams(g));
}

}  // namespace tg::store::pg
