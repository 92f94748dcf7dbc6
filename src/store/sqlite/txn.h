// The SQLite store: one connection to .taskgraph/tg.db, and the transaction class that
// implements the whole store interface on it. A read transaction is a deferred BEGIN (a WAL
// snapshot); a write transaction queues on the flock (unless the queue is off), opens BEGIN
// IMMEDIATE and attaches a session to the history tables, so that Commit() can write exactly
// one commit; the rows it inserts into the busiest tables (tasks, edges, events) it records
// itself (recorder.h). The query methods are defined in one file per table (tasks.cc, edges.cc,
// ...).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "core/hash.h"
#include "store/sqlite/db.h"
#include "store/sqlite/recorder.h"
#include "store/sqlite/write_lock.h"
#include "store/store.h"

namespace tg::store::sqlite {

class SqliteStore;

class SqliteTxn final : public Writer {
 public:
  // A read transaction, or (with `lock`) a write transaction.
  static Result<std::unique_ptr<SqliteTxn>> Begin(SqliteStore& store, bool write,
                                                  std::optional<WriteLock> lock);
  SqliteTxn(const SqliteTxn&) = delete;
  SqliteTxn& operator=(const SqliteTxn&) = delete;
  ~SqliteTxn() override;  // a write transaction not committed is rolled back

  Millis Now() const override { return now_; }

  // identity (ids.cc)
  Result<std::vector<IdMatch>> MatchIds(Entity entity, std::string_view input, int limit) override;
  Result<std::vector<IdMatch>> MatchPlanTitle(std::string_view title, int limit) override;
  Result<std::vector<IdMatch>> IdsByPrefix(Entity entity, std::string_view prefix,
                                           int limit) override;
  Result<std::string> AllocateShortId(Entity entity, std::string_view uuid) override;

  // plans (plans.cc)
  Result<std::optional<Plan>> GetPlan(std::string_view plan_id) override;
  Result<std::vector<Plan>> ListPlans(const PlanListFilter& f) override;
  Result<PlanProgress> GetPlanProgress(std::string_view plan_id) override;
  Result<std::optional<Plan>> FindPlanBySource(std::string_view source_path) override;
  Status InsertPlan(const Plan& p) override;
  Status UpdatePlan(const Plan& p) override;

  // aggregates (views.cc)
  Result<std::vector<PlanCounts>> PlansWithCounts(
      const PlanListFilter& f, const std::optional<std::string>& plan_id) override;
  Result<Totals> GraphTotals() override;
  Result<std::vector<Task>> RecentlyDone(int limit, const TaskFilter& f) override;

  // tasks (tasks.cc)
  Result<std::optional<Task>> GetTask(std::string_view task_id) override;
  Result<std::optional<TaskStatus>> GetTaskStatus(std::string_view task_id) override;
  Result<std::vector<std::string>> TaskDocs(std::string_view task_id) override;
  Result<std::vector<std::string>> TaskSkills(std::string_view task_id) override;
  Result<std::vector<Task>> ListTasks(const TaskFilter& f) override;
  Result<std::vector<Task>> PlanTasks(std::string_view plan_id) override;
  Result<std::vector<Task>> TasksWithStatus(TaskStatus status) override;
  Result<std::optional<Millis>> NextLeaseExpiry(const TaskFilter& f) override;  // next.cc
  Status InsertTask(const Task& t) override;
  Status UpdateTask(const Task& t) override;
  Status SetTaskStatus(std::string_view task_id, TaskStatus status) override;
  Result<bool> ClaimTask(std::string_view task_id, std::string_view agent, bool force) override;
  Status SetTaskDocs(std::string_view task_id, const std::vector<std::string>& docs) override;
  Status SetTaskSkills(std::string_view task_id, const std::vector<std::string>& skills) override;
  Status SetLease(std::string_view task_id, Millis expires_at) override;
  Status DeleteLease(std::string_view task_id) override;

  // the runnable order (next.cc)
  Result<std::vector<Task>> NextTasks(const TaskFilter& f) override;

  // whole-graph reads (snapshot.cc)
  Result<std::vector<Task>> AllTasks() override;
  Result<std::map<std::string, std::vector<std::string>>> LabelsByTask(
      const std::optional<std::string>& plan_id, bool skills) override;
  Result<std::vector<Edge>> ListEdges(const std::optional<std::string>& plan_id) override;

  // edges (edges.cc)
  Result<bool> EdgeExists(std::string_view from, std::string_view to, EdgeType type) override;
  Result<std::vector<Related>> Blockers(std::string_view task_id) override;
  Result<std::vector<Related>> Dependents(std::string_view task_id) override;
  Result<std::vector<Related>> RelatedFrom(std::string_view task_id) override;
  Result<std::vector<std::string>> BlocksSuccessors(std::string_view task_id) override;
  Result<int> UnmetBlockerCount(std::string_view task_id) override;
  Status InsertEdge(const Edge& e) override;
  Result<bool> DeleteEdge(std::string_view from, std::string_view to, EdgeType type) override;

  // events and gates (events.cc, gates.cc)
  Result<std::vector<Event>> TaskEvents(std::string_view task_id, int limit,
                                        std::optional<std::string> kind) override;
  Status InsertEvent(const Event& e) override;
  Result<std::optional<Gate>> GetGate(std::string_view gate_id) override;
  Result<std::vector<Gate>> ListGates(bool pending_only,
                                      std::optional<std::string> task_id) override;
  Status InsertGate(const Gate& g) override;
  Status UpdateGate(const Gate& g) override;

  // activity (activity.cc)
  Result<std::map<std::string, Millis>> LastRenewals() override;
  Result<std::vector<Event>> EventsOfKinds(const std::vector<std::string>& kinds,
                                           const std::optional<std::string>& plan_id) override;

  // history (history.cc)
  Result<std::vector<tg::Commit>> ListCommits(int limit,
                                              std::optional<std::string> task_id) override;
  Result<std::optional<tg::Commit>> PendingCommit() override;
  Status ForEachCommit(
      const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) override;
  Result<std::vector<std::string>> Tables() override;
  Result<std::vector<Row>> TableRows(std::string_view table) override;

  // the versioned graph (versioned.cc)
  Result<std::vector<tg::Commit>> MatchCommits(std::string_view prefix, int limit) override;
  Status ForEachCommitBetween(
      int64_t after_seq, int64_t upto_seq,
      const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) override;
  Result<std::vector<tg::Commit>> CommitsBy(const std::optional<std::string>& author,
                                            bool reverting_only, int limit) override;
  Result<std::optional<tg::Commit>> CommitBefore(int64_t seq, int n) override;
  Result<std::optional<tg::Commit>> CommitAtOrBefore(Millis time) override;
  Result<std::optional<Row>> GetRow(std::string_view table, const std::vector<Cell>& key) override;
  Result<int64_t> CountRows(std::string_view table, std::string_view column,
                            const Value& value) override;
  Status ApplyChange(const Change& c) override;

  // transaction (txn.cc)
  Status BeginUnit() override;
  Status UndoUnit() override;
  Status EndUnit() override;
  Result<std::optional<CommitInfo>> Commit(const std::string& author, const std::string& message,
                                           IdSource& ids, const CommitOptions& opts) override;

 private:
  SqliteTxn(SqliteStore& store, Db& db, Millis now, std::optional<WriteLock> lock);
  // Stamps what every task read carries: lease_expired as of Now().
  Result<std::vector<Task>> Tasks(Stmt& st);
  Result<std::optional<Task>> OneTask(Stmt& st);
  Status RequireWrite() const;
  // A history write to task `task` (or a row that belongs to it): the commit lists the task for
  // `tg log --task`. Recorded as the writes happen: scanning a large changeset for task ids
  // cost more than half a second on a 100,000-todo import. A unit test checks the list
  // against each commit's decoded records.
  Status Touch(std::string_view task);
  // Inserts a new row of `table`: `row` holds the values of `columns` (names, ", " between
  // them), recorded straight into history when they are the table's columns in order.
  Status InsertRow(std::string_view table, std::string_view columns, const std::vector<Value>& row);
  // The decoded row changes of one changeset (history.cc).
  Result<std::vector<Change>> Decode(const std::string& changeset);
  Result<std::vector<std::string>> Columns(std::string_view table);
  Result<std::vector<std::string>> KeyColumns(std::string_view table);

  SqliteStore& store_;
  Db& db_;
  Millis now_;
  std::optional<WriteLock> lock_;
  sqlite3_session* session_ = nullptr;
  bool write_ = false;
  bool open_ = false;
  bool in_unit_ = false;
  InsertRecorder recorder_{db_};
  InsertRecorder::Mark recorder_before_unit_;
  // The tasks this transaction wrote, with repeats (sorted and made unique at commit): an
  // import touches 100,000 tasks, and a hash set of them cost more than the sort. A unit
  // that is undone drops what it appended.
  std::vector<std::string> touched_;
  size_t touched_before_unit_ = 0;
  std::string last_touched_;
  std::map<std::string, std::vector<std::string>, std::less<>> columns_;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& root, const OpenOptions& opts,
                                                   const Clock& clock);

  // The graph rebuilt from history records (`history` feeds each one to the function it is
  // given) in a database in memory: reads only, at the fixed time `now` (versioned.cc).
  static Result<std::unique_ptr<SqliteStore>> OpenMemory(
      const Config& config, const std::string& state_dir, Millis now,
      const std::function<Status(const std::function<Status(const Change&)>&)>& history);

  Result<std::unique_ptr<Reader>> Read() override;
  Result<std::unique_ptr<Writer>> Write(const std::string& holder) override;
  Result<std::unique_ptr<ChangeWatch>> Watch(int64_t timeout_ms) override;
  Result<std::vector<Finding>> CheckStorage() override;  // check.cc
  const Config& config() const override { return config_; }
  int64_t LastWriteWaitMicros() const override { return last_wait_us_; }

  const std::string& root() const { return root_; }
  std::string dir() const { return root_ + "/.taskgraph"; }
  std::string StateDir() const override {
    return memory_state_dir_.empty() ? dir() : memory_state_dir_;
  }
  Db& db() { return *db_; }
  Millis Now() const { return clock_.Now(); }
  // A transaction is open on the connection; a second one at once is a programming error.
  bool busy = false;

 private:
  SqliteStore(const Clock& clock) : clock_(clock) {}
  Result<int64_t> OpenReadOnly(const std::string& db_path);

  const Clock& clock_;
  std::unique_ptr<Clock> own_clock_;  // a store in memory keeps its fixed time
  std::string memory_state_dir_;      // a store in memory: the live graph's state folder
  bool read_only_ = false;
  std::string root_;
  OpenOptions opts_;
  Config config_;
  std::unique_ptr<Db> db_;
  int64_t last_wait_us_ = 0;
};

// Row changes in a session changeset.
int CountChanges(const std::string& changeset);

// Creates or completes the SQLite store in `dir` (.taskgraph/): tg.db in WAL mode at the
// current schema.
Status InitDatabase(const std::string& dir, const OpenOptions& opts);

// A new tg.db in `dir` at the current schema, filled by `fill` before it is renamed into place:
// tg.db appears whole or not at all. An existing tg.db is refused.
Status CreateFilledDatabase(const std::string& dir, const OpenOptions& opts,
                            const std::function<Status(Db&)>& fill);

}  // namespace tg::store::sqlite
