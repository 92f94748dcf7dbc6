#include "app/rules.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/graph.h"

namespace tg::app {

Status AddEvent(store::Writer& w, IdSource& ids, const std::string& task_id, std::string_view kind,
                const nlohmann::json& body, const std::string& agent) {
  // Replace, never throw: text reaching here was checked, but a body may quote a stored value
  // that an older tg let in.
  return AddEventJson(w, ids, task_id, kind,
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), agent);
}

Status AddEventJson(store::Writer& w, IdSource& ids, const std::string& task_id,
                    std::string_view kind, std::string body_json, const std::string& agent) {
  return w.InsertEvent(
      Event{ids.NewUuid(), task_id, std::string(kind), std::move(body_json), agent, w.Now()});
}

std::string StringFieldsJson(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string out = "{";
  for (const auto& [key, value] : fields) {
    if (out.size() > 1) out += ',';
    AppendJsonString(out, key);
    out += ':';
    AppendJsonString(out, value);
  }
  out += '}';
  return out;
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

Status ExtendLease(store::Writer& w, const Task& t, Millis expires_at) {
  // A renewal never shortens a lease, but it is still a sign of life (LastRenewals).
  if (t.lease_expires_at && *t.lease_expires_at >= expires_at) {
    return w.SetLease(t.task_id, *t.lease_expires_at);
  }
  return w.SetLease(t.task_id, expires_at);
}

std::string HeldBy(const Task& t, Millis now) {
  return fmt::format("task {} is being worked by {}{}; use --force to take it over", t.hash_id,
                     t.claimed_by.value_or("another agent"),
                     t.claimed_at ? " (since " + FormatShort(*t.claimed_at, now) + ")" : "");
}

Status CheckTitle(std::string_view what, std::string_view title) {
  if (auto problem = TitleProblem(title)) {
    return Fail(Code::kValidationFailed, fmt::format("the {} {}", what, *problem));
  }
  return Ok();
}

Status CheckText(std::string_view what, std::string_view text, TextKind kind) {
  size_t limit = kind == TextKind::kSingleLine ? kMaxLineChars : kMaxTextChars;
  if (auto problem = TextProblem(text, kind, limit)) {
    return Fail(Code::kValidationFailed, fmt::format("the {} {}", what, *problem));
  }
  return Ok();
}

Status CheckTextIfSet(std::string_view what, const std::optional<std::string>& text,
                      TextKind kind) {
  return text ? CheckText(what, *text, kind) : Ok();
}

Status CheckRange(std::string_view what, int64_t value, const Range& range) {
  if (range.Contains(value)) return Ok();
  return Fail(Code::kValidationFailed,
              fmt::format("{} must be from {}, not {}", what, FormatRange(range), value));
}

Status CheckDuration(std::string_view what, Millis value, const Range& range) {
  if (range.Contains(value)) return Ok();
  return Fail(Code::kValidationFailed,
              fmt::format("{} must be from {}, not {}", what, FormatDurationRange(range),
                          FormatDuration(value)));
}

Status CheckJson(std::string_view what, std::string_view text) {
  if (auto problem = TextProblem(text, TextKind::kMultiLine)) {
    return Fail(Code::kValidationFailed, fmt::format("{} {}", what, *problem));
  }
  if (int depth = JsonDepth(text); depth > kMaxJsonDepth) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} nests {} levels deep; at most {} are accepted", what, depth,
                            kMaxJsonDepth));
  }
  if (nlohmann::json::parse(text, nullptr, false).is_discarded()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} is not valid JSON: {}; pass a JSON value, e.g. "
                            "'{{\"tests\":\"pass\"}}'",
                            what, text));
  }
  return Ok();
}

Status CheckActor(std::string_view agent, const std::optional<std::string>& commit_message) {
  TG_TRY(CheckText("agent name", agent, TextKind::kSingleLine));
  if (agent.find_first_not_of(" \t") == std::string_view::npos) {
    return Fail(Code::kValidationFailed,
                "the agent name is blank; give --agent or TG_AGENT a name");
  }
  return CheckTextIfSet("commit message", commit_message, TextKind::kSingleLine);
}

}  // namespace tg::app
