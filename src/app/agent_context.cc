#include "app/agent_context.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/resolve.h"
#include "store/queries.h"

namespace tg::app {

namespace {

Result<std::optional<std::string>> LatestEvidence(store::Db& db, const std::string& task_id) {
  TG_ASSIGN(auto done, store::TaskEvents(db, task_id, 1, "done"));
  if (done.empty()) return std::optional<std::string>();
  auto body = nlohmann::json::parse(done.front().body, nullptr, false);
  if (!body.is_object() || !body.contains("evidence") || !body["evidence"].is_string()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(body["evidence"].get<std::string>());
}

bool IsHeartbeat(const Event& e) {
  auto body = nlohmann::json::parse(e.body, nullptr, false);
  if (!body.is_object() || !body.contains("message") || !body["message"].is_string()) return false;
  auto msg = nlohmann::json::parse(body["message"].get<std::string>(), nullptr, false);
  return msg.is_object() && msg.value("type", "") == "heartbeat";
}

}  // namespace

Result<TaskContext> ContextOf(Context& ctx, const std::string& task_ref) {
  store::Db& db = ctx.store.db();
  TG_ASSIGN(auto rt, store::ReadTxn::Begin(ctx.store));
  TaskContext c;
  TG_ASSIGN(c.task, ResolveTask(db, task_ref));
  TG_ASSIGN(auto plan, store::GetPlan(db, c.task.plan_id));
  c.plan = *plan;
  TG_ASSIGN(c.docs, store::TaskDocs(db, c.task.task_id));
  TG_ASSIGN(c.skills, store::TaskSkills(db, c.task.task_id));
  TG_ASSIGN(auto blockers, store::Blockers(db, c.task.task_id));
  for (const auto& b : blockers) {
    TG_ASSIGN(auto t, store::GetTask(db, b.task_id));
    ContextBlocker cb{*t, std::nullopt};
    if (t->status == TaskStatus::kDone) {
      TG_ASSIGN(cb.evidence, LatestEvidence(db, b.task_id));
    }
    c.blockers.push_back(std::move(cb));
  }
  TG_ASSIGN(c.pending_gates, store::ListGates(db, true, c.task.task_id));
  TG_ASSIGN(c.notes, store::TaskEvents(db, c.task.task_id, 10, "note"));
  c.token_budget = ctx.store.config().context_token_budget;
  return c;
}

Result<std::vector<HiveEntry>> Hive(Context& ctx) {
  store::Db& db = ctx.store.db();
  TG_ASSIGN(auto rt, store::ReadTxn::Begin(ctx.store));
  TG_ASSIGN(auto doing, store::TasksWithStatus(db, TaskStatus::kDoing));
  std::vector<HiveEntry> out;
  for (auto& t : doing) {
    TG_ASSIGN(auto plan, store::GetPlan(db, t.plan_id));
    if (plan && plan->status == PlanStatus::kAbandoned) continue;
    HiveEntry h{std::move(t), std::nullopt, {}};
    TG_ASSIGN(auto notes, store::TaskEvents(db, h.task.task_id, 50, "note"));
    for (const auto& n : notes) {
      if (!h.heartbeat && IsHeartbeat(n)) h.heartbeat = n;
      if (h.recent_notes.size() < 5) h.recent_notes.push_back(n);
    }
    out.push_back(std::move(h));
  }
  return out;
}

Result<PlanSummary> SummarizePlan(Context& ctx, const std::string& plan_ref) {
  store::Db& db = ctx.store.db();
  TG_ASSIGN(auto rt, store::ReadTxn::Begin(ctx.store));
  PlanSummary s;
  TG_ASSIGN(s.plan, ResolvePlan(db, plan_ref));
  TG_ASSIGN(auto tasks, store::PlanTasks(db, s.plan.plan_id));
  s.task_count = static_cast<int>(tasks.size());
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    return a.ended_at.value_or(a.updated_at) < b.ended_at.value_or(b.updated_at);
  });
  for (auto& t : tasks) {
    if (t.status != TaskStatus::kDone) continue;
    TG_ASSIGN(auto evidence, LatestEvidence(db, t.task_id));
    TG_ASSIGN(auto notes, store::TaskEvents(db, t.task_id, 100, "note"));
    s.notes.insert(s.notes.end(), notes.rbegin(), notes.rend());
    s.done.emplace_back(std::move(t), std::move(evidence));
  }
  return s;
}

Result<GraphSnapshot> Snapshot(Context& ctx, const std::optional<std::string>& plan_ref) {
  store::Db& db = ctx.store.db();
  TG_ASSIGN(auto rt, store::ReadTxn::Begin(ctx.store));
  GraphSnapshot g;
  std::optional<std::string> plan_id;
  if (plan_ref) {
    TG_ASSIGN(Plan p, ResolvePlan(db, *plan_ref));
    plan_id = p.plan_id;
    g.plans.push_back(p);
    TG_ASSIGN(g.tasks, store::PlanTasks(db, p.plan_id));
  } else {
    store::PlanListFilter f;
    f.include_abandoned = true;
    TG_ASSIGN(g.plans, store::ListPlans(db, f));
    std::reverse(g.plans.begin(), g.plans.end());  // oldest first, like the tasks
    TG_ASSIGN(g.tasks, store::AllTasks(db));
  }
  TG_ASSIGN(g.edges, store::ListEdges(db, plan_id));
  TG_ASSIGN(g.docs, store::LabelsByTask(db, plan_id, false));
  TG_ASSIGN(g.skills, store::LabelsByTask(db, plan_id, true));
  return g;
}

}  // namespace tg::app
