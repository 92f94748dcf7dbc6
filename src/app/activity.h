// What is happening now, for `tg status` and `tg dashboard` (contract section 13): each doing
// task with its agent, phase, last sign of life and lease; the gates waiting on a person; the
// latest completions. One snapshot, read-only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/views.h"

namespace tg::app {

struct DoingRow {
  Task task;
  std::optional<std::string> phase;  // from the latest heartbeat note
  std::vector<std::string> files;    // ditto
  // The last sign of life: the claim, a `tg heartbeat`, a heartbeat note (claims made before
  // this was recorded fall back to the claim time).
  std::optional<Millis> last_seen;
};

struct DoneRow {
  Task task;
  std::string agent;  // who marked it done
};

struct Activity {
  Millis now = 0;
  std::vector<DoingRow> doing;         // most recently claimed first
  std::vector<GateRow> pending_gates;  // newest first
  std::vector<DoneRow> recent_done;    // most recently finished first
};

struct ActivityQuery {
  std::optional<std::string> plan;  // id or title
  int recent = 5;                   // completions to list
};

Result<Activity> ReadActivity(Context& ctx, const ActivityQuery& q);
// The same on a snapshot the caller holds (the dashboard reads everything in one).
Result<Activity> ReadActivity(store::Reader& r, const std::optional<std::string>& plan_id,
                              int recent);

// Every event of the tasks in `g` (plans of `g` only), by task id, oldest first: the details of
// `export html`.
Result<std::map<std::string, std::vector<Event>>> EventsByTask(Context& ctx,
                                                               const GraphSnapshot& g);

}  // namespace tg::app
