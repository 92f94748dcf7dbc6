// The store: init/open, migrations, schema checks, failure mapping, the write lock, history.
#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/sqlite/db.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/write_lock.h"
#include "support/temp_dir.h"

namespace tg::store {
namespace {

using sqlite::Db;
using sqlite::SchemaVersion;
using sqlite::WriteLock;

namespace fs = std::filesystem;

using test::TempDir;

FixedClock g_clock{2000};

Result<std::unique_ptr<Store>> OpenAt(const std::string& root) { return Open(root, {}, g_clock); }

// The SQLite file itself, for what only SQLite can say (pragmas, the schema).
std::unique_ptr<Db> Raw(const std::string& root) {
  return std::move(*Db::Open(root + "/.taskgraph/tg.db", false, 1000));
}

Plan MakePlan(IdSource& ids, Writer& w, const std::string& title) {
  Plan p;
  p.plan_id = ids.NewUuid();
  p.hash_id = *w.AllocateShortId(Entity::kPlan, p.plan_id);
  p.title = title;
  p.created_at = p.updated_at = 1000;
  return p;
}

TEST(Store, InitThenOpenAtCurrentVersion) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  auto s = OpenAt(d.path());
  ASSERT_TRUE(s) << s.error().message;
  auto db = Raw(d.path());
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), SchemaVersion());
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
            1);
  EXPECT_EQ(*db->QueryInt("PRAGMA foreign_keys"), 1);
}

TEST(Store, OpenWithoutInitIsNotInitialized) {
  TempDir d;
  auto s = Discover(d.path(), std::nullopt);
  if (s) GTEST_SKIP() << "a .taskgraph exists above the temp folder: " << *s;
  EXPECT_EQ(s.error().code, Code::kNotInitialized);
}

TEST(Store, NewerSchemaIsRefused) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  ASSERT_TRUE(Raw(d.path())->Exec("PRAGMA user_version = 999"));
  auto s = OpenAt(d.path());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kSchemaTooNew);
  EXPECT_NE(s.error().message.find("upgrade tg"), std::string::npos);
}

// Turns a new store back into what the first release (schema 1) wrote.
constexpr const char* kSchemaOne =
    "ALTER TABLE tasks DROP COLUMN tests; ALTER TABLE gates DROP COLUMN resolved_by; "
    "ALTER TABLE gates DROP COLUMN reason; DROP INDEX commit_tasks_seq; "
    "ALTER TABLE leases DROP COLUMN renewed_at; "
    "DROP INDEX commits_author; DROP INDEX commits_reverting; "
    "ALTER TABLE commits DROP COLUMN reverts; ALTER TABLE commits DROP COLUMN undo; "
    "DROP INDEX leases_expiry; DROP INDEX tasks_runnable; "
    "CREATE INDEX tasks_status ON tasks (status, priority, created_at); "
    "PRAGMA user_version = 1";

// A commit recorded before a migration added columns keeps its changeset as SQLite wrote it
// then, with fewer columns than the table has now: history still reads it (the added columns
// are absent from its records) instead of calling the store corrupt.
TEST(Store, CommitsFromBeforeAMigrationStillReadAfterIt) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  {
    auto db = Raw(d.path());
    ASSERT_TRUE(db->Exec(kSchemaOne));
    sqlite3_session* session = nullptr;
    ASSERT_EQ(sqlite3session_create(db->raw(), "main", &session), SQLITE_OK);
    ASSERT_EQ(sqlite3session_attach(session, nullptr), SQLITE_OK);
    ASSERT_TRUE(db->Exec(
        "INSERT INTO plans (plan_id, hash_id, title, created_at, updated_at) VALUES ('p', "
        "'p-1', 'P', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'); INSERT INTO "
        "tasks (task_id, hash_id, plan_id, title, created_at, updated_at) VALUES ('t', 'tg-1', "
        "'p', 'T', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"));
    int n = 0;
    void* blob = nullptr;
    ASSERT_EQ(sqlite3session_changeset(session, &n, &blob), SQLITE_OK);
    sqlite3session_delete(session);
    auto st = db->Prepare(
        "INSERT INTO commits (seq, commit_id, parent, time, author, message, changes, "
        "changeset) VALUES (1, 'c1', NULL, '2026-01-01T00:00:00.000Z', 'old', 'first', 2, ?1)");
    ASSERT_TRUE(st);
    st->BindBlob(1, blob, n);
    ASSERT_TRUE(st->Run());
    sqlite3_free(blob);
  }
  auto s = OpenAt(d.path());  // brings the store to the current schema
  ASSERT_TRUE(s) << s.error().message;
  auto r = (*s)->Read();
  ASSERT_TRUE(r);
  std::vector<Change> seen;
  Status st = (*r)->ForEachCommit([&](const tg::Commit&, const std::vector<Change>& c) -> Status {
    seen.insert(seen.end(), c.begin(), c.end());
    return Ok();
  });
  ASSERT_TRUE(st) << st.error().message;
  ASSERT_EQ(seen.size(), 2u);
  const Change& task = seen[0].table == "tasks" ? seen[0] : seen[1];
  ASSERT_EQ(task.table, "tasks");
  EXPECT_EQ(task.op, ChangeOp::kInsert);
  auto named = [&](const std::string& col) {
    return std::ranges::any_of(task.after, [&](const Cell& c) { return c.column == col; });
  };
  EXPECT_TRUE(named("title"));
  EXPECT_FALSE(named("tests"));  // added by schema 4, after this commit
}

TEST(Store, NegativeSchemaVersionIsStoreCorrupt) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  ASSERT_TRUE(Raw(d.path())->Exec("PRAGMA user_version = -1"));
  auto s = OpenAt(d.path());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kStoreCorrupt);
}

// A store written by the first release (schema 1) is brought up to date on its next open.
TEST(Store, SchemaOneIsMigratedToTheRunnableIndex) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  ASSERT_TRUE(Raw(d.path())->Exec(kSchemaOne));
  auto s = OpenAt(d.path());
  ASSERT_TRUE(s) << s.error().message;
  auto db = Raw(d.path());
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), SchemaVersion());
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM pragma_table_info('commits') WHERE name IN "
                          "('reverts', 'undo')"),
            2);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM pragma_table_info('leases') WHERE name = "
                          "'renewed_at'"),
            1);
  for (const char* name : {"tasks_runnable", "leases_expiry"}) {
    EXPECT_EQ(*db->QueryInt(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                            name + "'"),
              1)
        << name;
  }
  for (const char* name : {"tasks_status", "tasks_next"}) {
    EXPECT_EQ(*db->QueryInt(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                            name + "'"),
              0)
        << name;
  }
  // The status and risk checks were rewritten in place and still refuse bad values.
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'tasks' AND sql "
                          "LIKE '%status = ''todo'' OR%'"),
            1);
  EXPECT_FALSE(
      db->Exec("INSERT INTO plans (plan_id, hash_id, title, created_at, updated_at) "
               "VALUES ('p', 'p-1', 'P', 'x', 'x'); INSERT INTO tasks (task_id, hash_id, "
               "plan_id, title, status, created_at, updated_at) VALUES ('t', 'tg-1', "
               "'p', 'T', 'bogus', 'x', 'x')"));
  EXPECT_EQ(
      *db->QueryInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"),
      0);
}

TEST(Store, GarbageFileIsStoreCorrupt) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  fs::remove(d.path() + "/.taskgraph/tg.db-wal");
  fs::remove(d.path() + "/.taskgraph/tg.db-shm");
  { std::ofstream(d.path() + "/.taskgraph/tg.db", std::ios::trunc) << std::string(8192, 'x'); }
  auto s = OpenAt(d.path());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kStoreCorrupt);
}

// tg creates a store whole (built under another name, renamed into place), so a tg.db at
// schema version 0 is an empty file or another program's database: refused by every command
// and by init, never turned into a fresh store that hides what was there.
TEST(Store, SchemaVersionZeroIsStoreCorruptEvenForInit) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  for (const char* f : {"tg.db", "tg.db-wal", "tg.db-shm"})
    fs::remove(d.path() + "/.taskgraph/" + std::string(f));
  { std::ofstream(d.path() + "/.taskgraph/tg.db", std::ios::trunc); }  // 0 bytes
  auto s = OpenAt(d.path());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kStoreCorrupt);
  EXPECT_NE(s.error().message.find("is not a tg store"), std::string::npos);
  auto again = Init(d.path(), {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kStoreCorrupt);
  EXPECT_EQ(fs::file_size(d.path() + "/.taskgraph/tg.db"), 0u);  // left for recovery
  {
    // Another program's SQLite database: valid SQLite, no tg schema.
    fs::remove(d.path() + "/.taskgraph/tg.db");
    auto db = Db::Open(d.path() + "/.taskgraph/tg.db", true, 1000);
    ASSERT_TRUE((*db)->Exec("CREATE TABLE notes (x TEXT)"));
  }
  auto foreign = OpenAt(d.path());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kStoreCorrupt);
}

TEST(Store, ConcurrentFirstOpensMigrateOnce) {
  TempDir d;
  // A store at schema 1, as the first release left it.
  ASSERT_TRUE(Init(d.path(), {}));
  ASSERT_TRUE(Raw(d.path())->Exec(kSchemaOne));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ok += OpenAt(d.path()).has_value(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(*Raw(d.path())->QueryInt("PRAGMA user_version"), SchemaVersion());
}

// STORE_BUSY named the holder only to the first waiter: a waiter that gave up truncated the
// lock file on its way out (it never held the lock), so every later one named nobody.
TEST(WriteLock, EveryWaiterThatGivesUpNamesTheHolder) {
  TempDir d;
  std::string path = d.path() + "/tg.lock";
  auto held = WriteLock::Acquire(path, 1000, "alice running `tg import` (pid 7)");
  ASSERT_TRUE(held);
  for (int waiter = 0; waiter < 3; ++waiter) {
    std::optional<Error> err;
    std::thread other([&] {
      auto r = WriteLock::Acquire(path, 50, "bob");
      if (!r) err = r.error();
    });
    other.join();
    ASSERT_TRUE(err) << waiter;
    EXPECT_EQ(err->code, Code::kStoreBusy);
    EXPECT_NE(err->message.find("(held by alice running `tg import` (pid 7))"), std::string::npos)
        << "waiter " << waiter << ": " << err->message;
  }
}

// The holder's name is written into tg.lock: a lock file that is a symlink is not followed.
TEST(WriteLock, ASymlinkedLockFileIsNotWrittenThrough) {
  TempDir d;
  std::string target = d.path() + "/bashrc";
  { std::ofstream(target) << "keep me\n"; }
  fs::create_symlink(target, d.path() + "/tg.lock");
  auto lock = WriteLock::Acquire(d.path() + "/tg.lock", 100, "alice");
  EXPECT_FALSE(lock);
  std::ifstream in(target);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "keep me");
}

TEST(WriteLock, TimesOutWithStoreBusyNamingTheHolder) {
  TempDir d;
  std::string path = d.path() + "/tg.lock";
  auto held = WriteLock::Acquire(path, 1000, "alice running `tg start` (pid 1)");
  ASSERT_TRUE(held);
  std::optional<Error> err;
  std::thread other([&] {
    auto r = WriteLock::Acquire(path, 150, "bob");
    if (!r) err = r.error();
  });
  other.join();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, Code::kStoreBusy);
  EXPECT_NE(err->message.find("held by alice running `tg start` (pid 1)"), std::string::npos)
      << err->message;
}

TEST(WriteLock, WaiterGetsTheLockWhenTheHolderFinishes) {
  TempDir d;
  std::string path = d.path() + "/tg.lock";
  auto held = std::make_optional(*WriteLock::Acquire(path, 1000, "first"));
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = WriteLock::Acquire(path, 10'000, "second").has_value(); });
  held.reset();  // release: the blocked waiter wakes
  waiter.join();
  EXPECT_TRUE(got);
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Init(dir_.path(), {}));
    store_ = std::move(*OpenAt(dir_.path()));
  }
  Result<std::optional<CommitInfo>> Write(const std::string& title, CommitOptions opts = {}) {
    TG_ASSIGN(auto w, store_->Write("test"));
    TG_TRY(w->InsertPlan(MakePlan(ids_, *w, title)));
    return w->Commit("tester", "plan: create " + title, ids_, opts);
  }
  std::unique_ptr<Reader> Read() { return std::move(*store_->Read()); }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  SequentialIdSource ids_;
};

// Every command's process rebuilds SQLite's WAL index from the WAL's frames, so the writers keep
// the WAL short: a large transaction is checkpointed and truncated away when it commits...
TEST_F(HistoryTest, LargeCommitLeavesAnEmptyWal) {
  {
    auto w = std::move(*store_->Write("test"));
    for (int i = 0; i < 3000; ++i) {
      ASSERT_TRUE(w->InsertPlan(MakePlan(ids_, *w, std::string(200, 'p'))));
    }
    ASSERT_TRUE(w->Commit("tester", "many plans", ids_, {}));
  }
  EXPECT_EQ(fs::file_size(dir_.path() + "/.taskgraph/tg.db-wal"), 0u);
  EXPECT_EQ(Read()->ListPlans({})->size(), 3000u);
}

// ...and a long run of small ones never lets it pass the checkpoint threshold by much.
TEST_F(HistoryTest, ManySmallCommitsKeepTheWalShort) {
  uintmax_t largest = 0;
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(Write("plan " + std::to_string(i)));
    largest = std::max(largest, fs::file_size(dir_.path() + "/.taskgraph/tg.db-wal"));
  }
  EXPECT_GT(largest, 0u);
  EXPECT_LT(largest, 2u << 20);  // the threshold is 256 pages (1 MiB) plus one transaction
}

TEST_F(HistoryTest, ChangingTransactionWritesOneCommit) {
  auto c = Write("A");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->changes, 1);
  auto log = Read()->ListCommits(10, std::nullopt);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].author, "tester");
  EXPECT_EQ((*log)[0].message, "plan: create A");
}

TEST_F(HistoryTest, TransactionWithoutChangesWritesNoCommit) {
  {
    auto w = std::move(*store_->Write("test"));
    auto c = w->Commit("tester", "nothing", ids_, {});
    ASSERT_TRUE(c);
    EXPECT_FALSE(*c);
  }
  EXPECT_TRUE(Read()->ListCommits(10, std::nullopt)->empty());
}

TEST_F(HistoryTest, LeaseWritesAreNotHistory) {
  Task t;
  {
    auto w = std::move(*store_->Write("test"));
    Plan p = MakePlan(ids_, *w, "A");
    ASSERT_TRUE(w->InsertPlan(p));
    t.task_id = ids_.NewUuid();
    t.hash_id = *w->AllocateShortId(Entity::kTask, t.task_id);
    t.plan_id = p.plan_id;
    t.title = "T";
    ASSERT_TRUE(w->InsertTask(t));
    ASSERT_TRUE(w->Commit("tester", "setup", ids_, {}));
  }
  auto w = std::move(*store_->Write("test"));
  ASSERT_TRUE(w->SetLease(t.task_id, 5));
  auto c = w->Commit("tester", "lease", ids_, {});
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
}

TEST_F(HistoryTest, RollbackLeavesNoTrace) {
  {
    auto w = std::move(*store_->Write("test"));
    ASSERT_TRUE(w->InsertPlan(MakePlan(ids_, *w, "gone")));
    // destroyed without Commit: rolled back
  }
  EXPECT_TRUE(Read()->ListPlans({})->empty());
  EXPECT_TRUE(Read()->ListCommits(10, std::nullopt)->empty());
}

TEST_F(HistoryTest, UndoneUnitLeavesNoTraceInTheCommit) {
  auto w = std::move(*store_->Write("test"));
  ASSERT_TRUE(w->InsertPlan(MakePlan(ids_, *w, "kept")));
  ASSERT_TRUE(w->BeginUnit());
  ASSERT_TRUE(w->InsertPlan(MakePlan(ids_, *w, "dropped")));
  ASSERT_TRUE(w->UndoUnit());
  auto c = w->Commit("tester", "one of two", ids_, {});
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->changes, 1);
  w.reset();
  auto plans = Read()->ListPlans({});
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].title, "kept");
}

TEST_F(HistoryTest, PendingChangesAreAbsorbedByTheNextCommit) {
  ASSERT_TRUE(Write("A", CommitOptions{true, std::nullopt}));
  ASSERT_TRUE(Write("B", CommitOptions{true, std::nullopt}));
  auto pending = Read()->PendingCommit();
  ASSERT_TRUE(pending && *pending);
  EXPECT_EQ((*pending)->changes, 2);
  EXPECT_TRUE(Read()->ListCommits(10, std::nullopt)->empty());
  ASSERT_TRUE(Write("C"));
  EXPECT_FALSE(*Read()->PendingCommit());
  auto log = Read()->ListCommits(10, std::nullopt);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].changes, 3);
}

// The store-neutral records: what each commit changed, per table, key and column.
TEST_F(HistoryTest, CommitsExposeTheirRowChangesAsRecords) {
  ASSERT_TRUE(Write("A"));
  {
    auto w = std::move(*store_->Write("test"));
    Plan p = (*w->ListPlans({}))[0];
    p.title = "renamed";
    ASSERT_TRUE(w->UpdatePlan(p));
    ASSERT_TRUE(w->Commit("tester", "rename", ids_, {}));
  }
  std::vector<std::vector<Change>> seen;
  ASSERT_TRUE(Read()->ForEachCommit([&](const tg::Commit&, const std::vector<Change>& c) -> Status {
    seen.push_back(c);
    return Ok();
  }));
  ASSERT_EQ(seen.size(), 2u);
  ASSERT_EQ(seen[0].size(), 1u);
  EXPECT_EQ(seen[0][0].table, "plans");
  EXPECT_EQ(seen[0][0].op, ChangeOp::kInsert);
  EXPECT_TRUE(seen[0][0].before.empty());
  EXPECT_EQ(seen[0][0].after.size(), 13u);  // every column of plans
  ASSERT_EQ(seen[1].size(), 1u);
  const Change& u = seen[1][0];
  EXPECT_EQ(u.op, ChangeOp::kUpdate);
  ASSERT_EQ(u.key.size(), 1u);
  EXPECT_EQ(u.key[0].column, "plan_id");
  // Only what changed: the title (updated_at was rewritten with the same value).
  ASSERT_EQ(u.before.size(), 1u);
  EXPECT_EQ(u.before[0], (Cell{"title", std::string("A")}));
  ASSERT_EQ(u.after.size(), 1u);
  EXPECT_EQ(u.after[0], (Cell{"title", std::string("renamed")}));
}

// The rows a transaction inserts into tasks, edges and events are recorded by the store itself
// (store/sqlite/recorder.h), not read back by the session: each record must hold exactly the
// row the table holds, every column with its stored type.
class RecordedInsertTest : public HistoryTest {
 protected:
  Task NewTask(Writer& w, const Plan& p) {
    Task t;
    t.task_id = ids_.NewUuid();
    t.hash_id = *w.AllocateShortId(Entity::kTask, t.task_id);
    t.plan_id = p.plan_id;
    t.title = "Écrire le schéma — \"quoted\"";
    t.external_key = "k-1";
    t.acceptance = R"(["it works"])";
    t.priority = 3;
    t.estimate_mins = 45;
    t.risk = Risk::kHigh;
    t.started_at = 1'700'000'000'123;
    t.created_at = t.updated_at = 1'700'000'000'000;
    return t;
  }
  std::vector<Change> LastCommitChanges() {
    std::vector<Change> last;
    EXPECT_TRUE(Read()->ForEachCommit([&](const tg::Commit&, const std::vector<Change>& c) {
      last = c;
      return Ok();
    }));
    return last;
  }
  static std::vector<const Change*> Of(const std::vector<Change>& cs, std::string_view table) {
    std::vector<const Change*> out;
    for (const auto& c : cs) {
      if (c.table == table) out.push_back(&c);
    }
    return out;
  }
};

TEST_F(RecordedInsertTest, EachRecordHoldsTheRowAsStored) {
  {
    auto w = std::move(*store_->Write("test"));
    Plan p = MakePlan(ids_, *w, "A");
    ASSERT_TRUE(w->InsertPlan(p));
    Task a = NewTask(*w, p), b = NewTask(*w, p);
    b.external_key = std::nullopt;
    b.priority = std::nullopt;
    ASSERT_TRUE(w->InsertTask(a));
    ASSERT_TRUE(w->InsertTask(b));
    ASSERT_TRUE(w->InsertEdge(Edge{a.task_id, b.task_id, EdgeType::kBlocks, std::nullopt, 5}));
    ASSERT_TRUE(w->InsertEvent(Event{ids_.NewUuid(), a.task_id, "created", R"({"x":1})", "me", 7}));
    auto c = w->Commit("tester", "rows", ids_, {});
    ASSERT_TRUE(c && *c);
    EXPECT_EQ((*c)->changes, 5);  // plan, two tasks, edge, event
  }
  auto changes = LastCommitChanges();
  ASSERT_EQ(changes.size(), 5u);
  for (std::string_view table : {"tasks", "edges", "events"}) {
    auto live = Read()->TableRows(table);
    ASSERT_TRUE(live);
    auto recorded = Of(changes, table);
    ASSERT_EQ(recorded.size(), live->size()) << table;
    for (const Change* c : recorded) {
      EXPECT_EQ(c->op, ChangeOp::kInsert);
      EXPECT_NE(std::find(live->begin(), live->end(), c->after), live->end())
          << table << ": a record that is no row of the table";
    }
  }
  // Integers stay integers and absent values NULL (a text "3" would not replay to 3).
  for (const Change* c : Of(changes, "tasks")) {
    for (const Cell& cell : c->after) {
      if (cell.column == "estimate_mins") {
        EXPECT_EQ(cell.value, Value(int64_t{45}));
      }
      if (cell.column == "claimed_by") {
        EXPECT_EQ(cell.value, Value());
      }
    }
  }
}

TEST_F(RecordedInsertTest, ARowChangedAfterItsInsertIsOneInsertOfItsLastValues) {
  {
    auto w = std::move(*store_->Write("test"));
    Plan p = MakePlan(ids_, *w, "A");
    ASSERT_TRUE(w->InsertPlan(p));
    Task a = NewTask(*w, p), b = NewTask(*w, p);
    b.external_key = "k-2";
    ASSERT_TRUE(w->InsertTask(a));
    ASSERT_TRUE(w->InsertTask(b));
    a.status = TaskStatus::kBlocked;
    ASSERT_TRUE(w->UpdateTask(a));  // through the session, after a recorded insert
    ASSERT_TRUE(w->InsertEdge(Edge{a.task_id, b.task_id, EdgeType::kBlocks, std::nullopt, 5}));
    ASSERT_TRUE(*w->DeleteEdge(a.task_id, b.task_id, EdgeType::kBlocks));
    auto c = w->Commit("tester", "rows", ids_, {});
    ASSERT_TRUE(c && *c);
    EXPECT_EQ((*c)->changes, 3);  // plan and two tasks; the edge came and went
  }
  auto changes = LastCommitChanges();
  EXPECT_TRUE(Of(changes, "edges").empty());
  auto tasks = Of(changes, "tasks");
  ASSERT_EQ(tasks.size(), 2u);
  auto live = Read()->TableRows("tasks");
  for (const Change* c : tasks) {
    EXPECT_EQ(c->op, ChangeOp::kInsert);
    EXPECT_NE(std::find(live->begin(), live->end(), c->after), live->end());
  }
}

TEST_F(RecordedInsertTest, AnUndoneUnitTakesItsRecordedInsertsWithIt) {
  auto w = std::move(*store_->Write("test"));
  Plan p = MakePlan(ids_, *w, "A");
  ASSERT_TRUE(w->InsertPlan(p));
  Task kept = NewTask(*w, p);
  ASSERT_TRUE(w->InsertTask(kept));
  ASSERT_TRUE(w->BeginUnit());
  Task dropped = NewTask(*w, p);
  dropped.external_key = "k-2";
  ASSERT_TRUE(w->InsertTask(dropped));
  ASSERT_TRUE(w->InsertEvent(Event{ids_.NewUuid(), dropped.task_id, "created", "{}", "me", 7}));
  ASSERT_TRUE(w->UndoUnit());
  auto c = w->Commit("tester", "one task", ids_, {});
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->changes, 2);
  w.reset();
  auto changes = LastCommitChanges();
  auto tasks = Of(changes, "tasks");
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_TRUE(Of(changes, "events").empty());
  EXPECT_NE(std::find(tasks[0]->key.begin(), tasks[0]->key.end(), Cell{"task_id", kept.task_id}),
            tasks[0]->key.end());
}

}  // namespace
}  // namespace tg::store
