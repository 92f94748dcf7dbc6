#include "app/rules.h"

#include <fmt/format.h>

#include "core/graph.h"
#include "store/queries.h"

namespace tg::app {

Status AddEvent(store::Db& db, IdSource& ids, const std::string& task_id, std::string_view kind,
                const nlohmann::json& body, const std::string& agent, Millis now) {
  return store::InsertEvent(
      db, Event{ids.NewUuid(), task_id, std::string(kind), body.dump(), agent, now});
}

Status SyncBlocked(store::Db& db, IdSource& ids, const std::string& task_id,
                   const std::string& agent, Millis now) {
  TG_ASSIGN(auto current, store::GetTaskStatus(db, task_id));
  if (!current || (*current != TaskStatus::kTodo && *current != TaskStatus::kBlocked)) return Ok();
  TG_ASSIGN(int unmet, store::UnmetBlockerCount(db, task_id));
  TaskStatus next = MaterializedStatus(*current, unmet);
  if (next == *current) return Ok();
  TG_TRY(store::SetTaskStatus(db, task_id, next, now));
  if (next == TaskStatus::kBlocked) {
    return AddEvent(db, ids, task_id, "blocked", {{"unmet_blockers", unmet}}, agent, now);
  }
  return AddEvent(db, ids, task_id, "unblocked", nlohmann::json::object(), agent, now);
}

Status SyncDependents(store::Db& db, IdSource& ids, const std::string& task_id,
                      const std::string& agent, Millis now) {
  TG_ASSIGN(auto deps, store::BlocksSuccessors(db, task_id));
  for (const auto& d : deps) TG_TRY(SyncBlocked(db, ids, d, agent, now));
  return Ok();
}

Status CheckNoCycle(store::Db& db, const Task& from, const Task& to) {
  if (from.task_id == to.task_id) {
    return Fail(Code::kCycleDetected, fmt::format("{} cannot block itself", from.hash_id));
  }
  // The new edge from -> to closes a cycle exactly when `to` already reaches `from`.
  std::optional<Error> err;
  auto path = FindPath(to.task_id, from.task_id, [&](const std::string& id) {
    auto next = store::BlocksSuccessors(db, id);
    if (!next) {
      err = next.error();
      return std::vector<std::string>{};
    }
    return *next;
  });
  if (err) return std::unexpected(*err);
  if (!path) return Ok();
  std::vector<std::string> names{from.hash_id};
  for (const auto& id : *path) {
    TG_ASSIGN(auto t, store::GetTask(db, id));
    names.push_back(t ? t->hash_id : id);
  }
  return Fail(Code::kCycleDetected,
              fmt::format("{} blocks {} would create a cycle: {}; remove an edge of the cycle "
                          "first (`tg edge remove`)",
                          from.hash_id, to.hash_id, FormatPath(names)));
}

Status ActivatePlan(store::Db& db, const std::string& plan_id, Millis now) {
  TG_ASSIGN(auto plan, store::GetPlan(db, plan_id));
  if (!plan || plan->status != PlanStatus::kDraft) return Ok();
  plan->status = PlanStatus::kActive;
  plan->updated_at = now;
  return store::UpdatePlan(db, *plan);
}

Result<bool> SettlePlan(store::Db& db, const std::string& plan_id, Millis now) {
  TG_ASSIGN(auto plan, store::GetPlan(db, plan_id));
  if (!plan || plan->status == PlanStatus::kAbandoned) return false;
  TG_ASSIGN(auto c, store::PlanTaskCounts(db, plan_id));
  bool finished = c.total() > 0 && c.done > 0 && c.done + c.canceled == c.total();
  if (finished && plan->status != PlanStatus::kDone) {
    plan->status = PlanStatus::kDone;
    plan->updated_at = now;
    TG_TRY(store::UpdatePlan(db, *plan));
    return true;
  }
  if (!finished && plan->status == PlanStatus::kDone) {
    plan->status = PlanStatus::kActive;
    plan->updated_at = now;
    TG_TRY(store::UpdatePlan(db, *plan));
  }
  return false;
}

Status EndClaim(store::Db& db, Task& t, TaskStatus status, Millis now) {
  t.status = status;
  t.claimed_by.reset();
  t.claimed_at.reset();
  t.lease_expires_at.reset();
  t.updated_at = now;
  TG_TRY(store::UpdateTask(db, t));
  return store::DeleteLease(db, t.task_id);
}

std::string HeldBy(const Task& t, Millis now) {
  return fmt::format("task {} is being worked by {}{}; use --force to take it over", t.hash_id,
                     t.claimed_by.value_or("another agent"),
                     t.claimed_at ? " (since " + FormatShort(*t.claimed_at, now) + ")" : "");
}

}  // namespace tg::app
