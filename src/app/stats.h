// tg stats: throughput and durations from the event log (contract section 13, original-tg
// 4.25). A task's elapsed time runs from its latest start (started or reclaimed) to its done
// event; its agent is the one who claimed it then (else the one who marked it done). Review
// notes (`{"type":"review","verdict":"PASS|FAIL"}`) count for the agent whose work they judge:
// the task's claimant at the time of the note. Tokens and tool calls are the self-reported
// figures of `done --tokens-in/--tokens-out/--tool-calls`, summed per agent (the original
// grouped them by the task's owner column instead).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"

namespace tg::app {

struct StatsQuery {
  std::optional<std::string> agent;  // --agent: only this agent's work
  std::optional<std::string> plan;   // --plan: that plan's summary and tasks
  bool timeline = false;             // --timeline: one row per plan
};

// One completion: a done event paired with the start before it.
struct TaskTiming {
  std::string task_id, hash_id, title, plan_id, plan_title;
  std::string agent;
  std::optional<Millis> started_at;
  Millis done_at = 0;
  std::optional<int64_t> elapsed_ms;  // nullopt: done without a recorded start
  std::optional<int64_t> tokens_in, tokens_out, tool_calls;
};

struct AgentStats {
  std::string agent;
  int tasks_done = 0;
  std::optional<int64_t> median_ms, mean_ms;  // over completions with a start
  int review_pass = 0, review_fail = 0;
  int reported = 0;  // completions that reported any token or tool-call figure
  int64_t tokens_in = 0, tokens_out = 0, tool_calls = 0;
};

struct PlanStats {
  Plan plan;
  std::optional<Millis> started_at;    // first start of one of its tasks
  std::optional<Millis> completed_at;  // last done, once the plan is done
  std::optional<Millis> last_done_at;  // last done so far
  int task_count = 0;                  // tasks, canceled ones excluded
  int done_count = 0;
  std::optional<int64_t> elapsed_ms;        // first start to last done (or to now, if open)
  std::optional<double> velocity_per_hour;  // completions per hour over elapsed_ms
  std::vector<TaskTiming> slowest;          // --plan: its completions, slowest first
};

struct Stats {
  Millis now = 0;
  std::vector<AgentStats> agents;  // most tasks done first, then by name
  std::vector<PlanStats> plans;    // --plan: one; --timeline: newest start first
};

// VALIDATION_FAILED for a bad --agent; PLAN_NOT_FOUND / AMBIGUOUS_ID for --plan.
Result<Stats> ComputeStats(Context& ctx, const StatsQuery& q);

// Median of `v` (sorted in place), the mean of the two middle values for an even count.
std::optional<int64_t> MedianOf(std::vector<int64_t>& v);

}  // namespace tg::app
