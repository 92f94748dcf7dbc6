// The domain model: plans, tasks, edges, events, gates and commits, and the status rules that
// hold whatever the store is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace tg {

enum class TaskStatus { kTodo, kDoing, kBlocked, kDone, kCanceled };
enum class PlanStatus { kDraft, kActive, kPaused, kDone, kAbandoned };
enum class Risk { kLow, kMedium, kHigh };
enum class EdgeType { kBlocks, kRelates };
enum class GateType { kHuman, kCi, kWebhook };
enum class GateStatus { kPending, kResolved };

std::string_view ToString(TaskStatus s);
std::string_view ToString(PlanStatus s);
std::string_view ToString(Risk r);
std::string_view ToString(EdgeType t);
std::string_view ToString(GateType t);
std::string_view ToString(GateStatus s);
std::optional<TaskStatus> ParseTaskStatus(std::string_view s);
std::optional<PlanStatus> ParsePlanStatus(std::string_view s);
std::optional<Risk> ParseRisk(std::string_view s);
std::optional<EdgeType> ParseEdgeType(std::string_view s);
std::optional<GateType> ParseGateType(std::string_view s);
std::optional<GateStatus> ParseGateStatus(std::string_view s);

// The seven change types a task or plan todo may declare, in their documented order.
const std::vector<std::string_view>& ChangeTypes();
bool IsChangeType(std::string_view s);
// "create, modify, ..., document": for messages that list what is accepted.
std::string ChangeTypeList();

// Titles of plans and tasks and names of gates: 1 to this many characters (code points),
// wherever they come from (a flag, a plan file, a template).
inline constexpr size_t kMaxTitleChars = 255;

// done and canceled are terminal: only reopen leaves them.
inline bool IsTerminal(TaskStatus s) {
  return s == TaskStatus::kDone || s == TaskStatus::kCanceled;
}

struct Plan {
  std::string plan_id;
  std::string hash_id;
  std::string title;
  std::string intent;
  PlanStatus status = PlanStatus::kDraft;
  std::optional<int> priority;  // 1 = most important; unset sorts last
  std::optional<std::string> source_path;
  std::optional<std::string> overview;
  std::optional<std::string> file_tree;
  std::optional<std::string> risks;  // JSON text
  std::optional<std::string> tests;  // JSON text
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Task {
  std::string task_id;
  std::string hash_id;
  std::string plan_id;
  std::string plan_title;  // joined from the plan for display
  std::optional<std::string> external_key;
  std::string title;
  std::optional<std::string> intent;
  std::optional<std::string> feature_key;
  std::optional<std::string> area;
  std::optional<std::string> acceptance;  // JSON text
  std::optional<std::string> tests;       // JSON text: a list of how to check it
  TaskStatus status = TaskStatus::kTodo;
  std::optional<int> priority;
  Risk risk = Risk::kLow;
  std::optional<int> estimate_mins;
  std::optional<std::string> change_type;
  std::optional<std::string> suggested_changes;
  std::optional<std::string> agent;  // preferred sub-agent from a plan, not the claimant
  std::optional<std::string> claimed_by;
  std::optional<Millis> claimed_at;
  std::optional<Millis> lease_expires_at;
  std::optional<Millis> started_at;
  std::optional<Millis> ended_at;
  Millis created_at = 0;
  Millis updated_at = 0;
  // Derived on read, never stored: short ids of the unmet blockers (tasks and pending gates) of
  // a blocked or doing task, so every view can show blocked-while-doing.
  std::vector<std::string> blocked_by;
  // Derived by the read views from the clock: LeaseExpired(now) at the time of reading.
  bool lease_expired = false;

  bool operator==(const Task&) const = default;

  // A doing task whose claim has run out: any agent may take it over.
  bool LeaseExpired(Millis now) const {
    return status == TaskStatus::kDoing && lease_expires_at && *lease_expires_at <= now;
  }
};

struct Edge {
  std::string from_task_id;
  std::string to_task_id;
  EdgeType type = EdgeType::kBlocks;
  std::optional<std::string> reason;
  Millis created_at = 0;
};

struct Event {
  std::string event_id;
  std::string task_id;
  std::string kind;  // created, started, done, note, blocked, unblocked, split, released, ...
  std::string body;  // JSON object text
  std::string agent;
  Millis created_at = 0;
};

struct Gate {
  std::string gate_id;
  std::string hash_id;
  std::string name;
  GateType gate_type = GateType::kHuman;
  GateStatus status = GateStatus::kPending;
  std::string task_id;
  Millis created_at = 0;
  std::optional<Millis> resolved_at;
  std::optional<std::string> resolved_by;  // the agent that resolved it
  std::optional<std::string> reason;       // why, from `gate resolve --reason`
};

struct Commit {
  int64_t seq = 0;  // 0 for the pending record
  std::string commit_id;
  std::optional<std::string> parent;
  Millis time = 0;
  std::string author;
  std::string message;
  int changes = 0;
  std::vector<std::string> co_authors;  // authors of absorbed --no-commit changes
  bool pending = false;
  // The commits this one takes back (revert, undo), newest first; `undo` marks an undo, which
  // `tg undo` never picks itself (contract section 12).
  std::vector<std::string> reverts;
  bool undo = false;
  // Filled by the log only: the first tasks the commit touched (short id, current title) and
  // how many it touched in all, so a log line says what it was about.
  struct TaskRef {
    std::string hash_id, title;
    bool operator==(const TaskRef&) const = default;
  };
  std::vector<TaskRef> tasks;
  int task_count = 0;
};

// A read-only picture of (part of) the graph, for exports: plans, their tasks, the edges
// between those tasks, and each task's doc and skill slugs.
struct GraphSnapshot {
  std::vector<Plan> plans;
  std::vector<Task> tasks;
  std::vector<Edge> edges;
  std::map<std::string, std::vector<std::string>> docs, skills;  // by task_id
};

// The unmet-blocker rule (contract section 3): a `blocks` edge holds its target back while the
// blocking task is unfinished, and a gate while it is pending. The store's queries express the
// same rule once, in the schema's `unmet_blockers` view; doctor recomputes it from raw rows with
// these two functions and compares.
inline bool HoldsBack(TaskStatus blocker) { return !IsTerminal(blocker); }
inline bool HoldsBack(GateStatus gate) { return gate == GateStatus::kPending; }

// The blocked state a task should have given its unmet blockers (edges + pending gates):
// todo <-> blocked; doing, done and canceled never change here (contract section 3).
TaskStatus MaterializedStatus(TaskStatus current, int unmet_blockers);

// How many of a plan's tasks are in each status.
struct StatusCounts {
  int todo = 0, doing = 0, blocked = 0, done = 0, canceled = 0;
  int total() const { return todo + doing + blocked + done + canceled; }
};

// Which statuses occur among a plan's tasks: all that settling the plan needs, and cheap to
// read from an index however large the plan is.
struct PlanProgress {
  bool open = false;     // some task is todo, doing or blocked
  bool started = false;  // some task is doing or done
  bool done = false;     // some task is done
};
PlanProgress ProgressOf(const StatusCounts& c);

// The plan lifecycle (contract section 3), the one definition: draft -> active once work has
// started; done when no task is open and at least one is done; back to active when a done plan
// gains open work; abandoned stays abandoned.
PlanStatus SettledPlanStatus(PlanStatus current, const PlanProgress& p);

}  // namespace tg
