#include "app/rules.h"

#include <fmt/format.h>

#include "core/graph.h"
#include "core/utf8.h"

namespace tg::app {

Status AddEvent(store::Writer& w, IdSource& ids, const std::string& task_id, std::string_view kind,
                const nlohmann::json& body, const std::string& agent) {
  return w.InsertEvent(
      Event{ids.NewUuid(), task_id, std::string(kind), body.dump(), agent, w.Now()});
}

Status SyncBlocked(store::Writer& w, IdSource& ids, const std::string& task_id,
                   const std::string& agent) {
  TG_ASSIGN(auto current, w.GetTaskStatus(task_id));
  if (!current || (*current != TaskStatus::kTodo && *current != TaskStatus::kBlocked)) return Ok();
  TG_ASSIGN(int unmet, w.UnmetBlockerCount(task_id));
  TaskStatus next = MaterializedStatus(*current, unmet);
  if (next == *current) return Ok();
  TG_TRY(w.SetTaskStatus(task_id, next));
  if (next == TaskStatus::kBlocked) {
    return AddEvent(w, ids, task_id, "blocked", {{"unmet_blockers", unmet}}, agent);
  }
  return AddEvent(w, ids, task_id, "unblocked", nlohmann::json::object(), agent);
}

Status SyncDependents(store::Writer& w, IdSource& ids, const std::string& task_id,
                      const std::string& agent) {
  TG_ASSIGN(auto deps, w.BlocksSuccessors(task_id));
  for (const auto& d : deps) TG_TRY(SyncBlocked(w, ids, d, agent));
  return Ok();
}

Status CheckNoCycle(store::Reader& r, const Task& from, const Task& to) {
  if (from.task_id == to.task_id) {
    return Fail(Code::kCycleDetected, fmt::format("{} cannot block itself", from.hash_id));
  }
  // The new edge from -> to closes a cycle exactly when `to` already reaches `from`.
  std::optional<Error> err;
  auto path = FindPath(to.task_id, from.task_id, [&](const std::string& id) {
    auto next = r.BlocksSuccessors(id);
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
    TG_ASSIGN(auto t, r.GetTask(id));
    names.push_back(t ? t->hash_id : id);
  }
  return Fail(Code::kCycleDetected,
              fmt::format("{} blocks {} would create a cycle: {}; remove an edge of the cycle "
                          "first (`tg edge remove`)",
                          from.hash_id, to.hash_id, FormatPath(names)));
}

Result<bool> SettlePlan(store::Writer& w, const std::string& plan_id) {
  TG_ASSIGN(auto plan, w.GetPlan(plan_id));
  if (!plan) return false;
  TG_ASSIGN(auto progress, w.GetPlanProgress(plan_id));
  PlanStatus next = SettledPlanStatus(plan->status, progress);
  if (next == plan->status) return false;
  plan->status = next;
  plan->updated_at = w.Now();
  TG_TRY(w.UpdatePlan(*plan));
  return next == PlanStatus::kDone;
}

Status EndClaim(store::Writer& w, Task& t, TaskStatus status) {
  t.status = status;
  t.claimed_by.reset();
  t.claimed_at.reset();
  t.lease_expires_at.reset();
  t.lease_expired = false;
  t.updated_at = w.Now();
  TG_TRY(w.UpdateTask(t));
  return w.DeleteLease(t.task_id);
}

Millis LeaseLength(const Context& ctx, std::optional<Millis> lease) {
  return lease.value_or(Millis{ctx.store.config().lease_minutes} * 60'000);
}

std::string HeldBy(const Task& t, Millis now) {
  return fmt::format("task {} is being worked by {}{}; use --force to take it over", t.hash_id,
                     t.claimed_by.value_or("another agent"),
                     t.claimed_at ? " (since " + FormatShort(*t.claimed_at, now) + ")" : "");
}

Status CheckTitle(std::string_view what, std::string_view title) {
  if (!IsValidUtf8(title)) {
    return Fail(Code::kValidationFailed,
                fmt::format("the {} is not valid UTF-8 text; pass it as UTF-8", what));
  }
  size_t n = CodePointCount(title);
  if (title.find_first_not_of(" \t") == std::string_view::npos || n > kMaxTitleChars) {
    return Fail(Code::kValidationFailed,
                fmt::format("a {} must be 1 to {} characters (this one has {}); move detail "
                            "to the intent",
                            what, kMaxTitleChars, n));
  }
  return Ok();
}

}  // namespace tg::app
