#include "app/views.h"

#include <algorithm>
#include <set>

#include "app/resolve.h"
#include "app/rules.h"
#include "core/hash.h"

namespace tg::app {

namespace {

Result<std::optional<std::string>> PlanIdOf(store::Reader& r,
                                            const std::optional<std::string>& ref) {
  if (!ref) return std::optional<std::string>();
  TG_ASSIGN(Plan p, ResolvePlan(r, *ref));
  return std::optional<std::string>(p.plan_id);
}

store::TaskFilter FilterOf(const StatusQuery& q, const std::optional<std::string>& plan_id) {
  store::TaskFilter f;
  f.plan_id = plan_id;
  f.include_canceled = q.all;
  f.include_abandoned = q.all;
  f.active_only = q.active_only;
  f.upcoming_only = q.upcoming_only;
  f.doc = q.doc;
  f.skill = q.skill;
  f.change_type = q.change_type;
  return f;
}

// Non-draft first, then priority (unset last), then most recently updated.
bool PlanOrder(const Plan& a, const Plan& b) {
  bool ad = a.status == PlanStatus::kDraft, bd = b.status == PlanStatus::kDraft;
  if (ad != bd) return bd;
  if (a.priority.has_value() != b.priority.has_value()) return a.priority.has_value();
  if (a.priority != b.priority) return *a.priority < *b.priority;
  if (a.updated_at != b.updated_at) return a.updated_at > b.updated_at;
  return a.title < b.title;
}

}  // namespace

Result<store::TaskFilter> NextFilter(store::Reader& r, const NextQuery& q) {
  store::TaskFilter f;
  TG_ASSIGN(f.plan_id, PlanIdOf(r, q.plan));
  f.include_abandoned = q.all;
  f.doc = q.doc;
  f.skill = q.skill;
  f.change_type = q.change_type;
  f.limit = std::max(1, q.limit);
  f.include_expired = true;
  return f;
}

Result<std::vector<Task>> Next(Context& ctx, const NextQuery& q) {
  TG_TRY(CheckRange("--limit", q.limit, kLimitRange));
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_ASSIGN(store::TaskFilter f, NextFilter(*r, q));
  return r->NextTasks(f);
}

Result<TaskDetail> Show(Context& ctx, const std::string& task_ref) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TaskDetail d;
  d.as_of = r->Now();
  TG_ASSIGN(d.task, ResolveTask(*r, task_ref));
  const std::string& id = d.task.task_id;
  TG_ASSIGN(d.blockers, r->Blockers(id));
  TG_ASSIGN(d.dependents, r->Dependents(id));
  TG_ASSIGN(d.related, r->RelatedFrom(id));
  TG_ASSIGN(d.gates, r->ListGates(false, id));
  // As in every other view: unmet blockers of an open task (a finished one waits for nothing).
  d.blocked_by = d.task.blocked_by;
  TG_ASSIGN(d.events, r->TaskEvents(id, 20, std::nullopt));
  TG_ASSIGN(d.notes, r->TaskEvents(id, 10, "note"));
  if (d.task.status == TaskStatus::kDone) {
    TG_ASSIGN(auto done, r->TaskEvents(id, 1, "done"));
    if (!done.empty()) d.done = done.front();
  }
  TG_ASSIGN(d.docs, r->TaskDocs(id));
  TG_ASSIGN(d.skills, r->TaskSkills(id));
  return d;
}

namespace {

// A plan that is neither done nor abandoned: its tasks count as actionable and upcoming.
bool IsOpen(const Plan& p) {
  return p.status != PlanStatus::kDone && p.status != PlanStatus::kAbandoned;
}

// Claims whose lease ran out and that nothing holds back, counted by plan: `next` offers them
// to the next agent, so a plan's actionable tasks are its todo tasks and these.
StringMap<int> TakeoversByPlan(const std::vector<Task>& doing) {
  StringMap<int> by_plan;
  for (const auto& t : doing) {
    if (t.lease_expired && t.blocked_by.empty()) ++by_plan[t.plan_id];
  }
  return by_plan;
}

int Actionable(const store::PlanCounts& pc, const StringMap<int>& takeovers) {
  if (!IsOpen(pc.plan)) return 0;
  auto it = takeovers.find(pc.plan.plan_id);
  return pc.counts.todo + (it == takeovers.end() ? 0 : it->second);
}

}  // namespace

Result<StatusSummary> Summarize(Context& ctx, const StatusQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  StatusSummary s;
  s.now = r->Now();
  TG_ASSIGN(auto plan_id, PlanIdOf(*r, q.plan));
  if (!q.light) {
    TG_ASSIGN(auto totals, r->GraphTotals());
    s.completed_plans = totals.done_plans;
    s.completed_tasks = totals.done_tasks;
    s.canceled_tasks = totals.canceled_tasks;
    s.sub_agent_runs = totals.done_events;
    s.agent_count = totals.agents;
    s.investigator_runs = totals.investigator_runs;
    s.total_agent_hours = totals.agent_hours;
  }

  store::PlanListFilter pf;
  pf.include_abandoned = q.all || q.light;
  TG_ASSIGN(auto plans, r->PlansWithCounts(pf, plan_id));
  if (q.light) {
    // The graph's totals from the same counts (every task has a plan), abandoned plans included.
    for (const auto& pc : plans) {
      s.completed_plans += pc.plan.status == PlanStatus::kDone;
      s.completed_tasks += pc.counts.done;
      s.canceled_tasks += pc.counts.canceled;
    }
    if (!q.all) {
      std::erase_if(plans, [](const store::PlanCounts& pc) {
        return pc.plan.status == PlanStatus::kAbandoned;
      });
    }
  }
  TG_ASSIGN(auto doing, r->TasksWithStatus(TaskStatus::kDoing));
  const StringMap<int> takeovers = TakeoversByPlan(doing);
  s.plans_count = static_cast<int>(plans.size());
  for (const char* st : {"todo", "doing", "blocked", "done", "canceled"}) s.status_counts[st] = 0;
  std::vector<Plan> upcoming, completed;
  for (const auto& pc : plans) {
    const auto& c = pc.counts;
    s.status_counts["todo"] += c.todo;
    s.status_counts["doing"] += c.doing;
    s.status_counts["blocked"] += c.blocked;
    s.status_counts["done"] += c.done;
    if (q.all) s.status_counts["canceled"] += c.canceled;
    const bool open = IsOpen(pc.plan);
    const int actionable = Actionable(pc, takeovers);
    s.actionable_count += actionable;
    if (open && c.total() > c.canceled) s.active_plans.push_back(PlanRow{pc.plan, c, actionable});
    if (open) upcoming.push_back(pc.plan);
    if (pc.plan.status == PlanStatus::kDone) completed.push_back(pc.plan);
  }
  if (!q.all) s.status_counts.erase("canceled");
  std::sort(s.active_plans.begin(), s.active_plans.end(),
            [](const PlanRow& a, const PlanRow& b) { return PlanOrder(a.plan, b.plan); });
  std::sort(upcoming.begin(), upcoming.end(), PlanOrder);
  if (upcoming.size() > 7) upcoming.resize(7);
  s.next7_upcoming_plans = upcoming;
  std::sort(completed.begin(), completed.end(),
            [](const Plan& a, const Plan& b) { return a.updated_at > b.updated_at; });
  if (completed.size() > 7) completed.resize(7);
  s.last7_completed_plans = completed;

  store::TaskFilter tf = FilterOf(q, plan_id);
  tf.limit = 7;
  tf.include_expired = true;  // the same runnable set as `tg next`
  TG_ASSIGN(s.next7_runnable_tasks, r->NextTasks(tf));
  tf.include_expired = false;
  s.next_tasks.assign(
      s.next7_runnable_tasks.begin(),
      s.next7_runnable_tasks.begin() + std::min<size_t>(3, s.next7_runnable_tasks.size()));
  if (!q.light) {
    TG_ASSIGN(s.last7_completed_tasks, r->RecentlyDone(7, tf));
  }

  if (q.light) return s;
  const Millis stale_ms =
      Millis{q.stale_hours.value_or(ctx.store.config().stale_hours)} * 3'600'000;
  for (auto& t : doing) {
    if (plan_id && t.plan_id != *plan_id) continue;
    StaleTask st{t, t.claimed_at ? double(s.now - *t.claimed_at) / 3.6e6 : 0.0,
                 t.lease_expires_at && *t.lease_expires_at <= s.now};
    if (st.lease_expired || (t.claimed_at && s.now - *t.claimed_at >= stale_ms)) {
      s.stale_tasks.push_back(st);
    }
    s.active_work.push_back(std::move(t));
  }
  return s;
}

Result<std::vector<Task>> StatusTasks(Context& ctx, const StatusQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_ASSIGN(auto plan_id, PlanIdOf(*r, q.plan));
  return r->ListTasks(FilterOf(q, plan_id));
}

Result<std::vector<PlanRow>> StatusProjects(Context& ctx, const StatusQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_ASSIGN(auto plan_id, PlanIdOf(*r, q.plan));
  store::PlanListFilter pf;
  pf.include_abandoned = q.all;
  TG_ASSIGN(auto plans, r->PlansWithCounts(pf, plan_id));
  TG_ASSIGN(auto doing, r->TasksWithStatus(TaskStatus::kDoing));
  const StringMap<int> takeovers = TakeoversByPlan(doing);
  std::vector<PlanRow> out;
  for (auto& pc : plans) {
    const bool open = IsOpen(pc.plan);
    if (q.active_only && !open) continue;
    if (q.upcoming_only && pc.plan.status != PlanStatus::kDraft) continue;
    out.push_back(PlanRow{pc.plan, pc.counts, Actionable(pc, takeovers)});
  }
  std::sort(out.begin(), out.end(),
            [](const PlanRow& a, const PlanRow& b) { return PlanOrder(a.plan, b.plan); });
  return out;
}

Result<std::vector<Plan>> ListPlans(Context& ctx, bool abandoned_only) {
  store::PlanListFilter f;
  f.only_abandoned = abandoned_only;
  TG_ASSIGN(auto r, ctx.store.Read());
  return r->ListPlans(f);
}

Result<std::vector<GateRow>> ListGates(Context& ctx, bool pending_only) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_ASSIGN(auto gates, r->ListGates(pending_only, std::nullopt));
  std::vector<GateRow> out;
  for (auto& g : gates) {
    TG_ASSIGN(auto t, r->GetTask(g.task_id));
    out.push_back(GateRow{std::move(g), t ? t->hash_id : "", t ? t->title : ""});
  }
  return out;
}

Result<std::vector<Commit>> Log(Context& ctx, int limit, const std::optional<std::string>& task) {
  TG_ASSIGN(auto r, ctx.store.Read());
  std::optional<std::string> task_id;
  if (task) {
    TG_ASSIGN(Task t, ResolveTask(*r, *task));
    task_id = t.task_id;
  }
  std::vector<Commit> out;
  TG_ASSIGN(auto pending, r->PendingCommit());
  if (pending && !task_id) out.push_back(*pending);
  int rest = std::max(1, limit) - static_cast<int>(out.size());
  if (rest <= 0) return out;
  TG_ASSIGN(auto commits, r->ListCommits(rest, task_id));
  out.insert(out.end(), commits.begin(), commits.end());
  return out;
}

}  // namespace tg::app
