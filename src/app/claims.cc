#include "app/claims.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/resolve.h"
#include "app/rules.h"
#include "store/queries.h"

namespace tg::app {

namespace {

using nlohmann::json;

// A live claim by someone else blocks done/note/release unless --force, but only when the
// caller said who they are (contract section 3).
Status CheckClaimant(const Context& ctx, const Task& t, bool force, Millis now) {
  if (force || !ctx.agent_explicit || t.status != TaskStatus::kDoing) return Ok();
  if (t.LeaseExpired(now)) return Ok();  // an expired claim protects nothing
  if (t.claimed_by && *t.claimed_by != ctx.agent) {
    return Fail(Code::kTaskAlreadyClaimed, HeldBy(t, now));
  }
  return Ok();
}

Result<std::string> BlockerList(store::Db& db, const Task& t) {
  TG_ASSIGN(auto blockers, store::Blockers(db, t.task_id));
  std::vector<std::string> unmet;
  for (const auto& b : blockers) {
    if (!IsTerminal(b.status)) unmet.push_back(b.hash_id);
  }
  TG_ASSIGN(auto gates, store::ListGates(db, true, t.task_id));
  for (const auto& g : gates) unmet.push_back(fmt::format("gate {} ({})", g.hash_id, g.name));
  std::string s;
  for (const auto& u : unmet) s += (s.empty() ? "" : ", ") + u;
  return s;
}

Status Reload(store::Db& db, ItemResult& r) {
  TG_ASSIGN(auto t, store::GetTask(db, r.task->task_id));
  r.task = t;
  return Ok();
}

}  // namespace

Status ClaimOne(Context& ctx, store::Db& db, Millis now, const StartOptions& opts, ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(db, r.input));
  r.task = t;
  std::optional<std::string> previous;
  bool reclaim = false;
  if (t.status == TaskStatus::kDoing) {
    if (t.claimed_by == ctx.agent) {
      r.info = "already yours";
      // Starting again renews the lease (not history).
      Millis lease = opts.lease.value_or(Millis{ctx.store.config().lease_minutes} * 60'000);
      return store::SetLease(db, t.task_id, now + lease);
    }
    reclaim = t.LeaseExpired(now);
    if (!opts.force && !reclaim) return Fail(Code::kTaskAlreadyClaimed, HeldBy(t, now));
    previous = t.claimed_by;
  } else if (t.status == TaskStatus::kBlocked) {
    TG_ASSIGN(std::string list, BlockerList(db, t));
    return Fail(Code::kTaskNotRunnable,
                fmt::format("task {} is blocked by {}; finish those first, or remove the edge "
                            "with `tg edge remove`",
                            t.hash_id, list));
  } else if (t.status != TaskStatus::kTodo) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}; reopen it first with `tg reopen {} --reason ...`",
                            t.hash_id, ToString(t.status), t.hash_id));
  }
  TG_ASSIGN(bool claimed, store::ClaimTask(db, t.task_id, ctx.agent, now, opts.force || reclaim));
  if (!claimed) return Fail(Code::kTaskAlreadyClaimed, HeldBy(t, now));
  Millis lease = opts.lease.value_or(Millis{ctx.store.config().lease_minutes} * 60'000);
  TG_TRY(store::SetLease(db, t.task_id, now + lease));
  json body{{"agent", ctx.agent}};
  if (previous) body["previous_agent"] = *previous;
  if (reclaim) body["lease_expired_at"] = FormatIso(*t.lease_expires_at);
  // Taking over an expired claim is its own event so the log shows who lost the task.
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, reclaim ? "reclaimed" : "started", body, ctx.agent, now));
  TG_TRY(ActivatePlan(db, t.plan_id, now));
  r.changed = true;
  return Reload(db, r);
}

namespace {

Status DoneOne(Context& ctx, store::Db& db, Millis now, const DoneOptions& opts, ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(db, r.input));
  r.task = t;
  if (t.status == TaskStatus::kDone) {
    r.info = "already done";
    return Ok();
  }
  if (t.status == TaskStatus::kCanceled) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is canceled; reopen it first with `tg reopen`", t.hash_id));
  }
  if (t.status != TaskStatus::kDoing && !opts.force) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}, not doing; start it first (`tg start {}`) or use "
                            "--force",
                            t.hash_id, ToString(t.status), t.hash_id));
  }
  TG_TRY(CheckClaimant(ctx, t, opts.force, now));
  TG_ASSIGN(int unmet, store::UnmetBlockerCount(db, t.task_id));
  if (unmet > 0 && !opts.force) {
    TG_ASSIGN(std::string list, BlockerList(db, t));
    return Fail(Code::kTaskNotRunnable,
                fmt::format("task {} is still blocked by {}; finish those first or use --force",
                            t.hash_id, list));
  }
  t.ended_at = now;
  TG_TRY(EndClaim(db, t, TaskStatus::kDone, now));
  json body{{"evidence", opts.evidence}, {"agent", ctx.agent}};
  if (opts.checks) body["checks"] = json::parse(*opts.checks);
  if (opts.tokens_in) body["tokens_in"] = *opts.tokens_in;
  if (opts.tokens_out) body["tokens_out"] = *opts.tokens_out;
  if (opts.tool_calls) body["tool_calls"] = *opts.tool_calls;
  if (opts.force) body["forced"] = true;
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, "done", body, ctx.agent, now));
  TG_TRY(SyncDependents(db, ctx.ids, t.task_id, ctx.agent, now));
  TG_TRY(ActivatePlan(db, t.plan_id, now));  // finished work means the plan is under way
  TG_ASSIGN(r.plan_completed, SettlePlan(db, t.plan_id, now));
  r.changed = true;
  return Reload(db, r);
}

Status NoteOne(Context& ctx, store::Db& db, Millis now, const NoteOptions& opts, ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(db, r.input));
  r.task = t;
  TG_TRY(CheckClaimant(ctx, t, opts.force, now));
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, "note", {{"message", opts.message}, {"agent", ctx.agent}},
                  ctx.agent, now));
  // A structured heartbeat from the claimant extends its lease (contract section 3).
  auto j = json::parse(opts.message, nullptr, false);
  if (t.status == TaskStatus::kDoing && t.claimed_by == ctx.agent && j.is_object() &&
      j.value("type", "") == "heartbeat") {
    TG_TRY(store::SetLease(db, t.task_id, now + Millis{ctx.store.config().lease_minutes} * 60'000));
  }
  r.changed = true;
  return Ok();
}

Status ReleaseOne(Context& ctx, store::Db& db, Millis now, bool force, ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(db, r.input));
  r.task = t;
  if (t.status != TaskStatus::kDoing) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}, not doing; only a claimed task can be released",
                            t.hash_id, ToString(t.status)));
  }
  TG_TRY(CheckClaimant(ctx, t, force, now));
  std::string holder = t.claimed_by.value_or("");
  TG_TRY(EndClaim(db, t, TaskStatus::kTodo, now));
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, "released", {{"agent", ctx.agent}, {"holder", holder}},
                  ctx.agent, now));
  TG_TRY(SyncBlocked(db, ctx.ids, t.task_id, ctx.agent, now));
  r.changed = true;
  return Reload(db, r);
}

Status ReopenOne(Context& ctx, store::Db& db, Millis now, const std::string& reason,
                 ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(db, r.input));
  r.task = t;
  if (!IsTerminal(t.status)) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}; only done or canceled tasks can be reopened", t.hash_id,
                            ToString(t.status)));
  }
  std::string from(ToString(t.status));
  t.status = TaskStatus::kTodo;
  t.ended_at.reset();
  t.updated_at = now;
  TG_TRY(store::UpdateTask(db, t));
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, "reopened", {{"reason", reason}, {"from", from}},
                  ctx.agent, now));
  TG_TRY(SyncBlocked(db, ctx.ids, t.task_id, ctx.agent, now));
  // Its dependents now wait for it again.
  TG_TRY(SyncDependents(db, ctx.ids, t.task_id, ctx.agent, now));
  TG_TRY(SettlePlan(db, t.plan_id, now));
  r.changed = true;
  return Reload(db, r);
}

Status CancelTask(Context& ctx, store::Db& db, Millis now, const CancelOptions& opts, Task t,
                  ItemResult& r) {
  r.task = t;
  if (IsTerminal(t.status)) {
    return Fail(Code::kInvalidTransition, fmt::format("task {} is already {}; nothing to cancel",
                                                      t.hash_id, ToString(t.status)));
  }
  TG_TRY(EndClaim(db, t, TaskStatus::kCanceled, now));
  json body{{"agent", ctx.agent}};
  body["reason"] = opts.reason ? json(*opts.reason) : json(nullptr);
  TG_TRY(AddEvent(db, ctx.ids, t.task_id, "canceled", body, ctx.agent, now));
  TG_TRY(SyncDependents(db, ctx.ids, t.task_id, ctx.agent, now));
  TG_ASSIGN(r.plan_completed, SettlePlan(db, t.plan_id, now));
  r.changed = true;
  return Reload(db, r);
}

Status CancelPlan(store::Db& db, Millis now, const CancelOptions& opts, Plan p, ItemResult& r) {
  r.plan = p;
  if (p.status == PlanStatus::kAbandoned) {
    return Fail(Code::kInvalidTransition, fmt::format("plan {} is already abandoned", p.hash_id));
  }
  if (p.status == PlanStatus::kDone && !opts.include_done) {
    return Fail(Code::kInvalidTransition,
                fmt::format("plan {} is done; use --include-done to abandon it anyway", p.hash_id));
  }
  p.status = PlanStatus::kAbandoned;
  p.updated_at = now;
  TG_TRY(store::UpdatePlan(db, p));
  r.plan = p;
  r.changed = true;
  return Ok();
}

Status CancelOne(Context& ctx, store::Db& db, Millis now, const CancelOptions& opts,
                 ItemResult& r) {
  if (opts.type == CancelType::kTask) {
    TG_ASSIGN(Task t, ResolveTask(db, r.input));
    return CancelTask(ctx, db, now, opts, std::move(t), r);
  }
  auto plan = ResolvePlan(db, r.input);
  if (opts.type == CancelType::kPlan) {
    if (!plan) return std::unexpected(plan.error());
    return CancelPlan(db, now, opts, std::move(*plan), r);
  }
  auto task = ResolveTask(db, r.input);
  if (plan && task) {
    return Fail(Code::kAmbiguousId,
                fmt::format("'{}' names both plan {} and task {}; add --type plan or --type task",
                            r.input, plan->hash_id, task->hash_id));
  }
  if (plan) return CancelPlan(db, now, opts, std::move(*plan), r);
  if (task) return CancelTask(ctx, db, now, opts, std::move(*task), r);
  // Neither: report the more specific of the two failures.
  if (task.error().code == Code::kAmbiguousId) return std::unexpected(task.error());
  if (plan.error().code == Code::kAmbiguousId) return std::unexpected(plan.error());
  return Fail(Code::kTaskNotFound,
              fmt::format("no plan or task matches '{}'; list them with `tg status --tasks` or "
                          "`tg plan list`",
                          r.input));
}

}  // namespace

Result<BatchOutcome> Start(Context& ctx, const std::vector<std::string>& ids,
                           const StartOptions& opts) {
  return RunBatch(ctx, ids, "task: start", [&](store::Db& db, Millis now, ItemResult& r) {
    return ClaimOne(ctx, db, now, opts, r);
  });
}

Status ValidateDone(const DoneOptions& opts) {
  bool blank = opts.evidence.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    return Fail(Code::kValidationFailed,
                "--evidence is required: say what shows the work is done (tests run, commit, "
                "output)");
  }
  if (opts.checks && json::parse(*opts.checks, nullptr, false).is_discarded()) {
    return Fail(Code::kValidationFailed,
                fmt::format("--checks is not valid JSON: {}; pass a JSON value, e.g. "
                            "'{{\"tests\":\"pass\"}}'",
                            *opts.checks));
  }
  for (auto v : {opts.tokens_in, opts.tokens_out, opts.tool_calls}) {
    if (v && *v < 0) {
      return Fail(Code::kValidationFailed, "token and tool-call counts must not be negative");
    }
  }
  return Ok();
}

Result<BatchOutcome> Done(Context& ctx, const std::vector<std::string>& ids,
                          const DoneOptions& opts) {
  TG_TRY(ValidateDone(opts));
  return RunBatch(ctx, ids, "task: done", [&](store::Db& db, Millis now, ItemResult& r) {
    return DoneOne(ctx, db, now, opts, r);
  });
}

Result<BatchOutcome> Note(Context& ctx, const std::vector<std::string>& ids,
                          const NoteOptions& opts) {
  if (opts.message.empty()) {
    return Fail(Code::kValidationFailed, "--msg is required and must not be empty");
  }
  return RunBatch(ctx, ids, "task: note", [&](store::Db& db, Millis now, ItemResult& r) {
    return NoteOne(ctx, db, now, opts, r);
  });
}

Result<BatchOutcome> Release(Context& ctx, const std::vector<std::string>& ids, bool force) {
  return RunBatch(ctx, ids, "task: release", [&](store::Db& db, Millis now, ItemResult& r) {
    return ReleaseOne(ctx, db, now, force, r);
  });
}

Result<BatchOutcome> Reopen(Context& ctx, const std::vector<std::string>& ids,
                            const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Code::kValidationFailed, "--reason is required: say why the task is reopened");
  }
  return RunBatch(ctx, ids, "task: reopen", [&](store::Db& db, Millis now, ItemResult& r) {
    return ReopenOne(ctx, db, now, reason, r);
  });
}

Result<BatchOutcome> Cancel(Context& ctx, const std::vector<std::string>& ids,
                            const CancelOptions& opts) {
  return RunBatch(ctx, ids, "cancel", [&](store::Db& db, Millis now, ItemResult& r) {
    return CancelOne(ctx, db, now, opts, r);
  });
}

}  // namespace tg::app
