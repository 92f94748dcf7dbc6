// Typed queries: the only SQL in tg. Every function takes the connection of an open
// transaction (ReadTxn or WriteTxn) and returns domain types from core/model.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "store/sqlite.h"

namespace tg::store {

// ---- identity (ids.cc) ----
struct IdMatch {
  std::string id;
  std::string hash_id;
  std::string title;
};
enum class Entity { kTask, kPlan, kGate };
// Candidates for an id argument by the contract's order: exact UUID, exact short id, then
// prefix of the short-id digits or the UUID's hex digits. Stops at the first step that
// matches; returns at most `limit` rows.
Result<std::vector<IdMatch>> MatchIds(Db& db, Entity entity, std::string_view input, int limit);
// Plans by exact title, then by unique case-insensitive title.
Result<std::vector<IdMatch>> MatchPlanTitle(Db& db, std::string_view title, int limit);
// A fresh short id for `uuid`: prefix + 6 hex digits, one more on each collision.
Result<std::string> AllocateShortId(Db& db, Entity entity, std::string_view uuid);

// ---- plans (plans.cc) ----
Status InsertPlan(Db& db, const Plan& p);
Status UpdatePlan(Db& db, const Plan& p);  // every mutable column
Result<std::optional<Plan>> GetPlan(Db& db, std::string_view plan_id);
struct PlanListFilter {
  bool only_abandoned = false;
  bool include_abandoned = false;
};
Result<std::vector<Plan>> ListPlans(Db& db, const PlanListFilter& f);
struct StatusCounts {
  int todo = 0, doing = 0, blocked = 0, done = 0, canceled = 0;
  int total() const { return todo + doing + blocked + done + canceled; }
};
Result<StatusCounts> PlanTaskCounts(Db& db, std::string_view plan_id);

// ---- tasks (tasks.cc) ----
Status InsertTask(Db& db, const Task& t);
Status UpdateTask(Db& db, const Task& t);  // every mutable column; unchanged ones record nothing
Result<std::optional<Task>> GetTask(Db& db, std::string_view task_id);
// Just the status, for rules that need nothing else (cheaper than GetTask).
Result<std::optional<TaskStatus>> GetTaskStatus(Db& db, std::string_view task_id);
// Sets status and updated_at only.
Status SetTaskStatus(Db& db, std::string_view task_id, TaskStatus status, Millis now);
// Moves a todo task to doing for `agent` only if it is still todo (or doing, with `force`):
// the compare-and-set behind `start`. Returns false when another writer got there first.
Result<bool> ClaimTask(Db& db, std::string_view task_id, std::string_view agent, Millis now,
                       bool force);
Result<std::vector<std::string>> TaskDocs(Db& db, std::string_view task_id);
Result<std::vector<std::string>> TaskSkills(Db& db, std::string_view task_id);
Status SetTaskDocs(Db& db, std::string_view task_id, const std::vector<std::string>& docs);
Status SetTaskSkills(Db& db, std::string_view task_id, const std::vector<std::string>& skills);

struct TaskFilter {
  std::optional<std::string> plan_id;
  bool include_canceled = false;   // --all
  bool include_abandoned = false;  // --all
  bool active_only = false;        // --filter active: todo, doing, blocked
  bool upcoming_only = false;      // --filter upcoming: todo, blocked
  std::optional<std::string> doc, skill, change_type;
  int limit = -1;
  // next: also list doing tasks whose lease expired at or before this time (and that have no
  // unmet blocker), so another agent can take them over.
  std::optional<Millis> expired_at;
};
// Runnable tasks (todo, no unmet blocker) in the contract's order.
Result<std::vector<Task>> NextTasks(Db& db, const TaskFilter& f);
// Tasks ordered by plan title, then creation.
Result<std::vector<Task>> ListTasks(Db& db, const TaskFilter& f);
// Every task of a plan (for cancel of a plan, export).
Result<std::vector<Task>> PlanTasks(Db& db, std::string_view plan_id);
Result<std::vector<Task>> TasksWithStatus(Db& db, TaskStatus status);

// ---- leases (tasks.cc) ----
Status SetLease(Db& db, std::string_view task_id, Millis expires_at);
Status DeleteLease(Db& db, std::string_view task_id);
Result<std::optional<Millis>> GetLease(Db& db, std::string_view task_id);

// ---- edges (edges.cc) ----
Status InsertEdge(Db& db, const Edge& e);
Result<bool> DeleteEdge(Db& db, std::string_view from, std::string_view to, EdgeType type);
Result<bool> EdgeExists(Db& db, std::string_view from, std::string_view to, EdgeType type);
// A blocker or dependent as seen from one task.
struct Related {
  std::string task_id, hash_id, title;
  TaskStatus status = TaskStatus::kTodo;
  EdgeType type = EdgeType::kBlocks;
  std::optional<std::string> reason;
};
Result<std::vector<Related>> Blockers(Db& db, std::string_view task_id);     // incoming blocks
Result<std::vector<Related>> Dependents(Db& db, std::string_view task_id);   // outgoing, any type
Result<std::vector<Related>> RelatedFrom(Db& db, std::string_view task_id);  // incoming relates
Result<std::vector<std::string>> BlocksSuccessors(Db& db, std::string_view task_id);
Result<int> UnmetBlockerCount(Db& db, std::string_view task_id);  // edges + pending gates

// ---- events (events.cc) ----
Status InsertEvent(Db& db, const Event& e);
Result<std::vector<Event>> TaskEvents(Db& db, std::string_view task_id, int limit,
                                      std::optional<std::string> kind = std::nullopt);

// ---- gates (gates.cc) ----
Status InsertGate(Db& db, const Gate& g);
Status UpdateGate(Db& db, const Gate& g);
Result<std::optional<Gate>> GetGate(Db& db, std::string_view gate_id);
Result<std::vector<Gate>> ListGates(Db& db, bool pending_only, std::optional<std::string> task_id);

// ---- history (history.cc) ----
Result<std::vector<Commit>> ListCommits(Db& db, int limit, std::optional<std::string> task_id);
Result<std::optional<Commit>> PendingCommit(Db& db);

}  // namespace tg::store

namespace tg::store {

// ---- aggregate views (views.cc) ----
struct PlanCounts {
  Plan plan;
  StatusCounts counts;
};
// Plans with their task counts (empty plans included), in created order.
Result<std::vector<PlanCounts>> PlansWithCounts(Db& db, const PlanListFilter& f,
                                                const std::optional<std::string>& plan_id);
struct Totals {
  int done_plans = 0, done_tasks = 0, canceled_tasks = 0;
  int done_events = 0, agents = 0, investigator_runs = 0;
  double agent_hours = 0;
};
Result<Totals> GraphTotals(Db& db);
// Done tasks, most recently finished first.
Result<std::vector<Task>> RecentlyDone(Db& db, int limit, const TaskFilter& f);

}  // namespace tg::store

namespace tg::store {

// ---- replay (replay.cc) ----
// Applies every commit's changeset, then the pending record's, to `dst`: an empty store at the
// current schema. Replaying must reproduce the history tables exactly (contract section 4).
Status ReplayHistory(Db& src, Db& dst);
// The history tables whose rows differ between two stores.
Result<std::vector<std::string>> DifferingTables(Db& a, Db& b);

}  // namespace tg::store

namespace tg::store {
// The plan an earlier import of `source_path` created, if any (newest first).
Result<std::optional<Plan>> FindPlanBySource(Db& db, std::string_view source_path);
}  // namespace tg::store

namespace tg::store {
// Edges whose both ends are tasks of `plan_id` (every edge when nullopt).
Result<std::vector<Edge>> ListEdges(Db& db, const std::optional<std::string>& plan_id);
// Doc and skill slugs of every task of `plan_id` (all tasks when nullopt), by task id.
Result<std::map<std::string, std::vector<std::string>>> LabelsByTask(
    Db& db, const std::optional<std::string>& plan_id, bool skills);
// Every task of every plan, in creation order.
Result<std::vector<Task>> AllTasks(Db& db);
}  // namespace tg::store
