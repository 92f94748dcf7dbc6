#include "app/agent_context.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/resolve.h"

namespace tg::app {

namespace {

Result<std::optional<std::string>> LatestEvidence(store::Reader& r, const std::string& task_id) {
  TG_ASSIGN(auto done, r.TaskEvents(task_id, 1, "done"));
  if (done.empty()) return std::optional<std::string>();
  auto body = nlohmann::json::parse(done.front().body, nullptr, false);
  if (!body.is_object() || !body.contains("evidence") || !body["evidence"].is_string()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(body["evidence"].get<std::string>());
}

}  // namespace

Result<TaskContext> ContextOf(Context& ctx, const std::string& task_ref) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TaskContext c;
  TG_ASSIGN(c.task, ResolveTask(*r, task_ref));
  TG_ASSIGN(auto plan, r->GetPlan(c.task.plan_id));
  if (!plan) return Fail(Code::kPlanNotFound, "the task's plan vanished; run `tg doctor`");
  c.plan = *plan;
  TG_ASSIGN(c.docs, r->TaskDocs(c.task.task_id));
  TG_ASSIGN(c.skills, r->TaskSkills(c.task.task_id));
  TG_ASSIGN(auto blockers, r->Blockers(c.task.task_id));
  for (const auto& b : blockers) {
    TG_ASSIGN(auto t, r->GetTask(b.task_id));
    if (!t) continue;
    ContextBlocker cb{*t, std::nullopt};
    if (t->status == TaskStatus::kDone) {
      TG_ASSIGN(cb.evidence, LatestEvidence(*r, b.task_id));
    }
    c.blockers.push_back(std::move(cb));
  }
  TG_ASSIGN(c.pending_gates, r->ListGates(true, c.task.task_id));
  TG_ASSIGN(c.notes, r->TaskEvents(c.task.task_id, 10, "note"));
  c.token_budget = ctx.store.config().context_token_budget;
  return c;
}

Result<HiveView> Hive(Context& ctx, const std::optional<std::string>& plan_ref) {
  TG_ASSIGN(auto r, ctx.store.Read());
  std::optional<std::string> plan_id;
  if (plan_ref) {
    TG_ASSIGN(Plan p, ResolvePlan(*r, *plan_ref));
    plan_id = p.plan_id;
  }
  TG_ASSIGN(auto doing, r->TasksWithStatus(TaskStatus::kDoing));
  TG_ASSIGN(auto renewals, r->LastRenewals());
  HiveView out;
  out.as_of = r->Now();
  for (auto& t : doing) {
    if (plan_id && t.plan_id != *plan_id) continue;
    TG_ASSIGN(auto plan, r->GetPlan(t.plan_id));
    if (plan && plan->status == PlanStatus::kAbandoned) continue;
    HiveEntry h{std::move(t), std::nullopt, std::nullopt, {}, std::nullopt};
    if (auto it = renewals.find(h.task.task_id); it != renewals.end()) h.last_seen = it->second;
    TG_ASSIGN(auto notes, r->TaskEvents(h.task.task_id, 50, "note"));
    for (const auto& n : notes) {
      if (!h.heartbeat) {
        if (auto beat = ParseHeartbeat(NoteMessage(n))) {
          h.heartbeat = n;
          h.beat = std::move(beat);
        }
      }
      if (h.recent_notes.size() < 5) h.recent_notes.push_back(n);
    }
    out.entries.push_back(std::move(h));
  }
  return out;
}

Result<PlanSummary> SummarizePlan(Context& ctx, const std::string& plan_ref) {
  TG_ASSIGN(auto r, ctx.store.Read());
  PlanSummary s;
  TG_ASSIGN(s.plan, ResolvePlan(*r, plan_ref));
  TG_ASSIGN(auto tasks, r->PlanTasks(s.plan.plan_id));
  s.task_count = static_cast<int>(tasks.size());
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    return a.ended_at.value_or(a.updated_at) < b.ended_at.value_or(b.updated_at);
  });
  for (auto& t : tasks) {
    if (t.status != TaskStatus::kDone) continue;
    TG_ASSIGN(auto evidence, LatestEvidence(*r, t.task_id));
    TG_ASSIGN(auto notes, r->TaskEvents(t.task_id, 100, "note"));
    s.notes.insert(s.notes.end(), notes.rbegin(), notes.rend());
    s.done.emplace_back(std::move(t), std::move(evidence));
  }
  return s;
}

Result<GraphSnapshot> Snapshot(Context& ctx, const std::optional<std::string>& plan_ref) {
  TG_ASSIGN(auto r, ctx.store.Read());
  GraphSnapshot g;
  std::optional<std::string> plan_id;
  if (plan_ref) {
    TG_ASSIGN(Plan p, ResolvePlan(*r, *plan_ref));
    plan_id = p.plan_id;
    g.plans.push_back(p);
    TG_ASSIGN(g.tasks, r->PlanTasks(p.plan_id));
  } else {
    store::PlanListFilter f;
    f.include_abandoned = true;
    TG_ASSIGN(g.plans, r->ListPlans(f));
    std::reverse(g.plans.begin(), g.plans.end());  // oldest first, like the tasks
    TG_ASSIGN(g.tasks, r->AllTasks());
  }
  TG_ASSIGN(g.edges, r->ListEdges(plan_id));
  TG_ASSIGN(g.docs, r->LabelsByTask(plan_id, false));
  TG_ASSIGN(g.skills, r->LabelsByTask(plan_id, true));
  return g;
}

}  // namespace tg::app
