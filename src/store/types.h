// The values that cross the store interface besides the domain model: settings, query filters,
// aggregate rows, commit requests and doctor findings. Plain structs, no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/model.h"

namespace tg::store {

// Settings from .taskgraph/config.json, with defaults for what is absent.
struct Config {
  int lease_minutes = 120;
  std::optional<int> context_token_budget;
  int stale_hours = 2;
  // A PostgreSQL graph: its database (never with a password) and the graph's id, which the
  // database must hold too (two folders pointed at one database by mistake get an error).
  std::optional<std::string> database_url;
  std::optional<std::string> graph_id;
};

struct OpenOptions {
  int lock_timeout_ms = 30'000;  // TG_LOCK_TIMEOUT
  // Queue writers on the store's own lock (SQLite: a flock, for fairness and for naming the
  // holder in STORE_BUSY). Correctness never depends on it: claims are compare-and-sets, so a
  // store without the queue (tests turn it off; a server store has none) stays exact.
  bool queue_writers = true;
  // TG_DATABASE_URL, or `init --database-url`: overrides config.json's database_url.
  std::optional<std::string> database_url;
  int connect_timeout_ms = 10'000;  // TG_CONNECT_TIMEOUT (a server store)
  // The store serves many commands (tg mcp): a server store warms its connection as it opens,
  // before the first command arrives.
  bool long_lived = false;
};

enum class Entity { kTask, kPlan, kGate };

struct IdMatch {
  std::string id;
  std::string hash_id;
  std::string title;
};

struct PlanListFilter {
  bool only_abandoned = false;
  bool include_abandoned = false;
};

struct TaskFilter {
  std::optional<std::string> plan_id;
  bool include_canceled = false;   // --all
  bool include_abandoned = false;  // --all
  bool active_only = false;        // --filter active: todo, doing, blocked
  bool upcoming_only = false;      // --filter upcoming: todo, blocked
  std::optional<std::string> doc, skill, change_type;
  int limit = -1;
  // next: also list doing tasks whose lease expired by the transaction's time (and that have
  // no unmet blocker), so another agent can take them over.
  bool include_expired = false;
};

// A blocker or dependent as seen from one task.
struct Related {
  std::string task_id, hash_id, title;
  TaskStatus status = TaskStatus::kTodo;
  EdgeType type = EdgeType::kBlocks;
  std::optional<std::string> reason;
};

struct PlanCounts {
  Plan plan;
  StatusCounts counts;
};

struct Totals {
  int done_plans = 0, done_tasks = 0, canceled_tasks = 0;
  int done_events = 0, agents = 0, investigator_runs = 0;
  double agent_hours = 0;
};

struct CommitOptions {
  bool no_commit = false;              // --no-commit
  std::optional<std::string> message;  // --commit-msg, replaces the generated message
  // Recorded on the commit (revert, undo): which commits it takes back, and whether it is an
  // undo. Not allowed with no_commit.
  std::vector<std::string> reverts;
  bool undo = false;
};

struct CommitInfo {
  std::string commit_id;  // empty when the change went to the pending record
  int changes = 0;        // row changes in this command (before absorbing pending ones)
  bool pending = false;
};

// One problem `tg doctor` found.
struct Finding {
  std::string check;              // integrity, schema, foreign_keys, cycle, blocked_status, ...
  std::string message;            // what is wrong
  std::vector<std::string> rows;  // the rows involved (short ids where they exist)
};

}  // namespace tg::store
