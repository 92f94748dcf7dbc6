// The store interface. Everything above src/store/ reaches the graph through these classes and
// nothing above it names a database, a SQL statement or a lock file.
//
// A Store hands out transactions. A Reader is one consistent snapshot that never blocks a
// writer. A Writer is one write transaction: every row it changes in a history table is
// recorded, and Commit() ends it with at most one commit (or folds the change into the pending
// --no-commit record). Dropping a Writer without Commit() rolls everything back. A transaction
// has one time, Now(), taken when it began from the store's clock (TG_NOW in tests; a server
// store's own clock), so every row, lease and event of one command carries the same instant.
//
// Concurrency contract, the same for every store: writers may run at once (a server store has
// no process-wide lock), so every rule that must hold under a race is a compare-and-set inside
// the Writer (ClaimTask), never a read followed by a write that assumes nobody else wrote in
// between. A store may queue writers as an optimisation (the SQLite store does, on a flock).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/model.h"
#include "store/history.h"
#include "store/types.h"

namespace tg::store {

class Reader {
 public:
  virtual ~Reader() = default;
  virtual Millis Now() const = 0;

  // ---- identity ----
  // Candidates for an id argument by the contract's order: exact UUID, exact short id, then
  // prefix of the short-id digits or the UUID's hex digits. Stops at the first step that
  // matches; at most `limit` rows.
  virtual Result<std::vector<IdMatch>> MatchIds(Entity entity, std::string_view input,
                                                int limit) = 0;
  // Plans by exact title, then by case-insensitive title.
  virtual Result<std::vector<IdMatch>> MatchPlanTitle(std::string_view title, int limit) = 0;
  // For shell completion: short ids starting with `prefix` (plans: also titles), in order.
  virtual Result<std::vector<IdMatch>> IdsByPrefix(Entity entity, std::string_view prefix,
                                                   int limit) = 0;

  // ---- plans ----
  virtual Result<std::optional<Plan>> GetPlan(std::string_view plan_id) = 0;
  virtual Result<std::vector<Plan>> ListPlans(const PlanListFilter& f) = 0;  // newest first
  // Which statuses the plan's tasks are in, from an index: no scan of a large plan.
  virtual Result<PlanProgress> GetPlanProgress(std::string_view plan_id) = 0;
  // The plan an earlier import of `source_path` created, if any (newest first).
  virtual Result<std::optional<Plan>> FindPlanBySource(std::string_view source_path) = 0;
  // Plans with their task counts (empty plans included), in created order.
  virtual Result<std::vector<PlanCounts>> PlansWithCounts(
      const PlanListFilter& f, const std::optional<std::string>& plan_id) = 0;
  virtual Result<Totals> GraphTotals() = 0;

  // ---- tasks ----
  // Every Task read carries lease_expired as of Now() and blocked_by (unmet blockers of an
  // open task, short ids, gates included).
  virtual Result<std::optional<Task>> GetTask(std::string_view task_id) = 0;
  virtual Result<std::optional<TaskStatus>> GetTaskStatus(std::string_view task_id) = 0;
  virtual Result<std::vector<std::string>> TaskDocs(std::string_view task_id) = 0;
  virtual Result<std::vector<std::string>> TaskSkills(std::string_view task_id) = 0;
  // Runnable tasks (todo, no unmet blocker; with include_expired also doing tasks whose lease
  // ran out) in the contract's order. Reads only the rows it returns, whatever the graph's size.
  virtual Result<std::vector<Task>> NextTasks(const TaskFilter& f) = 0;
  // The earliest lease of a doing task matching `f` (plan and label filters) that runs out
  // after Now(): the next moment a task may become claimable without anyone committing.
  virtual Result<std::optional<Millis>> NextLeaseExpiry(const TaskFilter& f) = 0;
  // Tasks ordered by plan title, then creation.
  virtual Result<std::vector<Task>> ListTasks(const TaskFilter& f) = 0;
  virtual Result<std::vector<Task>> PlanTasks(std::string_view plan_id) = 0;  // created order
  // Most recently claimed first.
  virtual Result<std::vector<Task>> TasksWithStatus(TaskStatus status) = 0;
  // Done tasks, most recently finished first.
  virtual Result<std::vector<Task>> RecentlyDone(int limit, const TaskFilter& f) = 0;
  // Every task of every plan, plans and tasks in creation order.
  virtual Result<std::vector<Task>> AllTasks() = 0;
  // Doc or skill slugs of every task of `plan_id` (all tasks when nullopt), by task id.
  virtual Result<std::map<std::string, std::vector<std::string>>> LabelsByTask(
      const std::optional<std::string>& plan_id, bool skills) = 0;

  // ---- edges ----
  virtual Result<bool> EdgeExists(std::string_view from, std::string_view to, EdgeType type) = 0;
  virtual Result<std::vector<Related>> Blockers(std::string_view task_id) = 0;    // incoming blocks
  virtual Result<std::vector<Related>> Dependents(std::string_view task_id) = 0;  // outgoing
  virtual Result<std::vector<Related>> RelatedFrom(std::string_view task_id) = 0;  // in relates
  virtual Result<std::vector<std::string>> BlocksSuccessors(std::string_view task_id) = 0;
  // Unfinished blockers plus pending gates (the unmet-blocker rule, core/model.h).
  virtual Result<int> UnmetBlockerCount(std::string_view task_id) = 0;
  // Edges whose both ends are tasks of `plan_id` (every edge when nullopt).
  virtual Result<std::vector<Edge>> ListEdges(const std::optional<std::string>& plan_id) = 0;

  // ---- events and gates ----
  // Newest first.
  virtual Result<std::vector<Event>> TaskEvents(std::string_view task_id, int limit,
                                                std::optional<std::string> kind) = 0;
  virtual Result<std::optional<Gate>> GetGate(std::string_view gate_id) = 0;
  // Newest first.
  virtual Result<std::vector<Gate>> ListGates(bool pending_only,
                                              std::optional<std::string> task_id) = 0;

  // ---- activity (stats, status, dashboard) ----
  // When each live claim last showed a sign of life (claimed, or its lease renewed by a
  // heartbeat or a heartbeat note), by task id. Claims older than the record have none.
  virtual Result<std::map<std::string, Millis>> LastRenewals() = 0;
  // Events of these kinds, oldest first; only those of tasks in `plan_id` when given.
  virtual Result<std::vector<Event>> EventsOfKinds(const std::vector<std::string>& kinds,
                                                   const std::optional<std::string>& plan_id) = 0;

  // ---- history ----
  // Commits newest first (only those that touched `task_id`, when given).
  virtual Result<std::vector<tg::Commit>> ListCommits(int limit,
                                                      std::optional<std::string> task_id) = 0;
  virtual Result<std::optional<tg::Commit>> PendingCommit() = 0;
  // Every commit oldest first, then the pending record if any, each with its row changes.
  virtual Status ForEachCommit(
      const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) = 0;
  // The tables of the live schema (not views, not the store's internal ones).
  virtual Result<std::vector<std::string>> Tables() = 0;
  // Every row of `table`, in primary-key order.
  virtual Result<std::vector<Row>> TableRows(std::string_view table) = 0;

  // ---- the versioned graph (diff, revert, undo, --as-of) ----
  // Commits whose id starts with `prefix` (lowercase hex), oldest first, at most `limit`.
  virtual Result<std::vector<tg::Commit>> MatchCommits(std::string_view prefix, int limit) = 0;
  // The commits with after_seq < seq <= upto_seq, oldest first, each with its row changes (the
  // pending record is not a commit and is never visited).
  virtual Status ForEachCommitBetween(
      int64_t after_seq, int64_t upto_seq,
      const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) = 0;
  // Commits newest first: of `author` only when given, only those that take others back
  // (non-empty reverts) when `reverting_only`; at most `limit` (-1: all).
  virtual Result<std::vector<tg::Commit>> CommitsBy(const std::optional<std::string>& author,
                                                    bool reverting_only, int limit) = 0;
  // The commit `n` (>= 1) commits before the one numbered `seq`; nullopt past the first.
  virtual Result<std::optional<tg::Commit>> CommitBefore(int64_t seq, int n) = 0;
  // The last commit made at or before `time`.
  virtual Result<std::optional<tg::Commit>> CommitAtOrBefore(Millis time) = 0;
  // One row of a history table by its primary key (every column), nullopt when there is none.
  virtual Result<std::optional<Row>> GetRow(std::string_view table,
                                            const std::vector<Cell>& key) = 0;
  // How many rows of `table` have `column` equal to `value`.
  virtual Result<int64_t> CountRows(std::string_view table, std::string_view column,
                                    const Value& value) = 0;
};

class Writer : public Reader {
 public:
  // A fresh short id for `uuid`: prefix + 6 hex digits, one more on each collision.
  virtual Result<std::string> AllocateShortId(Entity entity, std::string_view uuid) = 0;

  virtual Status InsertPlan(const Plan& p) = 0;
  virtual Status UpdatePlan(const Plan& p) = 0;  // every mutable column

  virtual Status InsertTask(const Task& t) = 0;
  // Every mutable column; columns whose value is unchanged record nothing in history.
  virtual Status UpdateTask(const Task& t) = 0;
  virtual Status SetTaskStatus(std::string_view task_id, TaskStatus status) = 0;
  // The claim: todo -> doing for `agent`, only if the task is still todo (or doing, with
  // `force`). This compare-and-set is what makes claims exclusive; false when another writer
  // got there first. Whatever the caller read before, it decides nothing.
  virtual Result<bool> ClaimTask(std::string_view task_id, std::string_view agent, bool force) = 0;
  // Replace a task's doc or skill slugs; writes nothing when they are already equal.
  virtual Status SetTaskDocs(std::string_view task_id, const std::vector<std::string>& docs) = 0;
  virtual Status SetTaskSkills(std::string_view task_id,
                               const std::vector<std::string>& skills) = 0;

  // Leases are not history (renewals would flood the log).
  virtual Status SetLease(std::string_view task_id, Millis expires_at) = 0;
  virtual Status DeleteLease(std::string_view task_id) = 0;

  virtual Status InsertEdge(const Edge& e) = 0;
  virtual Result<bool> DeleteEdge(std::string_view from, std::string_view to, EdgeType type) = 0;
  virtual Status InsertEvent(const Event& e) = 0;
  virtual Status InsertGate(const Gate& g) = 0;
  virtual Status UpdateGate(const Gate& g) = 0;

  // One row change of a history table, applied as it reads, and recorded in history like any
  // other write: insert `after` (every column given); update the `after` columns of the row
  // `key` names; delete that row. The one generic write, used only by revert and undo;
  // table and column names must be the live schema's (STORE_CORRUPT otherwise).
  virtual Status ApplyChange(const Change& c) = 0;

  // One unit of work inside the transaction that can be undone alone (one item of a batch):
  // BeginUnit, then EndUnit to keep it or UndoUnit to drop its writes. Not nested.
  virtual Status BeginUnit() = 0;
  virtual Status UndoUnit() = 0;
  virtual Status EndUnit() = 0;

  // Ends the transaction. If history rows changed, writes one commit authored by `author` with
  // `message` (or opts.message), absorbing any pending record; with opts.no_commit the change
  // is folded into the pending record instead. nullopt when nothing changed.
  virtual Result<std::optional<CommitInfo>> Commit(const std::string& author,
                                                   const std::string& message, IdSource& ids,
                                                   const CommitOptions& opts) = 0;
};

// Waiting for other processes' commits without polling.
class ChangeWatch {
 public:
  virtual ~ChangeWatch() = default;
  // Blocks until another writer commits, or `at_most_ms` has passed (true: look again), or
  // the watch's time is up (false).
  virtual bool Wait(std::optional<int64_t> at_most_ms = std::nullopt) = 0;
  // For front ends that wait on several things at once (the dashboard: keys, resizes and
  // commits in one poll): a descriptor that becomes readable when another writer may have
  // committed, or -1 when the store has none (then use Wait with a bound). After it polls
  // readable, Consume() reads what arrived and says whether it was a commit.
  virtual int ReadyFd() const { return -1; }
  virtual bool Consume() { return false; }
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::unique_ptr<Reader>> Read() = 0;
  // `holder` names this process in other writers' STORE_BUSY messages.
  virtual Result<std::unique_ptr<Writer>> Write(const std::string& holder) = 0;
  // Starts watching now, so a commit between a failed attempt and the next Wait() is not
  // missed; `timeout_ms` bounds the total time all Wait() calls may block.
  virtual Result<std::unique_ptr<ChangeWatch>> Watch(int64_t timeout_ms) = 0;
  // The checks only the store itself can make: file or server integrity, schema version,
  // references between rows.
  virtual Result<std::vector<Finding>> CheckStorage() = 0;
  virtual const Config& config() const = 0;
  // The folder holding this graph's local state (.taskgraph/: settings, and for SQLite the
  // database, its companions and the lock), which no output may overwrite.
  virtual std::string StateDir() const = 0;
  // Microseconds the last Write() of this store waited for its turn (TG_TRACE, benchmarks).
  virtual int64_t LastWriteWaitMicros() const = 0;
};

// The folder holding .taskgraph/: `explicit_dir` (--dir / TG_DIR) when given, else the first
// folder from `cwd` upwards that has one. NOT_INITIALIZED when there is none.
Result<std::string> Discover(const std::string& cwd,
                             const std::optional<std::string>& explicit_dir);

// Reads .taskgraph/config.json; a missing file gives the defaults. Anything else that is not a
// regular file of at most kMaxConfigBytes holding a JSON object whose settings are within
// their ranges (core/limits.h) is VALIDATION_FAILED naming the file.
Result<Config> ReadConfig(const std::string& taskgraph_dir);
// The same for text already read (`path` only names it in messages).
Result<Config> ParseConfig(std::string_view text, const std::string& path);

// Where a command may write a file the user asked for (export --out, setup): the path it
// resolves to (absolute, through "..", symlinks), unless that lies inside a .taskgraph/ folder
// (any graph's state: the database and its companions, config.json, the lock) or is the same
// file, by a hard link, as one of the files in `state_dir`. Those are refused with
// VALIDATION_FAILED naming `what` ("--out"), so no output can overwrite a store.
Result<std::string> GuardOutputPath(std::string_view what, const std::string& path,
                                    const std::optional<std::string>& state_dir);

struct InitOutcome {
  std::string root;
  bool created = false;                  // false: the graph was already there (init is idempotent)
  std::optional<std::string> enclosing;  // a graph found further up, which this one now shadows
  std::optional<std::string> database;   // a PostgreSQL graph: where ("host:port, database x")
  // Set when init ran in a linked git worktree: that folder; `root` is then the main
  // worktree, whose graph it shares (nothing was created).
  std::optional<std::string> linked_worktree;
};

// Creates (or completes) .taskgraph/ in `root`: config.json (never overwritten), .gitignore and
// the store at the current schema version.
Result<InitOutcome> Init(const std::string& root, const OpenOptions& opts);

// The graph as it was right after commit `seq` (0: before the first), rebuilt from history
// into a throwaway in-memory store that only reads (writes are READ_ONLY), whatever store
// `live` is. Its transactions' time is `now` (the commit's time), and it has no leases:
// leases are not history (as_of.cc).
Result<std::unique_ptr<Store>> MaterializeAt(Store& live, int64_t seq, Millis now);

// Opens the graph in `root` (the folder holding .taskgraph/) with one schema check, applying
// missing migrations; SCHEMA_TOO_NEW for a newer store, STORE_CORRUPT for a damaged one.
Result<std::unique_ptr<Store>> Open(const std::string& root, const OpenOptions& opts,
                                    const Clock& clock);

}  // namespace tg::store
