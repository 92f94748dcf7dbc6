// Claims that expire (contract section 3): heartbeats extend them, `recover` releases the
// expired ones, and `next --claim` picks and claims in one transaction.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/batch.h"
#include "app/views.h"

namespace tg::app {

// Extends the lease of each task (doing, and yours unless --force) to `lease` (default
// lease_minutes) from now, never shortening it. Not a history commit.
Result<BatchOutcome> Heartbeat(Context& ctx, const std::vector<std::string>& ids,
                               std::optional<Millis> lease, bool force);

struct RecoverOptions {
  bool dry_run = false;
  std::optional<int> older_than_hours;  // also claims older than this, whatever their lease
};
struct Recovered {
  Task task;  // as it was: doing, with its claimant
  double age_hours = 0;
};
// Releases every expired claim (doing -> todo/blocked) in one commit; dry_run only lists.
Result<Written<std::vector<Recovered>>> Recover(Context& ctx, const RecoverOptions& opts);

struct ClaimOptions {
  NextQuery query;  // the same filters as `next` (limit ignored)
  std::optional<Millis> lease;
  std::optional<Millis> wait;  // wait this long for a task to become runnable
  std::function<Status(const Task&, nlohmann::json&)> on_claim;  // as StartOptions::on_claim
};
// VALIDATION_FAILED for a lease or wait outside its range (core/limits.h).
Status ValidateClaim(const ClaimOptions& opts);
// Picks the first runnable task and claims it for ctx.agent in one transaction (an expired
// claim is taken over). nullopt: nothing runnable (within the wait).
Result<Written<std::optional<Task>>> ClaimNext(Context& ctx, const ClaimOptions& opts);

}  // namespace tg::app
