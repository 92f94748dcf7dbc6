// Read-only use cases: next, show, status, lists and the log. Each reads one snapshot and
// never writes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"
#include "store/store.h"

namespace tg::app {

struct NextQuery {
  std::optional<std::string> plan;  // id or title
  int limit = 10;
  bool all = false;  // include abandoned plans
  std::optional<std::string> doc, skill, change_type;
};
Result<std::vector<Task>> Next(Context& ctx, const NextQuery& q);
// The store filter for `q` (its plan resolved in `r`): the one definition of what `next` and
// `next --claim` look at.
Result<store::TaskFilter> NextFilter(store::Reader& r, const NextQuery& q);

struct TaskDetail {
  Millis as_of = 0;  // the snapshot's time
  Task task;
  std::vector<store::Related> blockers;    // incoming blocks edges
  std::vector<store::Related> dependents;  // outgoing edges
  std::vector<store::Related> related;     // incoming relates edges
  std::vector<std::string> blocked_by;     // short ids of unmet blockers, gates included
  std::vector<Gate> gates;
  std::vector<Event> events;  // newest first
  std::vector<Event> notes;   // newest first
  std::optional<Event> done;  // the latest done event of a done task: evidence, checks, tokens
  std::vector<std::string> docs, skills;
};
Result<TaskDetail> Show(Context& ctx, const std::string& task_ref);

struct PlanRow {
  Plan plan;
  StatusCounts counts;
  int actionable = 0;  // runnable now
};

struct StaleTask {
  Task task;
  double age_hours = 0;
  bool lease_expired = false;
};

struct StatusQuery {
  std::optional<std::string> plan;
  bool all = false;                // include canceled tasks and abandoned plans
  bool active_only = false;        // --filter active: unfinished tasks / plans
  bool upcoming_only = false;      // --filter upcoming: tasks not started yet / draft plans
  std::optional<int> stale_hours;  // --stale-threshold; default stale_hours from config
  std::optional<std::string> doc, skill, change_type;
  // For the dashboard, which redraws after every commit: leave out what it does not show (the
  // totals counted from events, the stale and active-work lists).
  bool light = false;
};

struct StatusSummary {
  int completed_plans = 0, completed_tasks = 0, canceled_tasks = 0;
  std::vector<PlanRow> active_plans;
  std::vector<StaleTask> stale_tasks;
  int plans_count = 0;
  std::map<std::string, int> status_counts;
  int actionable_count = 0;
  std::vector<Task> next_tasks;  // first 3 runnable
  std::vector<Task> next7_runnable_tasks;
  std::vector<Task> last7_completed_tasks;
  std::vector<Plan> next7_upcoming_plans;
  std::vector<Plan> last7_completed_plans;
  std::vector<Task> active_work;  // doing
  int agent_count = 0;
  int sub_agent_runs = 0;     // done events
  int investigator_runs = 0;  // done events by the agent named "investigator"
  double total_agent_hours = 0;
  Millis now = 0;
};
Result<StatusSummary> Summarize(Context& ctx, const StatusQuery& q);
Result<std::vector<Task>> StatusTasks(Context& ctx, const StatusQuery& q);
Result<std::vector<PlanRow>> StatusProjects(Context& ctx, const StatusQuery& q);

Result<std::vector<Plan>> ListPlans(Context& ctx, bool abandoned_only);
struct GateRow {
  Gate gate;
  std::string task_hash_id, task_title;
};
Result<std::vector<GateRow>> ListGates(Context& ctx, bool pending_only);

// Commits newest first, the pending record (if any) in front.
Result<std::vector<Commit>> Log(Context& ctx, int limit, const std::optional<std::string>& task);

}  // namespace tg::app
