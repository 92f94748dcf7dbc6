#include "app/leases.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/claims.h"
#include "app/resolve.h"
#include "app/rules.h"

namespace tg::app {

Result<BatchOutcome> Heartbeat(Context& ctx, const std::vector<std::string>& ids,
                               std::optional<Millis> lease, bool force) {
  if (lease) TG_TRY(CheckDuration("the lease", *lease, kLeaseRange));
  return RunBatch(ctx, ids, "task: heartbeat", [&](store::Writer& w, ItemResult& r) -> Status {
    const Millis now = w.Now();
    TG_ASSIGN(Task t, ResolveTask(w, r.input));
    r.task = t;
    if (!force) TG_TRY(CheckNotTakenOver(ctx, w, t, "the heartbeat"));
    if (t.status != TaskStatus::kDoing) {
      return Fail(Code::kInvalidTransition, fmt::format("task {} is {}, not doing; start it first",
                                                        t.hash_id, ToString(t.status)));
    }
    if (!force && ctx.agent_explicit && t.claimed_by && *t.claimed_by != ctx.agent) {
      return Fail(Code::kTaskAlreadyClaimed,
                  t.LeaseExpired(now)
                      ? fmt::format("task {} was claimed by {} and its lease expired; take it "
                                    "over with `tg start {}`",
                                    t.hash_id, *t.claimed_by, t.hash_id)
                      : fmt::format("task {} is claimed by {}; only the claimant extends its lease "
                                    "(--force extends it anyway)",
                                    t.hash_id, *t.claimed_by));
    }
    TG_TRY(ExtendLease(w, t, now + LeaseLength(ctx, lease)));
    TG_ASSIGN(auto fresh, w.GetTask(t.task_id));
    r.task = *fresh;
    r.info = "lease until " + FormatIso(*fresh->lease_expires_at);
    return Ok();
  });
}

Result<Written<std::vector<Recovered>>> Recover(Context& ctx, const RecoverOptions& opts) {
  if (opts.older_than_hours) TG_TRY(CheckRange("--threshold", *opts.older_than_hours, kHoursRange));
  TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
  const Millis now = w->Now();
  Written<std::vector<Recovered>> out;
  TG_ASSIGN(auto doing, w->TasksWithStatus(TaskStatus::kDoing));
  for (const auto& t : doing) {
    double age = t.claimed_at ? double(now - *t.claimed_at) / 3.6e6 : 0.0;
    bool old = opts.older_than_hours && t.claimed_at &&
               now - *t.claimed_at >= Millis{*opts.older_than_hours} * 3'600'000;
    if (!t.LeaseExpired(now) && !old) continue;
    out.value.push_back(Recovered{t, age});
    if (opts.dry_run) continue;
    Task r = t;
    TG_TRY(EndClaim(*w, r, TaskStatus::kTodo));
    nlohmann::json body{{"agent", ctx.agent}, {"previous_agent", t.claimed_by.value_or("")}};
    if (t.lease_expires_at) body["lease_expired_at"] = FormatIso(*t.lease_expires_at);
    TG_TRY(AddEvent(*w, ctx.ids, t.task_id, "recovered", body, ctx.agent));
    TG_TRY(SyncBlocked(*w, ctx.ids, t.task_id, ctx.agent));
  }
  std::string message = fmt::format("recover: released {} expired claim(s)", out.value.size());
  TG_ASSIGN(out.commit, w->Commit(ctx.agent, message, ctx.ids, ctx.commit));
  return out;
}

namespace {

// What a waiting `next --claim` sees when it looks: whether anything is runnable, and if not,
// how long until a claim it could take over runs out (it must wake then: no commit will).
constexpr int64_t kMinWakeMs = 20;

struct Look {
  bool runnable = false;
  std::optional<int64_t> wake_in_ms;
};

Result<Look> LookForWork(Context& ctx, const NextQuery& q) {
  TG_ASSIGN(auto r, ctx.store.Read());
  TG_ASSIGN(store::TaskFilter f, NextFilter(*r, q));
  f.limit = 1;
  TG_ASSIGN(auto runnable, r->NextTasks(f));
  Look look{!runnable.empty(), std::nullopt};
  if (look.runnable) return look;
  TG_ASSIGN(auto expiry, r->NextLeaseExpiry(f));
  // At least a few milliseconds: under a fixed clock (TG_NOW) the lease never comes closer.
  if (expiry) look.wake_in_ms = std::max<int64_t>(*expiry - r->Now(), kMinWakeMs);
  return look;
}

}  // namespace

Status ValidateClaim(const ClaimOptions& opts) {
  if (opts.lease) TG_TRY(CheckDuration("the lease", *opts.lease, kLeaseRange));
  if (opts.wait) TG_TRY(CheckDuration("--wait", *opts.wait, kWaitRange));
  return Ok();
}

Result<Written<std::optional<Task>>> ClaimNext(Context& ctx, const ClaimOptions& opts) {
  TG_TRY(ValidateClaim(opts));
  std::unique_ptr<store::ChangeWatch> watcher;
  if (opts.wait) {
    // Watch before the first attempt, so a commit in between wakes us.
    TG_ASSIGN(watcher, ctx.store.Watch(*opts.wait));
  }
  for (;;) {
    // Look before queueing for the write lock: waiting agents must not keep the lock busy.
    if (watcher) {
      TG_ASSIGN(Look look, LookForWork(ctx, opts.query));
      if (!look.runnable) {
        if (!watcher->Wait(look.wake_in_ms)) return Written<std::optional<Task>>{};
        continue;
      }
    }
    TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
    TG_ASSIGN(store::TaskFilter f, NextFilter(*w, opts.query));
    f.limit = 1;
    TG_ASSIGN(auto next, w->NextTasks(f));
    Written<std::optional<Task>> out;
    if (!next.empty()) {
      ItemResult r;
      r.input = next.front().task_id;
      StartOptions so;
      so.lease = opts.lease;
      so.on_claim = opts.on_claim;
      TG_TRY(ClaimOne(ctx, *w, so, r));
      out.value = r.task;
      TG_ASSIGN(out.commit, w->Commit(ctx.agent, "task: claim " + r.task->hash_id + " (next)",
                                      ctx.ids, ctx.commit));
      return out;
    }
    std::optional<int64_t> wake_in;
    if (watcher) {
      TG_ASSIGN(auto expiry, w->NextLeaseExpiry(f));
      if (expiry) wake_in = std::max<int64_t>(*expiry - w->Now(), kMinWakeMs);
    }
    TG_TRY(w->Commit(ctx.agent, "", ctx.ids, ctx.commit));
    if (!watcher || !watcher->Wait(wake_in)) return out;
  }
}

}  // namespace tg::app
