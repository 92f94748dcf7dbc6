// The PostgreSQL store: one connection per process, and the transaction class that implements
// the whole store interface on it. A read transaction is REPEATABLE READ READ ONLY (one
// snapshot); a write transaction is READ COMMITTED behind the writers' advisory lock (unless
// the queue is off), and every row change of a history table is recorded by a trigger into
// tg_changes, which Commit() gathers into exactly one commit. Internal to src/store/pg/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include "store/pg/conn.h"
#include "store/store.h"

namespace tg::store::pg {

class PgStore;

class PgTxn final : public Writer {
 public:
  static Result<std::unique_ptr<PgTxn>> Begin(PgStore& store, bool write,
                                              const std::string& holder);
  PgTxn(const PgTxn&) = delete;
  PgTxn& operator=(const PgTxn&) = delete;
  ~PgTxn() override;

  Millis Now() const override { return now_; }

  Result<std::vector<IdMatch>> MatchIds(Entity entity, std::string_view input, int limit) override;
  Result<std::vector<IdMatch>> MatchPlanTitle(std::string_view title, int limit) override;
  Result<std::vector<IdMatch>> IdsByPrefix(Entity entity, std::string_view prefix,
                                           int limit) override;
  Result<std::string> AllocateShortId(Entity entity, std::string_view uuid) override;

  Result<std::optional<Plan>> GetPlan(std::string_view plan_id) override;
  Result<std::vector<Plan>> ListPlans(const PlanListFilter& f) override;
  Result<PlanProgress> GetPlanProgress(std::string_view plan_id) override;
  Result<std::optional<Plan>> FindPlanBySource(std::string_view source_path) override;
  Status InsertPlan(const Plan& p) override;
  Status UpdatePlan(const Plan& p) override;

  Result<std::vector<PlanCounts>> PlansWithCounts(
      const PlanListFilter& f, const std::optional<std::string>& plan_id) override;
  Result<Totals> GraphTotals() override;
  Result<std::vector<Task>> RecentlyDone(int limit, const TaskFilter& f) override;

  Result<std::optional<Task>> GetTask(std::string_view task_id) override;
  Result<std::optional<TaskStatus>> GetTaskStatus(std::string_view task_id) override;
  Result<std::vector<std::string>> TaskDocs(std::string_view task_id) override;
  Result<std::vector<std::string>> TaskSkills(std::string_view task_id) override;
  Result<std::vector<Task>> ListTasks(const TaskFilter& f) override;
  Result<std::vector<Task>> PlanTasks(std::string_view plan_id) override;
  Result<std::vector<Task>> TasksWithStatus(TaskStatus status) override;
  Result<std::optional<Millis>> NextLeaseExpiry(const TaskFilter& f) override;
  Status InsertTask(const Task& t) override;
  Status UpdateTask(const Task& t) override;
  Status SetTaskStatus(std::string_view task_id, TaskStatus status) override;
  Result<bool> ClaimTask(std::string_view task_id, std::string_view agent, bool force) override;
  Status SetTaskDocs(std::string_view task_id, const std::vector<std::string>& docs) override;
  Status SetTaskSkills(std::string_view task_id, const std::vector<std::string>& skills) override;
  Status SetLease(std::string_view task_id, Millis expires_at) override;
  Status DeleteLease(std::string_view task_id) override;

  Result<std::vector<Task>> NextTasks(const TaskFilter& f) override;

  Result<std::vector<Task>> AllTasks() override;
  Result<std::map<std::string, std::vector<std::string>>> LabelsByTask(
      const std::optional<std::string>& plan_id, bool skills) override;
  Result<std::vector<Edge>> ListEdges(const std::optional<std::string>& plan_id) override;

  Result<bool> EdgeExists(std::string_view from, std::string_view to, EdgeType type) override;
  Result<std::vector<Related>> Blockers(std::string_view task_id) override;
  Result<std::vector<Related>> Dependents(std::string_view task_id) override;
  Result<std::vector<Related>> RelatedFrom(std::string_view task_id) override;
  Result<std::vector<std::string>> BlocksSuccessors(std::string_view task_id) override;
  Result<int> UnmetBlockerCount(std::string_view task_id) override;
  Status InsertEdge(const Edge& e) override;
  Result<bool> DeleteEdge(std::string_view from, std::string_view to, EdgeType type) override;

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

  Status BeginUnit() override;
  Status UndoUnit() override;
  Status EndUnit() override;
  Result<std::optional<CommitInfo>> Commit(const std::string& author, const std::string& message,
                                           IdSource& ids, const CommitOptions& opts) override;

  // Store-neutral records of a stored changeset (history.cc); used by migrate as well.
  Result<std::vector<Change>> Decode(const std::string& changeset_json);
  // The connection this transaction runs on (migrate reads raw rows in it).
  PgConn& conn() { return c_; }
  // A history table's primary key columns (cached in PgStore::catalog; "" loads them all).
  Result<std::vector<std::string>> KeyColumns(std::string_view table);

 private:
  PgTxn(PgStore& store, PgConn& c);
  Result<std::vector<Task>> Tasks(const std::string& sql, const Params& params);
  Result<std::optional<Task>> OneTask(const std::string& sql, const Params& params);
  Status RequireWrite() const;
  Status Touch(std::string_view task);
  Result<std::vector<std::string>> Columns(std::string_view table);

  PgStore& store_;
  PgConn& c_;
  Millis now_ = 0;
  bool write_ = false;
  bool open_ = false;
  bool in_unit_ = false;
  PgConn::QueueMark unit_mark_;
  bool locked_ = false;  // holds the writers' advisory lock
  std::unordered_set<std::string> touched_, touched_before_unit_;
  std::string last_touched_;
  // The store's catalog cache (PgStore::catalog).
  std::map<std::string, std::vector<std::string>, std::less<>>&columns_, &keys_;
};

class PgStore final : public Store {
 public:
  // Opens the graph of `root` on the database `spec` names; `graph_id` (from config.json) must
  // be the database's.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& root, const ConnSpec& spec,
                                               const Config& config, const OpenOptions& opts,
                                               const Clock& clock);

  Result<std::unique_ptr<Reader>> Read() override;
  Result<std::unique_ptr<Writer>> Write(const std::string& holder) override;
  Result<std::unique_ptr<ChangeWatch>> Watch(int64_t timeout_ms) override;
  Result<std::vector<Finding>> CheckStorage() override;
  const Config& config() const override { return config_; }
  std::string StateDir() const override { return root_ + "/.taskgraph"; }
  int64_t LastWriteWaitMicros() const override { return last_wait_us_; }

  PgConn& conn() { return *conn_; }
  // The clock tests fix with TG_NOW; nullopt: the server's clock.
  std::optional<Millis> FixedNow() const;
  const OpenOptions& opts() const { return opts_; }
  bool busy = false;
  int64_t last_wait_us_ = 0;
  // Each history table's columns and primary key, read from the server once per connection
  // (the catalog query cost more than the rest of a claim's statements together) and kept for
  // its life: tg changes its schema only in migrations, which run before any transaction.
  struct Catalog {
    std::map<std::string, std::vector<std::string>, std::less<>> columns, keys;
  } catalog;

 private:
  PgStore(const Clock& clock) : clock_(clock) {}
  // A fresh server process plans its first statements against cold catalog caches: 15 ms
  // for the runnable-task query alone, five times a warm claim, and inside the writers' lock
  // every other writer would wait for that. A long-lived store (OpenOptions::long_lived)
  // warms the caches as it opens, in a read transaction of its own: the runnable-task query,
  // a task by id, the history tables' keys. A one-shot command does not: it would only add
  // that work to its own time.
  Status Warm();
  const Clock& clock_;
  std::string root_;
  ConnSpec spec_;
  OpenOptions opts_;
  Config config_;
  std::unique_ptr<PgConn> conn_;
  std::optional<std::string> moved_to_;  // MetaInfo::moved_to: writes are refused
};

// Connects to `spec` with the options' connect and lock timeouts.
Result<std::unique_ptr<PgConn>> ConnectStore(const ConnSpec& spec, const OpenOptions& opts);

// tg init against PostgreSQL: creates or completes the schema, and returns the database's
// graph id (a new one for an empty database; the stored one when the database already holds a
// graph, which init then joins). `config_graph_id`, when the local config names one, must
// match.
struct PgInitOutcome {
  std::string graph_id;
  bool created = false;
};
Result<PgInitOutcome> InitPgDatabase(const ConnSpec& spec, const OpenOptions& opts,
                                     const std::optional<std::string>& config_graph_id);

}  // namespace tg::store::pg
