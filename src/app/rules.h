// Rules that several use cases share, applied inside the caller's write transaction: the
// materialised blocked status, the cycle check, the plan lifecycle, the end of a claim and
// event writing. The rules themselves are defined once in core/model.h; these apply them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "app/context.h"
#include "core/limits.h"
#include "core/model.h"
#include "core/text.h"

namespace tg::app {

// Appends an event to a task's log.
Status AddEvent(store::Writer& w, IdSource& ids, const std::string& task_id, std::string_view kind,
                const nlohmann::json& body, const std::string& agent);
// The same with the body already serialised (StringFieldsJson).
Status AddEventJson(store::Writer& w, IdSource& ids, const std::string& task_id,
                    std::string_view kind, std::string body_json, const std::string& agent);
// An event body of string fields, serialised as AddEvent serialises a json object: the fields
// must come in key order (a json object sorts its keys). For writers of many events at once:
// an import of 100,000 todos spent a fifth of its event writing building json objects.
std::string StringFieldsJson(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

// Recomputes one task's blocked status from its unmet blockers (edges from unfinished tasks,
// pending gates): todo <-> blocked, logging a blocked/unblocked event on change.
Status SyncBlocked(store::Writer& w, IdSource& ids, const std::string& task_id,
                   const std::string& agent);
// SyncBlocked for every task that `task_id` blocks.
Status SyncDependents(store::Writer& w, IdSource& ids, const std::string& task_id,
                      const std::string& agent);

// CYCLE_DETECTED, naming the cycle by short ids, when a blocking edge from -> to would close
// one (including from == to).
Status CheckNoCycle(store::Reader& r, const Task& from, const Task& to);

// Brings the plan's status in line with its tasks (core's SettledPlanStatus); returns true if
// the plan became done just now.
Result<bool> SettlePlan(store::Writer& w, const std::string& plan_id);

// Moves `t` to `status` (done, todo, canceled) and drops its claim and lease: the one way a
// claim ends (done, release, cancel, recover, split).
Status EndClaim(store::Writer& w, Task& t, TaskStatus status);

// The lease a claim gets: `lease` when given, else lease_minutes from config.json.
Millis LeaseLength(const Context& ctx, std::optional<Millis> lease);

// Renews the claim on `t` to run until `expires_at`, or leaves it when it already runs longer:
// a heartbeat never shortens a lease the claimant asked for (start --lease 8h, then the
// default 2h heartbeats).
Status ExtendLease(store::Writer& w, const Task& t, Millis expires_at);

// The message for a failed claim check: who holds the task and since when.
std::string HeldBy(const Task& t, Millis now);

// Titles of plans and tasks, names of gates: VALIDATION_FAILED naming `what` unless 1 to
// kMaxTitleChars characters of single-line text (core/text.h).
Status CheckTitle(std::string_view what, std::string_view title);

// Any other text field: VALIDATION_FAILED naming `what` ("area", "note") unless it is valid
// text of this kind within its length limit (core/text.h).
Status CheckText(std::string_view what, std::string_view text, TextKind kind);
Status CheckTextIfSet(std::string_view what, const std::optional<std::string>& text, TextKind kind);

// A number a caller passes: VALIDATION_FAILED naming `what` unless it is within `range`.
Status CheckRange(std::string_view what, int64_t value, const Range& range);
// A duration: the same, with the range and value written as durations ("1s to 30d").
Status CheckDuration(std::string_view what, Millis value, const Range& range);

// JSON text a caller wants stored (--checks, --acceptance): VALIDATION_FAILED unless it parses
// and nests at most kMaxJsonDepth deep.
Status CheckJson(std::string_view what, std::string_view text);

// Who is acting and the commit message they gave, checked once per command before the store
// is touched: both are single-line text stored on every event and commit.
Status CheckActor(std::string_view agent, const std::optional<std::string>& commit_message);

}  // namespace tg::app
