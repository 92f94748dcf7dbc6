// The store: init/open, migrations, schema checks, failure mapping, the write lock, history.
#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "store/queries.h"
#include "store/schema.h"
#include "store/txn.h"
#include "store/write_lock.h"

namespace tg::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "tg-unit-XXXXXX").string();
    path_ = mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Plan MakePlan(IdSource& ids, Db& db, const std::string& title) {
  Plan p;
  p.plan_id = ids.NewUuid();
  p.hash_id = *AllocateShortId(db, Entity::kPlan, p.plan_id);
  p.title = title;
  p.created_at = p.updated_at = 1000;
  return p;
}

TEST(Store, InitThenOpenAtCurrentVersion) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  auto s = Store::Open(d.path(), {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*(*s)->db().QueryInt("PRAGMA user_version"), SchemaVersion());
  EXPECT_EQ(*(*s)->db().QueryInt("SELECT count(*) FROM pragma_journal_mode WHERE "
                                 "journal_mode = 'wal'"),
            1);
  EXPECT_EQ(*(*s)->db().QueryInt("PRAGMA foreign_keys"), 1);
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
  {
    auto s = Store::Open(d.path(), {});
    ASSERT_TRUE((*s)->db().Exec("PRAGMA user_version = 999"));
  }
  auto s = Store::Open(d.path(), {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kSchemaTooNew);
  EXPECT_NE(s.error().message.find("upgrade tg"), std::string::npos);
}

// A store written by the first release (schema 1) is brought up to date on its next open.
TEST(Store, SchemaOneIsMigratedToTheNextIndex) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  {
    auto s = Store::Open(d.path(), {});
    ASSERT_TRUE(
        (*s)->db().Exec("DROP INDEX tasks_next; CREATE INDEX tasks_status ON tasks "
                        "(status, priority, created_at); PRAGMA user_version = 1"));
  }
  auto s = Store::Open(d.path(), {});
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(*(*s)->db().QueryInt("PRAGMA user_version"), SchemaVersion());
  EXPECT_EQ(*(*s)->db().QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'tasks_next'"),
            1);
  EXPECT_EQ(*(*s)->db().QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'tasks_status'"),
            0);
}

TEST(Store, GarbageFileIsStoreCorrupt) {
  TempDir d;
  ASSERT_TRUE(Init(d.path(), {}));
  fs::remove(d.path() + "/.taskgraph/tg.db-wal");
  fs::remove(d.path() + "/.taskgraph/tg.db-shm");
  { std::ofstream(d.path() + "/.taskgraph/tg.db", std::ios::trunc) << std::string(8192, 'x'); }
  auto s = Store::Open(d.path(), {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kStoreCorrupt);
}

TEST(Store, ConcurrentFirstOpensMigrateOnce) {
  TempDir d;
  fs::create_directories(d.path() + "/.taskgraph");
  {
    // A store file at version 0, as an older tg or an interrupted init would leave it.
    auto db = Db::Open(d.path() + "/.taskgraph/tg.db", true, 1000);
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL"));
  }
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ok += Store::Open(d.path(), {}).has_value(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  auto s = Store::Open(d.path(), {});
  EXPECT_EQ(*(*s)->db().QueryInt("PRAGMA user_version"), SchemaVersion());
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
    store_ = std::move(*Store::Open(dir_.path(), {}));
  }
  Result<std::optional<CommitInfo>> Write(const std::string& title, CommitOptions opts = {}) {
    TG_ASSIGN(auto txn, WriteTxn::Begin(*store_, "test"));
    TG_TRY(InsertPlan(txn->db(), MakePlan(ids_, txn->db(), title)));
    return txn->Finish("tester", "plan: create " + title, 2000, ids_, opts);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  SequentialIdSource ids_;
};

// Every command's process rebuilds SQLite's WAL index from the WAL's frames, so the writers keep
// the WAL short: a large transaction is checkpointed and truncated away when it commits...
TEST_F(HistoryTest, LargeCommitLeavesAnEmptyWal) {
  auto txn = WriteTxn::Begin(*store_, "test");
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(InsertPlan((*txn)->db(), MakePlan(ids_, (*txn)->db(), std::string(200, 'p'))));
  }
  ASSERT_TRUE((*txn)->Finish("tester", "many plans", 2000, ids_, {}));
  EXPECT_EQ(fs::file_size(dir_.path() + "/.taskgraph/tg.db-wal"), 0u);
  EXPECT_EQ(ListPlans(store_->db(), {})->size(), 3000u);
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
  auto log = ListCommits(store_->db(), 10, std::nullopt);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].author, "tester");
  EXPECT_EQ((*log)[0].message, "plan: create A");
}

TEST_F(HistoryTest, TransactionWithoutChangesWritesNoCommit) {
  auto txn = WriteTxn::Begin(*store_, "test");
  auto c = (*txn)->Finish("tester", "nothing", 2000, ids_, {});
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
  EXPECT_TRUE(ListCommits(store_->db(), 10, std::nullopt)->empty());
}

TEST_F(HistoryTest, LeaseWritesAreNotHistory) {
  Task t;
  {
    auto txn = WriteTxn::Begin(*store_, "test");
    Plan p = MakePlan(ids_, (*txn)->db(), "A");
    ASSERT_TRUE(InsertPlan((*txn)->db(), p));
    t.task_id = ids_.NewUuid();
    t.hash_id = *AllocateShortId((*txn)->db(), Entity::kTask, t.task_id);
    t.plan_id = p.plan_id;
    t.title = "T";
    ASSERT_TRUE(InsertTask((*txn)->db(), t));
    ASSERT_TRUE((*txn)->Finish("tester", "setup", 2000, ids_, {}));
  }
  auto txn = WriteTxn::Begin(*store_, "test");
  ASSERT_TRUE(SetLease((*txn)->db(), t.task_id, 5));
  auto c = (*txn)->Finish("tester", "lease", 2000, ids_, {});
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
}

TEST_F(HistoryTest, RollbackLeavesNoTrace) {
  {
    auto txn = WriteTxn::Begin(*store_, "test");
    ASSERT_TRUE(InsertPlan((*txn)->db(), MakePlan(ids_, (*txn)->db(), "gone")));
    // destroyed without Finish: rolled back
  }
  EXPECT_TRUE(ListPlans(store_->db(), {})->empty());
  EXPECT_TRUE(ListCommits(store_->db(), 10, std::nullopt)->empty());
}

TEST_F(HistoryTest, PendingChangesAreAbsorbedByTheNextCommit) {
  ASSERT_TRUE(Write("A", CommitOptions{true, std::nullopt}));
  ASSERT_TRUE(Write("B", CommitOptions{true, std::nullopt}));
  auto pending = PendingCommit(store_->db());
  ASSERT_TRUE(pending && *pending);
  EXPECT_EQ((*pending)->changes, 2);
  EXPECT_TRUE(ListCommits(store_->db(), 10, std::nullopt)->empty());
  ASSERT_TRUE(Write("C"));
  EXPECT_FALSE(*PendingCommit(store_->db()));
  auto log = ListCommits(store_->db(), 10, std::nullopt);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].changes, 3);
}

TEST_F(HistoryTest, ReplayReproducesTheTables) {
  ASSERT_TRUE(Write("A"));
  ASSERT_TRUE(Write("B", CommitOptions{true, std::nullopt}));
  {
    auto txn = WriteTxn::Begin(*store_, "test");
    auto plans = ListPlans((*txn)->db(), {});
    Plan p = (*plans)[0];
    p.title = "renamed";
    ASSERT_TRUE(UpdatePlan((*txn)->db(), p));
    ASSERT_TRUE((*txn)->Finish("tester", "rename", 3000, ids_, {}));
  }
  TempDir replay;
  ASSERT_TRUE(Init(replay.path(), {}));
  auto dst = Store::Open(replay.path(), {});
  ASSERT_TRUE(ReplayHistory(store_->db(), (*dst)->db()));
  auto diff = DifferingTables(store_->db(), (*dst)->db());
  ASSERT_TRUE(diff) << diff.error().message;
  EXPECT_TRUE(diff->empty());
  // And the check can fail: a change made behind history's back is found.
  ASSERT_TRUE(store_->db().Exec("UPDATE plans SET title = 'sneaky'"));
  diff = DifferingTables(store_->db(), (*dst)->db());
  EXPECT_EQ(*diff, std::vector<std::string>{"plans"});
}

}  // namespace
}  // namespace tg::store
