#include "app/claims.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/heartbeat.h"
#include "app/resolve.h"
#include "app/rules.h"

namespace tg::app {

namespace {

using nlohmann::json;

// A live claim by someone else blocks done/note/release unless --force, but only when the
// caller said who they are (contract section 3).
Status CheckClaimant(const Context& ctx, store::Reader& r, const Task& t, bool force, Millis now,
                     std::string_view what) {
  if (force || !ctx.agent_explicit) return Ok();
  TG_TRY(CheckNotTakenOver(ctx, r, t, what));
  if (t.status != TaskStatus::kDoing) return Ok();
  if (t.LeaseExpired(now)) return Ok();  // an expired claim protects nothing
  if (t.claimed_by && *t.claimed_by != ctx.agent) {
    return Fail(Code::kTaskAlreadyClaimed, HeldBy(t, now));
  }
  return Ok();
}

// What holds `t` back ("tg-a, gate g-1 (Review)") and how to clear each kind of it: a
// blocking task is finished or its edge removed, a gate is resolved; the advice names the
// exact command when there is one of a kind.
struct HeldBack {
  std::string what, how;
};
Result<HeldBack> WhatHoldsBack(store::Reader& r, const Task& t) {
  TG_ASSIGN(auto blockers, r.Blockers(t.task_id));
  std::vector<std::string> tasks;
  for (const auto& b : blockers) {
    if (HoldsBack(b.status)) tasks.push_back(b.hash_id);
  }
  TG_ASSIGN(auto pending, r.ListGates(true, t.task_id));  // pending gates: each holds it back
  HeldBack h;
  auto add = [](std::string& to, std::string_view sep, std::string_view part) {
    if (!to.empty()) to += sep;
    to += part;
  };
  for (const auto& id : tasks) add(h.what, ", ", id);
  for (const auto& g : pending) add(h.what, ", ", fmt::format("gate {} ({})", g.hash_id, g.name));
  if (tasks.size() == 1) {
    add(h.how, "; ",
        fmt::format("finish {} first, or remove the edge with `tg edge remove {} blocks {}`",
                    tasks[0], tasks[0], t.hash_id));
  } else if (!tasks.empty()) {
    add(h.how, "; ",
        fmt::format("finish those tasks first, or remove their edges with `tg edge remove "
                    "<task> blocks {}`",
                    t.hash_id));
  }
  if (pending.size() == 1) {
    add(h.how, "; ", fmt::format("resolve the gate with `tg gate resolve {}`", pending[0].hash_id));
  } else if (!pending.empty()) {
    add(h.how, "; ", "resolve the gates with `tg gate resolve <gate>`");
  }
  // The stored status says blocked but nothing open holds the task: the graph drifted.
  if (h.what.empty()) h.what = "nothing open", h.how = "`tg doctor` finds why";
  return h;
}

Status Reload(store::Reader& w, ItemResult& r) {
  TG_ASSIGN(auto t, w.GetTask(r.task->task_id));
  r.task = t;
  return Ok();
}

// How far back a takeover is looked for: a task's claims are a handful of events; notes from
// a long-running task are many, so look past them but not through a whole archive.
constexpr int kTakeoverScan = 500;

}  // namespace

Status CheckNotTakenOver(const Context& ctx, store::Reader& r, const Task& t,
                         std::string_view what) {
  if (!ctx.agent_explicit) return Ok();
  if (t.status == TaskStatus::kDoing && t.claimed_by == ctx.agent) return Ok();  // the hot path
  TG_ASSIGN(auto events, r.TaskEvents(t.task_id, kTakeoverScan, std::nullopt));
  for (const auto& e : events) {
    const bool claim = e.kind == "started" || e.kind == "reclaimed";
    if (claim && e.agent == ctx.agent) return Ok();  // claimed again since
    if (!claim && e.kind != "recovered") continue;
    json body = json::parse(e.body, nullptr, false);
    if (!body.is_object() || body.value("previous_agent", "") != ctx.agent) continue;
    std::optional<std::string> holder;
    std::string how = "is now held by";
    if (t.status == TaskStatus::kDoing) {
      holder = t.claimed_by;
    } else if (t.status == TaskStatus::kDone) {
      how = "was finished by";
      for (const auto& d : events) {
        if (d.kind == "done") {
          holder = d.agent;
          break;
        }
      }
    }
    if (!holder) return Ok();  // released for good (recover): nobody to name, usual rules apply
    return Fail(Code::kTaskAlreadyClaimed,
                fmt::format("task {} was taken over from you by {} ({}) and {} {}; {} was not "
                            "recorded. Pick other work with `tg next --claim`, or add --force "
                            "to record it anyway",
                            t.hash_id, e.agent, FormatIso(e.created_at), how, *holder, what));
  }
  return Ok();
}

ClaimVerdict JudgeClaim(const Task& t, const std::string& agent, bool force, Millis now) {
  switch (t.status) {
    case TaskStatus::kTodo:
      return ClaimVerdict::kClaim;
    case TaskStatus::kBlocked:
      return ClaimVerdict::kBlocked;
    case TaskStatus::kDoing:
      if (t.claimed_by == agent) return ClaimVerdict::kAlreadyYours;
      if (t.LeaseExpired(now)) return ClaimVerdict::kTakeOver;
      return force ? ClaimVerdict::kForce : ClaimVerdict::kHeld;
    case TaskStatus::kDone:
    case TaskStatus::kCanceled:
      break;
  }
  return ClaimVerdict::kClosed;
}

Status ClaimOne(Context& ctx, store::Writer& w, const StartOptions& opts, ItemResult& r) {
  const Millis now = w.Now();
  TG_ASSIGN(Task t, ResolveTask(w, r.input));
  r.task = t;
  const ClaimVerdict verdict = JudgeClaim(t, ctx.agent, opts.force, now);
  switch (verdict) {
    case ClaimVerdict::kAlreadyYours:
      r.info = "already yours";
      // Starting again renews the lease (not history).
      return ExtendLease(w, t, now + LeaseLength(ctx, opts.lease));
    case ClaimVerdict::kHeld:
      return Fail(Code::kTaskAlreadyClaimed, HeldBy(t, now));
    case ClaimVerdict::kBlocked: {
      TG_ASSIGN(HeldBack held, WhatHoldsBack(w, t));
      return Fail(Code::kTaskNotRunnable,
                  fmt::format("task {} is blocked by {}; {}", t.hash_id, held.what, held.how));
    }
    case ClaimVerdict::kClosed:
      return Fail(Code::kInvalidTransition,
                  fmt::format("task {} is {}; reopen it first with `tg reopen {} --reason ...`",
                              t.hash_id, ToString(t.status), t.hash_id));
    case ClaimVerdict::kClaim:
    case ClaimVerdict::kTakeOver:
    case ClaimVerdict::kForce:
      break;
  }
  const bool reclaim = verdict == ClaimVerdict::kTakeOver;
  std::optional<std::string> previous;
  if (verdict != ClaimVerdict::kClaim) previous = t.claimed_by;
  // The compare-and-set decides, not what was read above: another writer may have claimed the
  // task since (a server store runs writers at once).
  TG_ASSIGN(bool claimed, w.ClaimTask(t.task_id, ctx.agent, opts.force || reclaim));
  if (!claimed) {
    TG_ASSIGN(auto now_held, w.GetTask(t.task_id));
    return Fail(Code::kTaskAlreadyClaimed, HeldBy(now_held.value_or(t), now));
  }
  TG_TRY(w.SetLease(t.task_id, now + LeaseLength(ctx, opts.lease)));
  json body{{"agent", ctx.agent}};
  if (previous) body["previous_agent"] = *previous;
  if (reclaim) body["lease_expired_at"] = FormatIso(*t.lease_expires_at);
  if (opts.on_claim) TG_TRY(opts.on_claim(t, body));
  // Taking over an expired claim is its own event so the log shows who lost the task.
  TG_TRY(AddEvent(w, ctx.ids, t.task_id, reclaim ? "reclaimed" : "started", body, ctx.agent));
  TG_TRY(SettlePlan(w, t.plan_id));  // draft -> active on the first start
  r.changed = true;
  return Reload(w, r);
}

namespace {

Status DoneOne(Context& ctx, store::Writer& w, const DoneOptions& opts, ItemResult& r) {
  const Millis now = w.Now();
  TG_ASSIGN(Task t, ResolveTask(w, r.input));
  r.task = t;
  if (t.status == TaskStatus::kDone) {
    if (!opts.force) TG_TRY(CheckNotTakenOver(ctx, w, t, "your evidence"));
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
  TG_TRY(CheckClaimant(ctx, w, t, opts.force, now, "your evidence"));
  TG_ASSIGN(int unmet, w.UnmetBlockerCount(t.task_id));
  if (unmet > 0 && !opts.force) {
    TG_ASSIGN(HeldBack held, WhatHoldsBack(w, t));
    return Fail(Code::kTaskNotRunnable, fmt::format("task {} is still blocked by {}; {}; or use "
                                                    "--force",
                                                    t.hash_id, held.what, held.how));
  }
  t.ended_at = now;
  TG_TRY(EndClaim(w, t, TaskStatus::kDone));
  json body{{"evidence", opts.evidence}, {"agent", ctx.agent}};
  if (opts.checks) body["checks"] = json::parse(*opts.checks, nullptr, false);
  if (opts.tokens_in) body["tokens_in"] = *opts.tokens_in;
  if (opts.tokens_out) body["tokens_out"] = *opts.tokens_out;
  if (opts.tool_calls) body["tool_calls"] = *opts.tool_calls;
  if (opts.force) body["forced"] = true;
  TG_TRY(AddEvent(w, ctx.ids, t.task_id, "done", body, ctx.agent));
  TG_TRY(SyncDependents(w, ctx.ids, t.task_id, ctx.agent));
  TG_ASSIGN(r.plan_completed, SettlePlan(w, t.plan_id));
  r.changed = true;
  return Reload(w, r);
}

Status NoteOne(Context& ctx, store::Writer& w, const NoteOptions& opts, ItemResult& r) {
  const Millis now = w.Now();
  TG_ASSIGN(Task t, ResolveTask(w, r.input));
  r.task = t;
  TG_TRY(CheckClaimant(ctx, w, t, opts.force, now, "your note"));
  TG_TRY(AddEvent(w, ctx.ids, t.task_id, "note", {{"message", opts.message}, {"agent", ctx.agent}},
                  ctx.agent));
  // A structured heartbeat from the claimant extends its lease (contract section 3).
  if (t.status == TaskStatus::kDoing && t.claimed_by == ctx.agent && ParseHeartbeat(opts.message)) {
    TG_TRY(ExtendLease(w, t, now + LeaseLength(ctx, std::nullopt)));
  }
  r.changed = true;
  return Ok();
}

Status ReleaseOne(Context& ctx, store::Writer& w, bool force, ItemResult& r) {
  const Millis now = w.Now();
  TG_ASSIGN(Task t, ResolveTask(w, r.input));
  r.task = t;
  if (t.status != TaskStatus::kDoing) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}, not doing; only a claimed task can be released",
                            t.hash_id, ToString(t.status)));
  }
  TG_TRY(CheckClaimant(ctx, w, t, force, now, "the release"));
  std::string holder = t.claimed_by.value_or("");
  TG_TRY(EndClaim(w, t, TaskStatus::kTodo));
  TG_TRY(AddEvent(w, ctx.ids, t.task_id, "released", {{"agent", ctx.agent}, {"holder", holder}},
                  ctx.agent));
  TG_TRY(SyncBlocked(w, ctx.ids, t.task_id, ctx.agent));
  r.changed = true;
  return Reload(w, r);
}

Status ReopenOne(Context& ctx, store::Writer& w, const std::string& reason, ItemResult& r) {
  TG_ASSIGN(Task t, ResolveTask(w, r.input));
  r.task = t;
  if (!IsTerminal(t.status)) {
    return Fail(Code::kInvalidTransition,
                fmt::format("task {} is {}; only done or canceled tasks can be reopened", t.hash_id,
                            ToString(t.status)));
  }
  std::string from(ToString(t.status));
  t.status = TaskStatus::kTodo;
  t.ended_at.reset();
  t.updated_at = w.Now();
  TG_TRY(w.UpdateTask(t));
  TG_TRY(
      AddEvent(w, ctx.ids, t.task_id, "reopened", {{"reason", reason}, {"from", from}}, ctx.agent));
  TG_TRY(SyncBlocked(w, ctx.ids, t.task_id, ctx.agent));
  // Its dependents now wait for it again.
  TG_TRY(SyncDependents(w, ctx.ids, t.task_id, ctx.agent));
  TG_TRY(SettlePlan(w, t.plan_id));
  r.changed = true;
  return Reload(w, r);
}

Status CancelTask(Context& ctx, store::Writer& w, const CancelOptions& opts, Task t,
                  ItemResult& r) {
  r.task = t;
  if (IsTerminal(t.status)) {
    return Fail(Code::kInvalidTransition, fmt::format("task {} is already {}; nothing to cancel",
                                                      t.hash_id, ToString(t.status)));
  }
  TG_TRY(EndClaim(w, t, TaskStatus::kCanceled));
  json body{{"agent", ctx.agent}};
  body["reason"] = opts.reason ? json(*opts.reason) : json(nullptr);
  TG_TRY(AddEvent(w, ctx.ids, t.task_id, "canceled", body, ctx.agent));
  TG_TRY(SyncDependents(w, ctx.ids, t.task_id, ctx.agent));
  TG_ASSIGN(r.plan_completed, SettlePlan(w, t.plan_id));
  r.changed = true;
  return Reload(w, r);
}

Status CancelPlan(store::Writer& w, const CancelOptions& opts, Plan p, ItemResult& r) {
  r.plan = p;
  if (p.status == PlanStatus::kAbandoned) {
    return Fail(Code::kInvalidTransition, fmt::format("plan {} is already abandoned", p.hash_id));
  }
  if (p.status == PlanStatus::kDone && !opts.include_done) {
    return Fail(Code::kInvalidTransition,
                fmt::format("plan {} is done; use --include-done to abandon it anyway", p.hash_id));
  }
  p.status = PlanStatus::kAbandoned;
  p.updated_at = w.Now();
  TG_TRY(w.UpdatePlan(p));
  r.plan = p;
  r.changed = true;
  return Ok();
}

Status CancelOne(Context& ctx, store::Writer& w, const CancelOptions& opts, ItemResult& r) {
  if (opts.type == CancelType::kTask) {
    TG_ASSIGN(Task t, ResolveTask(w, r.input));
    return CancelTask(ctx, w, opts, std::move(t), r);
  }
  auto plan = ResolvePlan(w, r.input);
  if (opts.type == CancelType::kPlan) {
    if (!plan) return std::unexpected(plan.error());
    return CancelPlan(w, opts, std::move(*plan), r);
  }
  auto task = ResolveTask(w, r.input);
  if (plan && task) {
    return Fail(Code::kAmbiguousId,
                fmt::format("'{}' names both plan {} and task {}; add --type plan or --type task",
                            r.input, plan->hash_id, task->hash_id));
  }
  if (plan) return CancelPlan(w, opts, std::move(*plan), r);
  if (task) return CancelTask(ctx, w, opts, std::move(*task), r);
  // Neither: report the more specific of the two failures.
  if (task.error().code == Code::kAmbiguousId) return std::unexpected(task.error());
  if (plan.error().code == Code::kAmbiguousId) return std::unexpected(plan.error());
  return Fail(Code::kTaskNotFound,
              fmt::format("no plan or task matches '{}'; list them with `tg status --tasks` or "
                          "`tg plan list`",
                          r.input));
}

}  // namespace

Status ValidateStart(const StartOptions& opts) {
  return opts.lease ? CheckDuration("the lease", *opts.lease, kLeaseRange) : Ok();
}

Result<BatchOutcome> Start(Context& ctx, const std::vector<std::string>& ids,
                           const StartOptions& opts) {
  TG_TRY(ValidateStart(opts));
  return RunBatch(ctx, ids, "task: start",
                  [&](store::Writer& w, ItemResult& r) { return ClaimOne(ctx, w, opts, r); });
}

Status ValidateDone(const DoneOptions& opts) {
  bool blank = opts.evidence.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    return Fail(Code::kValidationFailed,
                "--evidence is required: say what shows the work is done (tests run, commit, "
                "output)");
  }
  TG_TRY(CheckText("evidence", opts.evidence, TextKind::kMultiLine));
  if (opts.checks) TG_TRY(CheckJson("--checks", *opts.checks));
  for (auto [what, v] : {std::pair{"--tokens-in", opts.tokens_in},
                         {"--tokens-out", opts.tokens_out},
                         {"--tool-calls", opts.tool_calls}}) {
    if (v) TG_TRY(CheckRange(what, *v, kCountRange));
  }
  return Ok();
}

Result<BatchOutcome> Done(Context& ctx, const std::vector<std::string>& ids,
                          const DoneOptions& opts) {
  TG_TRY(ValidateDone(opts));
  return RunBatch(ctx, ids, "task: done",
                  [&](store::Writer& w, ItemResult& r) { return DoneOne(ctx, w, opts, r); });
}

Result<BatchOutcome> Note(Context& ctx, const std::vector<std::string>& ids,
                          const NoteOptions& opts) {
  if (opts.message.empty()) {
    return Fail(Code::kValidationFailed, "--msg is required and must not be empty");
  }
  TG_TRY(CheckText("note", opts.message, TextKind::kMultiLine));
  return RunBatch(ctx, ids, "task: note",
                  [&](store::Writer& w, ItemResult& r) { return NoteOne(ctx, w, opts, r); });
}

Result<BatchOutcome> Release(Context& ctx, const std::vector<std::string>& ids, bool force) {
  return RunBatch(ctx, ids, "task: release",
                  [&](store::Writer& w, ItemResult& r) { return ReleaseOne(ctx, w, force, r); });
}

Result<BatchOutcome> Reopen(Context& ctx, const std::vector<std::string>& ids,
                            const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(Code::kValidationFailed, "--reason is required: say why the task is reopened");
  }
  TG_TRY(CheckText("reason", reason, TextKind::kSingleLine));
  return RunBatch(ctx, ids, "task: reopen",
                  [&](store::Writer& w, ItemResult& r) { return ReopenOne(ctx, w, reason, r); });
}

Result<BatchOutcome> Cancel(Context& ctx, const std::vector<std::string>& ids,
                            const CancelOptions& opts) {
  TG_TRY(CheckTextIfSet("reason", opts.reason, TextKind::kSingleLine));
  return RunBatch(ctx, ids, "cancel",
                  [&](store::Writer& w, ItemResult& r) { return CancelOne(ctx, w, opts, r); });
}

}  // namespace tg::app
