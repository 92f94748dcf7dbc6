// Building the graph: plans, tasks, edges, splits and gates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"

namespace tg::app {

struct NewPlan {
  std::string title;
  std::string intent;
  std::optional<std::string> source_path;
  std::optional<int> priority;
};
Result<Written<Plan>> CreatePlan(Context& ctx, const NewPlan& in);
// priority nullopt clears it (unset sorts last).
Result<Written<Plan>> SetPlanPriority(Context& ctx, const std::string& plan_ref,
                                      std::optional<int> priority);

// Fields of a task that people set; nullopt leaves a field as it is.
struct TaskFields {
  std::optional<std::string> title, intent, area, feature_key, change_type, acceptance;
  std::optional<std::optional<int>> priority, estimate_mins;  // inner nullopt clears
  std::optional<Risk> risk;
  std::optional<std::vector<std::string>> docs, skills;
};
// Checks values before anything is written (VALIDATION_FAILED).
Status ValidateTaskFields(const TaskFields& f);
Result<Written<Task>> CreateTask(Context& ctx, const std::string& plan_ref, const TaskFields& f);
Result<Written<Task>> UpdateTask(Context& ctx, const std::string& task_ref, const TaskFields& f);

struct EdgeOutcome {
  Task from, to;
  EdgeType type = EdgeType::kBlocks;
  std::optional<std::string> reason;
  bool changed = false;  // false: the edge already existed (add) or was absent (remove)
};
Result<Written<EdgeOutcome>> AddEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                     const std::string& to_ref,
                                     const std::optional<std::string>& reason);
Result<Written<EdgeOutcome>> RemoveEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                        const std::string& to_ref);

struct SplitOptions {
  std::vector<std::string> titles;
  bool keep_original = true;
  bool new_to_original = false;  // --link-direction new-to-original
};
struct SplitOutcome {
  Task original;
  std::vector<Task> created;
};
Result<Written<SplitOutcome>> Split(Context& ctx, const std::string& task_ref,
                                    const SplitOptions& opts);

struct GateOutcome {
  Gate gate;
  Task task;
};
Result<Written<GateOutcome>> CreateGate(Context& ctx, const std::string& name,
                                        const std::string& task_ref, GateType type);
// Records who resolved it (the acting agent), when, and `reason`, also as a gate_resolved
// event on the task.
Result<Written<GateOutcome>> ResolveGateCmd(Context& ctx, const std::string& gate_ref,
                                            const std::optional<std::string>& reason);

}  // namespace tg::app
