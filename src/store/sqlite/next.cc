// The runnable order (contract section 3) at a cost that does not grow with the graph: plan
// priority, task priority (unset last), risk, estimate (unset last), creation, then id.
//
// The plan's priority lives in another table, so no single index can give the whole order, and
// sorting every runnable task made `next` read all of them (25,000 rows on a 100,000-task
// graph). Instead, plans are taken in priority order, one group of equal priority at a time;
// each plan's runnable tasks come out of tasks_runnable already in order, at most `limit` of
// them; the group's candidates (and expired claims of those plans) are merged; and the walk
// stops once `limit` tasks are found. Only the rows returned are then read in full.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "store/sqlite/rows.h"
#include "store/sqlite/txn.h"

namespace tg::store::sqlite {

namespace {

// Unset priorities and estimates sort last: (1, 0) after every (0, n).
using Opt = std::tuple<int, int64_t>;
Opt Key(const Stmt& st, int col) { return st.IsNull(col) ? Opt{1, 0} : Opt{0, st.Int(col)}; }

// A candidate's place within its plan-priority group, and its row.
struct Candidate {
  std::tuple<Opt, int64_t, Opt, std::string, int64_t> key;  // priority, risk, estimate, created
  int64_t rowid() const { return std::get<4>(key); }
};

// The columns both candidate queries select, in this order.
constexpr const char* kKeyCols =
    "t.priority, CASE t.risk WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, t.estimate_mins, "
    "t.created_at, t.rowid";

Candidate ReadCandidate(const Stmt& st, int first) {
  return Candidate{{Key(st, first), st.Int(first + 1), Key(st, first + 2), st.Text(first + 3),
                    st.Int(first + 4)}};
}

// Plans that can hold runnable work: a done plan has no open task, an abandoned one is skipped
// unless asked for.
std::string PlanWhere(const TaskFilter& f) {
  return f.include_abandoned ? "p.status != 'done'" : "p.status NOT IN ('done', 'abandoned')";
}

}  // namespace

Result<std::vector<Task>> SqliteTxn::NextTasks(const TaskFilter& f) {
  const int limit = f.limit < 0 ? -1 : f.limit;
  std::vector<std::string> label_args;
  const std::string labels = LabelFilterSql(f, label_args);

  // Expired claims, by plan: few (a lease is live for hours), read through leases_expiry.
  std::map<std::string, std::vector<Candidate>> expired;
  if (f.include_expired) {
    std::vector<std::string> args{FormatIso(now_)};
    std::string sql = fmt::format(
        "SELECT t.plan_id, {} FROM leases l JOIN tasks t ON t.task_id = l.task_id JOIN plans p ON "
        "p.plan_id = t.plan_id WHERE l.expires_at <= ? AND t.status = 'doing' AND {}{}{} AND NOT "
        "EXISTS ({})",
        kKeyCols, PlanWhere(f), f.plan_id ? " AND t.plan_id = ?" : "", labels,
        UnmetBlockersSql("t.task_id"));
    if (f.plan_id) args.push_back(*f.plan_id);
    args.insert(args.end(), label_args.begin(), label_args.end());
    TG_ASSIGN(Stmt st, db_.Prepare(sql));
    for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
    for (;;) {
      TG_ASSIGN(bool row, st.Step());
      if (!row) break;
      expired[st.Text(0)].push_back(ReadCandidate(st, 1));
    }
  }

  struct PlanRef {
    std::string id;
    Opt priority;
  };
  std::vector<PlanRef> plans;
  {
    TG_ASSIGN(Stmt st,
              db_.Prepare(fmt::format("SELECT p.plan_id, p.priority FROM plans p WHERE {}{} "
                                      "ORDER BY p.priority IS NULL, p.priority",
                                      PlanWhere(f), f.plan_id ? " AND p.plan_id = ?" : "")));
    if (f.plan_id) st.Bind(1, *f.plan_id);
    for (;;) {
      TG_ASSIGN(bool row, st.Step());
      if (!row) break;
      plans.push_back({st.Text(0), Key(st, 1)});
    }
  }

  const std::string runnable_sql = fmt::format(
      "SELECT {0} FROM tasks t INDEXED BY tasks_runnable WHERE t.plan_id = ? AND t.status = "
      "'todo'{1} ORDER BY t.priority IS NULL, t.priority, CASE t.risk WHEN 'low' THEN 0 WHEN "
      "'medium' THEN 1 ELSE 2 END, t.estimate_mins IS NULL, t.estimate_mins, t.created_at, "
      "t.rowid LIMIT {2}",
      kKeyCols, labels, limit);
  std::vector<int64_t> rowids;
  for (size_t g = 0; g < plans.size() && (limit < 0 || rowids.size() < size_t(limit));) {
    std::vector<Candidate> group;
    size_t end = g;
    for (; end < plans.size() && plans[end].priority == plans[g].priority; ++end) {
      TG_ASSIGN(Stmt st, db_.Prepare(runnable_sql));
      st.Bind(1, plans[end].id);
      for (size_t i = 0; i < label_args.size(); ++i)
        st.Bind(static_cast<int>(i + 2), label_args[i]);
      for (;;) {
        TG_ASSIGN(bool row, st.Step());
        if (!row) break;
        group.push_back(ReadCandidate(st, 0));
      }
      if (auto it = expired.find(plans[end].id); it != expired.end()) {
        group.insert(group.end(), it->second.begin(), it->second.end());
      }
    }
    std::sort(group.begin(), group.end(),
              [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
    for (const auto& c : group) {
      if (limit >= 0 && rowids.size() >= size_t(limit)) break;
      rowids.push_back(c.rowid());
    }
    g = end;
  }

  std::vector<Task> out;
  out.reserve(rowids.size());
  const std::string row_sql = fmt::format(
      "SELECT {} FROM tasks t JOIN plans p ON p.plan_id = t.plan_id WHERE t.rowid = ?", TaskCols());
  for (int64_t rowid : rowids) {
    TG_ASSIGN(Stmt st, db_.Prepare(row_sql));
    st.Bind(1, rowid);
    TG_ASSIGN(auto t, OneTask(st));
    if (t) out.push_back(std::move(*t));
  }
  return out;
}

Result<std::optional<Millis>> SqliteTxn::NextLeaseExpiry(const TaskFilter& f) {
  std::vector<std::string> args{FormatIso(now_)};
  std::vector<std::string> label_args;
  const std::string labels = LabelFilterSql(f, label_args);
  std::string sql = fmt::format(
      "SELECT min(l.expires_at) FROM leases l JOIN tasks t ON t.task_id = l.task_id JOIN plans p "
      "ON p.plan_id = t.plan_id WHERE l.expires_at > ? AND t.status = 'doing' AND {}{}{}",
      PlanWhere(f), f.plan_id ? " AND t.plan_id = ?" : "", labels);
  if (f.plan_id) args.push_back(*f.plan_id);
  args.insert(args.end(), label_args.begin(), label_args.end());
  TG_ASSIGN(Stmt st, db_.Prepare(sql));
  for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
  TG_ASSIGN(bool row, st.Step());
  if (!row || st.IsNull(0)) return std::optional<Millis>();
  return ParseIso(st.Text(0));
}

}  // namespace tg::store::sqlite
