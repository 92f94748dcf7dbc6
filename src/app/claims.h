// The agent loop's writes: start (claim), done, note, release, reopen and cancel. Each takes
// several ids and returns one result per id (see batch.h).
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/batch.h"

namespace tg::app {

struct StartOptions {
  bool force = false;           // take over a live claim of another agent
  std::optional<Millis> lease;  // lease length; default lease_minutes from config
  // Runs once a claim is won, before its event is written, and may add to the event's body
  // (start --worktree records the worktree there); a failure undoes the claim.
  std::function<Status(const Task&, nlohmann::json& event_body)> on_claim;
};
// VALIDATION_FAILED for a lease outside kLeaseRange.
Status ValidateStart(const StartOptions& opts);
Result<BatchOutcome> Start(Context& ctx, const std::vector<std::string>& ids,
                           const StartOptions& opts);
// What a start by `agent` at `now` does with t: the one rule behind ClaimOne, and behind the
// worktree that `start --worktree` makes ahead of the claim's write transaction.
enum class ClaimVerdict {
  kClaim,         // todo: claim it
  kTakeOver,      // another agent's claim whose lease expired: reclaim it
  kForce,         // another agent's live claim, taken over with --force
  kAlreadyYours,  // the agent's own claim: renew its lease
  kHeld,          // another agent's live claim: TASK_ALREADY_CLAIMED
  kBlocked,       // TASK_NOT_RUNNABLE
  kClosed,        // done or canceled: INVALID_TRANSITION
};
ClaimVerdict JudgeClaim(const Task& t, const std::string& agent, bool force, Millis now);
// Whether the verdict makes a new claim (an event, and a worktree with --worktree).
inline bool MakesClaim(ClaimVerdict v) {
  return v == ClaimVerdict::kClaim || v == ClaimVerdict::kTakeOver || v == ClaimVerdict::kForce;
}
// One claim inside the caller's write transaction: r.input names the task. Used by Start and
// by `next --claim`.
Status ClaimOne(Context& ctx, store::Writer& w, const StartOptions& opts, ItemResult& r);

// TASK_ALREADY_CLAIMED naming the new holder (or who finished the task) when the acting named
// agent held a claim on `t` that another agent took over (start --force, a reclaimed lease)
// and has not claimed it again since: its done, note or heartbeat would otherwise land on work
// that is no longer its own, or be dropped as "already done". `what` says what was not recorded.
Status CheckNotTakenOver(const Context& ctx, store::Reader& r, const Task& t,
                         std::string_view what);

struct DoneOptions {
  std::string evidence;               // required: what shows the work is done
  std::optional<std::string> checks;  // JSON text
  bool force = false;                 // finish a task that is not doing, or still blocked
  std::optional<int64_t> tokens_in, tokens_out, tool_calls;
};
// Checks the options before anything is written: VALIDATION_FAILED for a missing evidence,
// malformed --checks or a count out of range.
Status ValidateDone(const DoneOptions& opts);
Result<BatchOutcome> Done(Context& ctx, const std::vector<std::string>& ids,
                          const DoneOptions& opts);

struct NoteOptions {
  std::string message;
  bool force = false;
};
Result<BatchOutcome> Note(Context& ctx, const std::vector<std::string>& ids,
                          const NoteOptions& opts);

Result<BatchOutcome> Release(Context& ctx, const std::vector<std::string>& ids, bool force);

Result<BatchOutcome> Reopen(Context& ctx, const std::vector<std::string>& ids,
                            const std::string& reason);

enum class CancelType { kAuto, kPlan, kTask };
struct CancelOptions {
  CancelType type = CancelType::kAuto;
  std::optional<std::string> reason;
  bool include_done = false;  // abandon a plan that is already done
};
Result<BatchOutcome> Cancel(Context& ctx, const std::vector<std::string>& ids,
                            const CancelOptions& opts);

}  // namespace tg::app
