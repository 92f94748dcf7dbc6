#include "app/activity.h"

#include <nlohmann/json.hpp>

#include "app/heartbeat.h"
#include "app/resolve.h"

namespace tg::app {

Result<Activity> ReadActivity(store::Reader& r, const std::optional<std::string>& plan_id,
                              int recent) {
  Activity a;
  a.now = r.Now();
  TG_ASSIGN(auto renewals, r.LastRenewals());
  TG_ASSIGN(auto doing, r.TasksWithStatus(TaskStatus::kDoing));
  for (auto& t : doing) {
    if (plan_id && t.plan_id != *plan_id) continue;
    DoingRow row;
    if (auto it = renewals.find(t.task_id); it != renewals.end()) {
      row.last_seen = it->second;
    } else {
      row.last_seen = t.claimed_at;
    }
    // The latest heartbeat among the recent notes; older ones are stale news anyway.
    TG_ASSIGN(auto notes, r.TaskEvents(t.task_id, 20, "note"));
    for (const auto& n : notes) {
      if (auto hb = ParseHeartbeat(NoteMessage(n))) {
        row.phase = hb->phase;
        row.files = hb->files;
        break;
      }
    }
    row.task = std::move(t);
    a.doing.push_back(std::move(row));
  }
  TG_ASSIGN(auto gates, r.ListGates(true, std::nullopt));
  for (auto& g : gates) {
    TG_ASSIGN(auto t, r.GetTask(g.task_id));
    if (plan_id && (!t || t->plan_id != *plan_id)) continue;
    a.pending_gates.push_back(GateRow{std::move(g), t ? t->hash_id : "", t ? t->title : ""});
  }
  store::TaskFilter f;
  f.plan_id = plan_id;
  TG_ASSIGN(auto done, r.RecentlyDone(recent, f));
  for (auto& t : done) {
    TG_ASSIGN(auto ev, r.TaskEvents(t.task_id, 1, "done"));
    a.recent_done.push_back(DoneRow{std::move(t), ev.empty() ? "" : ev.front().agent});
  }
  return a;
}

Result<Activity> ReadActivity(Context& ctx, const ActivityQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  std::optional<std::string> plan_id;
  if (q.plan) {
    TG_ASSIGN(Plan p, ResolvePlan(*r, *q.plan));
    plan_id = p.plan_id;
  }
  return ReadActivity(*r, plan_id, q.recent);
}

Result<std::map<std::string, std::vector<Event>>> EventsByTask(Context& ctx,
                                                               const GraphSnapshot& g) {
  TG_ASSIGN(auto r, ctx.store.Read());
  std::optional<std::string> plan_id;
  if (g.plans.size() == 1) plan_id = g.plans.front().plan_id;
  static const std::vector<std::string> kinds{"created",  "started",  "reclaimed", "done",
                                              "note",     "blocked",  "unblocked", "released",
                                              "reopened", "canceled", "recovered", "split"};
  TG_ASSIGN(auto events, r->EventsOfKinds(kinds, plan_id));
  std::map<std::string, std::vector<Event>> out;
  for (const auto& t : g.tasks) out[t.task_id];
  for (auto& e : events) {
    auto it = out.find(e.task_id);
    if (it != out.end()) it->second.push_back(std::move(e));
  }
  return out;
}

}  // namespace tg::app
