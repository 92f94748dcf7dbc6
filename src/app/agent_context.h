// What an agent reads before and while working: one task's context (`tg context <id>`), what
// every agent is doing now (`tg context --hive`), a plan's summary, and graph snapshots for
// exports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/heartbeat.h"
#include "core/model.h"

namespace tg::app {

struct ContextBlocker {
  Task task;
  std::optional<std::string> evidence;  // the latest done evidence of a finished blocker
};

struct TaskContext {
  Task task;
  Plan plan;
  std::vector<std::string> docs, skills;
  std::vector<ContextBlocker> blockers;  // immediate (incoming blocks edges)
  std::vector<Gate> pending_gates;
  std::vector<Event> notes;         // newest first, at most 10
  std::optional<int> token_budget;  // context_token_budget from config.json
};
Result<TaskContext> ContextOf(Context& ctx, const std::string& task_ref);

struct HiveEntry {
  Task task;
  std::optional<Event> heartbeat;     // latest note whose message is {"type":"heartbeat",...}
  std::optional<HeartbeatNote> beat;  // that note's phase and files
  std::vector<Event> recent_notes;    // newest first, at most 5
  std::optional<Millis> last_seen;    // the claim's last sign of life: claimed, any heartbeat
};
struct HiveView {
  Millis as_of = 0;  // the snapshot's time
  std::vector<HiveEntry> entries;
};
// Every doing task of the open plans (or of `plan_ref`), with its latest heartbeat note: what
// `context --hive` and `tg agents` show.
Result<HiveView> Hive(Context& ctx, const std::optional<std::string>& plan_ref = std::nullopt);

struct PlanSummary {
  Plan plan;
  int task_count = 0;
  std::vector<std::pair<Task, std::optional<std::string>>> done;  // with latest evidence
  std::vector<Event> notes;  // notes on the done tasks, oldest first
};
Result<PlanSummary> SummarizePlan(Context& ctx, const std::string& plan_ref);

// Every plan (or one) with its tasks, the edges among them, docs and skills.
Result<GraphSnapshot> Snapshot(Context& ctx, const std::optional<std::string>& plan_ref);

}  // namespace tg::app
