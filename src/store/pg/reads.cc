// Reads of the PostgreSQL store: ids, plans, tasks, the runnable order, edges, events, gates
// and the aggregates. The SQL follows the SQLite store's statement for statement; where the
// two dialects differ (NULL order, text comparison, placeholders) the results are the same.
#include <fmt/format.h>

#include "core/ids.h"
#include "store/entity_tables.h"
#include "store/pg/rows.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

std::string PgUnmetBlockersSql(std::string_view task) {
  return fmt::format(
      "SELECT b.hash_id AS blocker, 0 AS k1, e.rowid AS k2 FROM edges e JOIN tasks b ON "
      "b.task_id = e.from_task_id WHERE e.to_task_id = {0} AND e.type = 'blocks' AND b.status "
      "NOT IN ('done', 'canceled') UNION ALL SELECT g.hash_id, 1, g.rowid FROM gates g WHERE "
      "g.task_id = {0} AND g.status = 'pending'",
      task);
}

const std::string& PgTaskCols() {
  static const std::string cols = fmt::format(
      "t.task_id, t.hash_id, t.plan_id, p.title, t.external_key, t.title, t.intent, "
      "t.feature_key, t.area, t.acceptance, t.status, t.priority, t.risk, t.estimate_mins, "
      "t.change_type, t.suggested_changes, t.agent, t.claimed_by, t.claimed_at, "
      "(SELECT expires_at FROM leases l WHERE l.task_id = t.task_id), t.started_at, t.ended_at, "
      "t.created_at, t.updated_at, CASE WHEN t.status IN ('doing', 'blocked') THEN (SELECT "
      "string_agg(u.blocker, ',' ORDER BY u.k1, u.k2) FROM ({}) u) END, t.tests",
      PgUnmetBlockersSql("t.task_id"));
  return cols;
}

std::string Arg(Params& params, Param value) {
  params.push_back(std::move(value));
  return fmt::format("${}", params.size());
}

std::string Lim(int n) { return n < 0 ? std::string("ALL") : std::to_string(n); }

Millis PgTime(const PgResult& r, int row, int col) {
  return ParseIso(r.Text(row, col)).value_or(0);
}

std::optional<Millis> PgOptTime(const PgResult& r, int row, int col) {
  if (r.Null(row, col)) return std::nullopt;
  return ParseIso(r.Text(row, col));
}

Param PgValue(const Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

std::optional<std::string> PgOptIso(const std::optional<Millis>& t) {
  if (!t) return std::nullopt;
  return FormatIso(*t);
}

Task PgReadTask(const PgResult& r, int i) {
  Task t;
  t.task_id = r.Text(i, 0);
  t.hash_id = r.Text(i, 1);
  t.plan_id = r.Text(i, 2);
  t.plan_title = r.Text(i, 3);
  t.external_key = r.OptText(i, 4);
  t.title = r.Text(i, 5);
  t.intent = r.OptText(i, 6);
  t.feature_key = r.OptText(i, 7);
  t.area = r.OptText(i, 8);
  t.acceptance = r.OptText(i, 9);
  t.status = ParseTaskStatus(r.Text(i, 10)).value_or(TaskStatus::kTodo);
  t.priority = r.OptInt(i, 11);
  t.risk = ParseRisk(r.Text(i, 12)).value_or(Risk::kLow);
  t.estimate_mins = r.OptInt(i, 13);
  t.change_type = r.OptText(i, 14);
  t.suggested_changes = r.OptText(i, 15);
  t.agent = r.OptText(i, 16);
  t.claimed_by = r.OptText(i, 17);
  t.claimed_at = PgOptTime(r, i, 18);
  t.lease_expires_at = PgOptTime(r, i, 19);
  t.started_at = PgOptTime(r, i, 20);
  t.ended_at = PgOptTime(r, i, 21);
  t.created_at = PgTime(r, i, 22);
  t.updated_at = PgTime(r, i, 23);
  if (!r.Null(i, 24)) {
    std::string list = r.Text(i, 24);
    for (size_t start = 0, comma; start <= list.size(); start = comma + 1) {
      comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      if (comma > start) t.blocked_by.push_back(list.substr(start, comma - start));
    }
  }
  t.tests = r.OptText(i, 25);
  return t;
}

Plan PgReadPlan(const PgResult& r, int i, int c) {
  Plan p;
  p.plan_id = r.Text(i, c + 0);
  p.hash_id = r.Text(i, c + 1);
  p.title = r.Text(i, c + 2);
  p.intent = r.Text(i, c + 3);
  p.status = ParsePlanStatus(r.Text(i, c + 4)).value_or(PlanStatus::kDraft);
  p.priority = r.OptInt(i, c + 5);
  p.source_path = r.OptText(i, c + 6);
  p.overview = r.OptText(i, c + 7);
  p.file_tree = r.OptText(i, c + 8);
  p.risks = r.OptText(i, c + 9);
  p.tests = r.OptText(i, c + 10);
  p.created_at = PgTime(r, i, c + 11);
  p.updated_at = PgTime(r, i, c + 12);
  return p;
}

namespace {

Result<std::vector<IdMatch>> PgMatches(PgConn& c, const std::string& sql, const Params& params) {
  TG_ASSIGN(auto r, c.Query(sql, params));
  std::vector<IdMatch> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2)});
  return out;
}

std::string PgLabelFilter(const TaskFilter& f, Params& params) {
  std::string w;
  if (f.doc) {
    w += " AND EXISTS (SELECT 1 FROM task_docs d WHERE d.task_id = t.task_id AND d.doc = " +
         Arg(params, *f.doc) + ")";
  }
  if (f.skill) {
    w += " AND EXISTS (SELECT 1 FROM task_skills s WHERE s.task_id = t.task_id AND s.skill = " +
         Arg(params, *f.skill) + ")";
  }
  if (f.change_type) w += " AND t.change_type = " + Arg(params, *f.change_type);
  return w;
}

std::string PgPlanWhere(const TaskFilter& f) {
  return f.include_abandoned ? "p.status != 'done'" : "p.status NOT IN ('done', 'abandoned')";
}

Result<std::vector<Related>> PgRelated(PgConn& c, const char* sql, std::string_view id) {
  TG_ASSIGN(auto r, c.Query(sql, {P(id)}));
  std::vector<Related> out;
  for (int i = 0; i < r.Rows(); ++i) {
    Related x;
    x.task_id = r.Text(i, 0);
    x.hash_id = r.Text(i, 1);
    x.title = r.Text(i, 2);
    x.status = ParseTaskStatus(r.Text(i, 3)).value_or(TaskStatus::kTodo);
    x.type = ParseEdgeType(r.Text(i, 4)).value_or(EdgeType::kBlocks);
    x.reason = r.OptText(i, 5);
    out.push_back(std::move(x));
  }
  return out;
}

Result<std::vector<std::string>> PgTexts(PgConn& c, const std::string& sql, const Params& p) {
  TG_ASSIGN(auto r, c.Query(sql, p));
  std::vector<std::string> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

constexpr const char* kPgGateCols =
    "gate_id, hash_id, name, gate_type, status, task_id, created_at, resolved_at, resolved_by, "
    "reason";

Gate PgReadGate(const PgResult& r, int i) {
  Gate g;
  g.gate_id = r.Text(i, 0);
  g.hash_id = r.Text(i, 1);
  g.name = r.Text(i, 2);
  g.gate_type = ParseGateType(r.Text(i, 3)).value_or(GateType::kHuman);
  g.status = ParseGateStatus(r.Text(i, 4)).value_or(GateStatus::kPending);
  g.task_id = r.Text(i, 5);
  g.created_at = PgTime(r, i, 6);
  g.resolved_at = PgOptTime(r, i, 7);
  g.resolved_by = r.OptText(i, 8);
  g.reason = r.OptText(i, 9);
  return g;
}

const std::string kTasksJoin = " FROM tasks t JOIN plans p ON p.plan_id = t.plan_id ";

}  // namespace

Result<std::vector<Task>> PgTxn::Tasks(const std::string& sql, const Params& params) {
  TG_ASSIGN(auto r, c_.Query(sql, params));
  std::vector<Task> out;
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back(PgReadTask(r, i));
    out.back().lease_expired = out.back().LeaseExpired(now_);
  }
  return out;
}

Result<std::optional<Task>> PgTxn::OneTask(const std::string& sql, const Params& params) {
  TG_ASSIGN(auto tasks, Tasks(sql, params));
  if (tasks.empty()) return std::optional<Task>();
  return std::optional<Task>(std::move(tasks.front()));
}

// ---- identity ----

Result<std::vector<IdMatch>> PgTxn::MatchIds(Entity entity, std::string_view input, int limit) {
  EntityTable e = TableFor(entity);
  IdQuery q = ParseIdQuery(input);
  std::string cols =
      fmt::format("SELECT {0}, hash_id, {1} FROM {2} WHERE ", e.id_col, e.title_col, e.table);
  if (!q.uuid.empty()) {
    TG_ASSIGN(auto m, PgMatches(c_, cols + e.id_col + " = $1", {P(q.uuid)}));
    if (!m.empty()) return m;
  }
  TG_ASSIGN(auto exact, PgMatches(c_, cols + "hash_id = $1", {P(q.exact)}));
  if (!exact.empty()) return exact;
  if (q.hex_prefix.empty()) return std::vector<IdMatch>{};
  std::string sql = fmt::format(
      "{0} starts_with(hash_id, $1) UNION {0} starts_with({1}, $2) ORDER BY 2 LIMIT {2}", cols,
      e.id_col, limit);
  return PgMatches(c_, sql,
                   {P(std::string(e.prefix) + q.hex_prefix), P(DashUuidPrefix(q.hex_prefix))});
}

Result<std::vector<IdMatch>> PgTxn::MatchPlanTitle(std::string_view title, int limit) {
  std::string base = "SELECT plan_id, hash_id, title FROM plans WHERE ";
  TG_ASSIGN(auto exact, PgMatches(c_,
                                  base + fmt::format("title = $1 ORDER BY created_at, rowid "
                                                     "LIMIT {}",
                                                     limit),
                                  {P(title)}));
  if (!exact.empty()) return exact;
  // ASCII case folding, as SQLite's NOCASE: lower() under the "C" collation.
  return PgMatches(c_,
                   base + fmt::format("lower(title) = lower($1 COLLATE \"C\") ORDER BY "
                                      "created_at, rowid LIMIT {}",
                                      limit),
                   {P(title)});
}

Result<std::vector<IdMatch>> PgTxn::IdsByPrefix(Entity entity, std::string_view prefix, int limit) {
  if (prefix.find_first_of("*?[]") != std::string_view::npos) return std::vector<IdMatch>{};
  EntityTable e = TableFor(entity);
  std::string pattern(prefix);
  bool bare = !prefix.starts_with(e.prefix) && !std::string_view(e.prefix).starts_with(prefix);
  std::string id_pattern = bare ? std::string(e.prefix) + pattern : pattern;
  if (entity != Entity::kPlan) {
    return PgMatches(c_,
                     fmt::format("SELECT {}, hash_id, {} FROM {} WHERE starts_with(hash_id, $1) "
                                 "ORDER BY 2 LIMIT {}",
                                 e.id_col, e.title_col, e.table, limit),
                     {P(id_pattern)});
  }
  return PgMatches(c_,
                   fmt::format("SELECT plan_id, hash_id, title FROM plans WHERE status != "
                               "'abandoned' AND (starts_with(hash_id, $1) OR starts_with(title, "
                               "$2)) ORDER BY title LIMIT {}",
                               limit),
                   {P(id_pattern), P(pattern)});
}

Result<std::string> PgTxn::AllocateShortId(Entity entity, std::string_view uuid) {
  TG_TRY(RequireWrite());
  EntityTable e = TableFor(entity);
  std::string sql = fmt::format("SELECT 1 FROM {} WHERE hash_id = $1", e.table);
  for (size_t digits = 6; digits <= 32; ++digits) {
    std::string id = ShortId(e.prefix, uuid, digits);
    TG_ASSIGN(auto r, c_.Query(sql, {P(id)}));
    if (r.Rows() == 0) return id;
  }
  return Fail(Code::kInternal, fmt::format("no free short id for {}", uuid));
}

// ---- plans ----

Result<std::optional<Plan>> PgTxn::GetPlan(std::string_view plan_id) {
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM plans WHERE plan_id = $1", kPgPlanCols),
                             {P(plan_id)}));
  if (r.Rows() == 0) return std::optional<Plan>();
  return std::optional<Plan>(PgReadPlan(r, 0));
}

Result<std::vector<Plan>> PgTxn::ListPlans(const PlanListFilter& f) {
  std::string where = f.only_abandoned      ? "WHERE status = 'abandoned'"
                      : f.include_abandoned ? ""
                                            : "WHERE status != 'abandoned'";
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM plans {} ORDER BY created_at DESC, "
                                         "rowid DESC",
                                         kPgPlanCols, where)));
  std::vector<Plan> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(PgReadPlan(r, i));
  return out;
}

Result<PlanProgress> PgTxn::GetPlanProgress(std::string_view plan_id) {
  TG_ASSIGN(auto r, c_.Query("SELECT EXISTS (SELECT 1 FROM tasks WHERE plan_id = $1 AND status "
                             "IN ('todo', 'doing', 'blocked')), EXISTS (SELECT 1 FROM tasks "
                             "WHERE plan_id = $1 AND status IN ('doing', 'done')), EXISTS "
                             "(SELECT 1 FROM tasks WHERE plan_id = $1 AND status = 'done')",
                             {P(plan_id)}));
  if (r.Rows() == 0) return PlanProgress{};
  return PlanProgress{r.Text(0, 0) == "t", r.Text(0, 1) == "t", r.Text(0, 2) == "t"};
}

Result<std::optional<Plan>> PgTxn::FindPlanBySource(std::string_view source_path) {
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM plans WHERE source_path = $1 AND status "
                                         "!= 'abandoned' ORDER BY created_at DESC LIMIT 1",
                                         kPgPlanCols),
                             {P(source_path)}));
  if (r.Rows() == 0) return std::optional<Plan>();
  return std::optional<Plan>(PgReadPlan(r, 0));
}

Result<std::vector<PlanCounts>> PgTxn::PlansWithCounts(const PlanListFilter& f,
                                                       const std::optional<std::string>& plan_id) {
  std::string where = f.only_abandoned      ? " AND p.status = 'abandoned'"
                      : f.include_abandoned ? ""
                                            : " AND p.status != 'abandoned'";
  Params params;
  if (plan_id) where += " AND p.plan_id = " + Arg(params, *plan_id);
  std::string cols;
  for (const char* c :
       {"plan_id", "hash_id", "title", "intent", "status", "priority", "source_path", "overview",
        "file_tree", "risks", "tests", "created_at", "updated_at"}) {
    cols += (cols.empty() ? "p." : ", p.") + std::string(c);
  }
  std::string sql = fmt::format(
      "SELECT {}, count(*) FILTER (WHERE t.status = 'todo'), count(*) FILTER (WHERE t.status = "
      "'doing'), count(*) FILTER (WHERE t.status = 'blocked'), count(*) FILTER (WHERE t.status = "
      "'done'), count(*) FILTER (WHERE t.status = 'canceled') FROM plans p LEFT JOIN tasks t ON "
      "t.plan_id = p.plan_id WHERE true{} GROUP BY p.plan_id ORDER BY p.created_at, p.rowid",
      cols, where);
  TG_ASSIGN(auto r, c_.Query(sql, params));
  std::vector<PlanCounts> out;
  for (int i = 0; i < r.Rows(); ++i) {
    PlanCounts pc{PgReadPlan(r, i), {}};
    pc.counts.todo = static_cast<int>(r.Int(i, 13));
    pc.counts.doing = static_cast<int>(r.Int(i, 14));
    pc.counts.blocked = static_cast<int>(r.Int(i, 15));
    pc.counts.done = static_cast<int>(r.Int(i, 16));
    pc.counts.canceled = static_cast<int>(r.Int(i, 17));
    out.push_back(std::move(pc));
  }
  return out;
}

Result<Totals> PgTxn::GraphTotals() {
  TG_ASSIGN(auto r,
            c_.Query("SELECT (SELECT count(*) FROM plans WHERE status = 'done'), "
                     "(SELECT count(*) FROM tasks WHERE status = 'done'), "
                     "(SELECT count(*) FROM tasks WHERE status = 'canceled'), "
                     "(SELECT count(*) FROM events WHERE kind = 'done'), "
                     "(SELECT count(DISTINCT agent) FROM events WHERE kind = 'started'), "
                     "(SELECT coalesce(sum(extract(epoch FROM (ended_at::timestamptz - "
                     "started_at::timestamptz))), 0)::float8 / 3600 FROM tasks WHERE status = "
                     "'done' AND started_at IS NOT NULL), "
                     "(SELECT count(*) FROM events WHERE kind = 'done' AND agent = "
                     "'investigator')"));
  Totals t;
  if (r.Rows() == 0) return t;
  t.done_plans = static_cast<int>(r.Int(0, 0));
  t.done_tasks = static_cast<int>(r.Int(0, 1));
  t.canceled_tasks = static_cast<int>(r.Int(0, 2));
  t.done_events = static_cast<int>(r.Int(0, 3));
  t.agents = static_cast<int>(r.Int(0, 4));
  t.agent_hours = r.Real(0, 5);
  t.investigator_runs = static_cast<int>(r.Int(0, 6));
  return t;
}

Result<std::vector<Task>> PgTxn::RecentlyDone(int limit, const TaskFilter& f) {
  Params params;
  std::string plan = f.plan_id ? " AND t.plan_id = " + Arg(params, *f.plan_id) : "";
  return Tasks(
      fmt::format("SELECT {}{}WHERE t.status = 'done'{}{} ORDER BY t.ended_at DESC "
                  "NULLS LAST, t.updated_at DESC, t.rowid DESC LIMIT {}",
                  PgTaskCols(), kTasksJoin,
                  f.include_abandoned ? "" : " AND p.status != 'abandoned'", plan, Lim(limit)),
      params);
}

// ---- tasks ----

Result<std::optional<Task>> PgTxn::GetTask(std::string_view task_id) {
  return OneTask(fmt::format("SELECT {}{}WHERE t.task_id = $1", PgTaskCols(), kTasksJoin),
                 {P(task_id)});
}

Result<std::optional<TaskStatus>> PgTxn::GetTaskStatus(std::string_view task_id) {
  TG_ASSIGN(auto r, c_.Query("SELECT status FROM tasks WHERE task_id = $1", {P(task_id)}));
  if (r.Rows() == 0) return std::optional<TaskStatus>();
  return ParseTaskStatus(r.Text(0, 0));
}

Result<std::vector<std::string>> PgTxn::TaskDocs(std::string_view task_id) {
  return PgTexts(c_, "SELECT doc FROM task_docs WHERE task_id = $1 ORDER BY rowid", {P(task_id)});
}

Result<std::vector<std::string>> PgTxn::TaskSkills(std::string_view task_id) {
  return PgTexts(c_, "SELECT skill FROM task_skills WHERE task_id = $1 ORDER BY rowid",
                 {P(task_id)});
}

Result<std::vector<Task>> PgTxn::ListTasks(const TaskFilter& f) {
  Params params;
  std::string where;
  if (f.plan_id) where += " AND t.plan_id = " + Arg(params, *f.plan_id);
  if (!f.include_abandoned) where += " AND p.status != 'abandoned'";
  where += PgLabelFilter(f, params);
  if (!f.include_canceled) where += " AND t.status != 'canceled'";
  if (f.active_only) where += " AND t.status IN ('todo','doing','blocked')";
  if (f.upcoming_only) where += " AND t.status IN ('todo','blocked')";
  return Tasks(fmt::format("SELECT {}{}WHERE true{} ORDER BY p.title, p.created_at, "
                           "t.created_at, t.rowid LIMIT {}",
                           PgTaskCols(), kTasksJoin, where, Lim(f.limit)),
               params);
}

Result<std::vector<Task>> PgTxn::PlanTasks(std::string_view plan_id) {
  return Tasks(fmt::format("SELECT {}{}WHERE t.plan_id = $1 ORDER BY t.created_at, t.rowid",
                           PgTaskCols(), kTasksJoin),
               {P(plan_id)});
}

Result<std::vector<Task>> PgTxn::TasksWithStatus(TaskStatus status) {
  return Tasks(fmt::format("SELECT {}{}WHERE t.status = $1 ORDER BY t.claimed_at DESC NULLS "
                           "LAST, t.updated_at DESC, t.rowid DESC",
                           PgTaskCols(), kTasksJoin),
               {P(ToString(status))});
}

Result<std::vector<Task>> PgTxn::NextTasks(const TaskFilter& f) {
  Params params;
  std::string where = PgPlanWhere(f);
  if (f.plan_id) where += " AND t.plan_id = " + Arg(params, *f.plan_id);
  where += PgLabelFilter(f, params);
  std::string runnable = "t.status = 'todo'";
  if (f.include_expired) {
    runnable = fmt::format(
        "(t.status = 'todo' OR (t.status = 'doing' AND EXISTS (SELECT 1 FROM leases l WHERE "
        "l.task_id = t.task_id AND l.expires_at <= {}) AND NOT EXISTS ({})))",
        Arg(params, FormatIso(now_)), PgUnmetBlockersSql("t.task_id"));
  }
  return Tasks(fmt::format("SELECT {}{}WHERE {} AND {} ORDER BY p.priority IS NULL, p.priority, "
                           "t.priority IS NULL, t.priority, CASE t.risk WHEN 'low' THEN 0 WHEN "
                           "'medium' THEN 1 ELSE 2 END, t.estimate_mins IS NULL, "
                           "t.estimate_mins, t.created_at, t.rowid LIMIT {}",
                           PgTaskCols(), kTasksJoin, where, runnable, Lim(f.limit)),
               params);
}

Result<std::optional<Millis>> PgTxn::NextLeaseExpiry(const TaskFilter& f) {
  Params params;
  std::string now = Arg(params, FormatIso(now_));
  std::string where = PgPlanWhere(f);
  if (f.plan_id) where += " AND t.plan_id = " + Arg(params, *f.plan_id);
  where += PgLabelFilter(f, params);
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT min(l.expires_at) FROM leases l JOIN tasks t ON "
                                         "t.task_id = l.task_id JOIN plans p ON p.plan_id = "
                                         "t.plan_id WHERE l.expires_at > {} AND t.status = "
                                         "'doing' AND {}",
                                         now, where),
                             params));
  if (r.Rows() == 0 || r.Null(0, 0)) return std::optional<Millis>();
  return ParseIso(r.Text(0, 0));
}

Result<std::vector<Task>> PgTxn::AllTasks() {
  return Tasks(fmt::format("SELECT {}{}ORDER BY p.created_at, p.rowid, t.created_at, t.rowid",
                           PgTaskCols(), kTasksJoin),
               {});
}

Result<std::map<std::string, std::vector<std::string>>> PgTxn::LabelsByTask(
    const std::optional<std::string>& plan_id, bool skills) {
  std::string sql = fmt::format(
      "SELECT l.task_id, l.{0} FROM {1} l JOIN tasks t ON t.task_id = l.task_id WHERE $1::text "
      "IS NULL OR t.plan_id = $1::text ORDER BY l.rowid",
      skills ? "skill" : "doc", skills ? "task_skills" : "task_docs");
  TG_ASSIGN(auto r, c_.Query(sql, {P(plan_id)}));
  std::map<std::string, std::vector<std::string>> out;
  for (int i = 0; i < r.Rows(); ++i) out[r.Text(i, 0)].push_back(r.Text(i, 1));
  return out;
}

// ---- edges ----

Result<std::vector<Edge>> PgTxn::ListEdges(const std::optional<std::string>& plan_id) {
  TG_ASSIGN(auto r, c_.Query("SELECT e.from_task_id, e.to_task_id, e.type, e.reason, "
                             "e.created_at FROM edges e JOIN tasks a ON a.task_id = "
                             "e.from_task_id JOIN tasks b ON b.task_id = e.to_task_id WHERE "
                             "$1::text IS NULL OR (a.plan_id = $1::text AND b.plan_id = "
                             "$1::text) ORDER BY a.created_at, a.rowid, b.created_at, b.rowid",
                             {P(plan_id)}));
  std::vector<Edge> out;
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back(Edge{r.Text(i, 0), r.Text(i, 1),
                       ParseEdgeType(r.Text(i, 2)).value_or(EdgeType::kBlocks), r.OptText(i, 3),
                       PgTime(r, i, 4)});
  }
  return out;
}

Result<bool> PgTxn::EdgeExists(std::string_view from, std::string_view to, EdgeType type) {
  TG_ASSIGN(auto r, c_.Query("SELECT 1 FROM edges WHERE from_task_id = $1 AND to_task_id = $2 "
                             "AND type = $3",
                             {P(from), P(to), P(ToString(type))}));
  return r.Rows() > 0;
}

Result<std::vector<Related>> PgTxn::Blockers(std::string_view task_id) {
  return PgRelated(c_,
                   "SELECT t.task_id, t.hash_id, t.title, t.status, e.type, e.reason FROM edges e "
                   "JOIN tasks t ON t.task_id = e.from_task_id WHERE e.to_task_id = $1 AND "
                   "e.type = 'blocks' ORDER BY e.created_at, t.created_at, e.rowid",
                   task_id);
}

Result<std::vector<Related>> PgTxn::Dependents(std::string_view task_id) {
  return PgRelated(c_,
                   "SELECT t.task_id, t.hash_id, t.title, t.status, e.type, e.reason FROM edges e "
                   "JOIN tasks t ON t.task_id = e.to_task_id WHERE e.from_task_id = $1 ORDER BY "
                   "e.created_at, t.created_at, e.rowid",
                   task_id);
}

Result<std::vector<Related>> PgTxn::RelatedFrom(std::string_view task_id) {
  return PgRelated(c_,
                   "SELECT t.task_id, t.hash_id, t.title, t.status, e.type, e.reason FROM edges e "
                   "JOIN tasks t ON t.task_id = e.from_task_id WHERE e.to_task_id = $1 AND "
                   "e.type = 'relates' ORDER BY e.created_at, t.created_at, e.rowid",
                   task_id);
}

Result<std::vector<std::string>> PgTxn::BlocksSuccessors(std::string_view task_id) {
  return PgTexts(c_,
                 "SELECT to_task_id FROM edges WHERE from_task_id = $1 AND type = 'blocks' ORDER "
                 "BY to_task_id",
                 {P(task_id)});
}

Result<int> PgTxn::UnmetBlockerCount(std::string_view task_id) {
  static const std::string sql =
      fmt::format("SELECT count(*) FROM ({}) u", PgUnmetBlockersSql("$1"));
  TG_ASSIGN(auto r, c_.Query(sql, {P(task_id)}));
  return r.Rows() ? static_cast<int>(r.Int(0, 0)) : 0;
}

// ---- events and gates ----

Result<std::vector<Event>> PgTxn::TaskEvents(std::string_view task_id, int limit,
                                             std::optional<std::string> kind) {
  Params params{P(task_id)};
  std::string k = kind ? " AND kind = " + Arg(params, *kind) : "";
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT event_id, task_id, kind, body, agent, created_at "
                                         "FROM events WHERE task_id = $1{} ORDER BY created_at "
                                         "DESC, rowid DESC LIMIT {}",
                                         k, Lim(limit)),
                             params));
  std::vector<Event> out;
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back(Event{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4),
                        PgTime(r, i, 5)});
  }
  return out;
}

Result<std::optional<Gate>> PgTxn::GetGate(std::string_view gate_id) {
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM gates WHERE gate_id = $1", kPgGateCols),
                             {P(gate_id)}));
  if (r.Rows() == 0) return std::optional<Gate>();
  return std::optional<Gate>(PgReadGate(r, 0));
}

Result<std::vector<Gate>> PgTxn::ListGates(bool pending_only, std::optional<std::string> task_id) {
  Params params;
  std::string where = pending_only ? " AND status = 'pending'" : "";
  if (task_id) where += " AND task_id = " + Arg(params, *task_id);
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM gates WHERE true{} ORDER BY created_at "
                                         "DESC, rowid DESC",
                                         kPgGateCols, where),
                             params));
  std::vector<Gate> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(PgReadGate(r, i));
  return out;
}

}  // namespace tg::store::pg
