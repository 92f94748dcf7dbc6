// Tests that guard the guards: the claim's compare-and-set with the writers' queue out of the
// way, the recorder's table list against the live schema, and writes that the PostgreSQL store
// queues to send with the next statement (PgConn::Exec) against rollbacks and errors. With
// TG_TEST_PG (the pg label) they run against the PostgreSQL store, each test in a database of
// its own.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <latch>
#include <random>
#include <set>
#include <thread>

#include "store/pg/conn.h"
#include "store/pg/schema.h"
#include "store/pg/url.h"
#include "store/sqlite/schema.h"
#include "store/store.h"

namespace tg::store {
namespace {

namespace fs = std::filesystem;

class GuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "tg-guard-XXXXXX").string();
    dir_ = mkdtemp(t.data());
    if (const char* pg = getenv("TG_TEST_PG"); pg && *pg) {
      std::random_device rd;
      db_ = "tg_guard_" + std::to_string(rd()) + "_" + std::to_string(rd());
      ASSERT_EQ(Pg("createdb", pg), 0);
      url_ = "postgresql:///" + db_ + "?host=" + pg + "&user=tg";
    }
    ASSERT_TRUE(Init(dir_, Opts()));
    auto s = Open(dir_, Opts(), clock_);
    ASSERT_TRUE(s) << s.error().message;
    auto w = std::move(*(*s)->Write("setup"));
    Plan p;
    p.plan_id = ids_.NewUuid();
    p.hash_id = *w->AllocateShortId(Entity::kPlan, p.plan_id);
    p.title = std::string("P");  // a literal assigned trips GCC 12's false -Wrestrict at -O3
    ASSERT_TRUE(w->InsertPlan(p));
    task_.task_id = ids_.NewUuid();
    task_.hash_id = *w->AllocateShortId(Entity::kTask, task_.task_id);
    task_.plan_id = p.plan_id;
    task_.title = std::string("T");
    ASSERT_TRUE(w->InsertTask(task_));
    ASSERT_TRUE(w->Commit("setup", "setup", ids_, {}));
  }
  void TearDown() override {
    if (!db_.empty()) Pg("dropdb --force", getenv("TG_TEST_PG"));
    fs::remove_all(dir_);
  }
  int Pg(const std::string& tool, const char* socket) {
    std::string cmd = "/usr/lib/postgresql/15/bin/" + tool + " -h '" + socket + "' -U tg " + db_;
    return std::system(cmd.c_str());
  }
  OpenOptions Opts(bool queue = true) const {
    OpenOptions o;
    o.queue_writers = queue;
    if (!url_.empty()) o.database_url = url_;
    return o;
  }

  // Commits `w`, which must hold exactly one change, and checks the title a new read sees.
  void CommitsOneChange(std::unique_ptr<Writer> w, Store& s, const std::string& title);

  FixedClock clock_{1'700'000'000'000};
  SequentialIdSource ids_;
  std::string dir_, db_, url_;
  Task task_;
};

// A server store has no process-wide lock, so the claim must hold by itself: many writers,
// each on its own connection with the queue off, claim the same todo task at once, and the
// compare-and-set lets exactly one of them through. (Remove `AND status='todo'` from the claim
// and every writer wins.)
TEST_F(GuardTest, ExactlyOneOfManyRacingClaimsWinsWithoutTheWriteQueue) {
  constexpr int kRacers = 12;
  OpenOptions no_queue = Opts(/*queue=*/false);
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kRacers; ++i) {
    auto s = Open(dir_, no_queue, clock_);
    ASSERT_TRUE(s) << s.error().message;
    stores.push_back(std::move(*s));
  }
  std::latch start(kRacers);
  std::atomic<int> winners{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      SequentialIdSource ids(1000 * (i + 1));
      start.arrive_and_wait();
      auto w = stores[i]->Write("racer");
      if (!w) {
        ++failures;
        return;
      }
      auto won = (*w)->ClaimTask(task_.task_id, "agent-" + std::to_string(i), false);
      if (!won || !(*w)->Commit("agent", "claim", ids, {})) {
        ++failures;
        return;
      }
      if (*won) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(winners, 1);
  auto r = std::move(*stores[0]->Read());
  auto t = *r->GetTask(task_.task_id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->status, TaskStatus::kDoing);
  ASSERT_TRUE(t->claimed_by);
}

// What a writer read before deciding is no guard: a claim made on a stale view of a task that
// another writer claimed meanwhile is refused.
TEST_F(GuardTest, AClaimOnAStaleReadIsRefused) {
  OpenOptions no_queue = Opts(/*queue=*/false);
  auto a = std::move(*Open(dir_, no_queue, clock_));
  auto b = std::move(*Open(dir_, no_queue, clock_));
  auto seen = *(*a->Read())->GetTask(task_.task_id);  // a sees todo
  ASSERT_EQ(seen->status, TaskStatus::kTodo);
  {
    auto w = std::move(*b->Write("b"));
    ASSERT_TRUE(*w->ClaimTask(task_.task_id, "bob", false));
    ASSERT_TRUE(w->Commit("bob", "claim", ids_, {}));
  }
  auto w = std::move(*a->Write("a"));
  auto won = w->ClaimTask(task_.task_id, "alice", false);
  ASSERT_TRUE(won);
  EXPECT_FALSE(*won);
}

// The recorder attaches to an explicit list of tables; doctor's replay takes the live schema
// minus the documented non-history tables. A migration that adds a table must add it to one
// or the other, or this fails.
TEST_F(GuardTest, TheRecorderCoversEveryTableThatIsNotDocumentedAsNonHistory) {
  auto s = std::move(*Open(dir_, Opts(), clock_));
  auto r = std::move(*s->Read());
  auto tables = r->Tables();
  ASSERT_TRUE(tables);
  std::vector<std::string> history;
  for (const auto& t : *tables) {
    if (!IsNonHistoryTable(t)) history.push_back(t);
  }
  auto recorded = url_.empty() ? sqlite::HistoryTables() : pg::PgHistoryTables();
  std::sort(recorded.begin(), recorded.end());
  std::sort(history.begin(), history.end());
  EXPECT_EQ(recorded, history);
}

std::string TitleOf(Store& s, const std::string& task_id) {
  auto r = s.Read();
  if (!r) return "(read failed: " + r.error().message + ")";
  auto t = (*r)->GetTask(task_id);
  if (!t || !*t) return "(no task)";
  return (*t)->title;
}

Task Titled(Task t, const char* title) {
  t.title = std::string(title);
  return t;
}

void GuardTest::CommitsOneChange(std::unique_ptr<Writer> w, Store& s, const std::string& title) {
  auto c = w->Commit("test", "test", ids_, {});
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(*c);
  EXPECT_EQ((*c)->changes, 1);
  w.reset();
  EXPECT_EQ(TitleOf(s, task_.task_id), title);
}

// A transaction dropped without its commit takes its writes along, also those the store had
// not sent yet: the next transaction on the same connection must not send them.
TEST_F(GuardTest, ARolledBackTransactionLeavesNothingForTheNext) {
  auto s = std::move(*Open(dir_, Opts(), clock_));
  {
    auto w = std::move(*s->Write("a"));
    ASSERT_TRUE(w->UpdateTask(Titled(task_, "dropped")));
  }
  {
    auto w = std::move(*s->Write("b"));
    ASSERT_TRUE(w->Commit("b", "nothing", ids_, {}));
  }
  EXPECT_EQ(TitleOf(*s, task_.task_id), "T");
}

// An undone unit is undone whether or not its writes reached the server (a read in the unit
// sends them), and the units around it commit.
TEST_F(GuardTest, AnUndoneUnitLeavesNoTraceAndTheOthersCommit) {
  auto s = std::move(*Open(dir_, Opts(), clock_));
  auto w = std::move(*s->Write("batch"));
  ASSERT_TRUE(w->BeginUnit());
  ASSERT_TRUE(w->UpdateTask(Titled(task_, "undone, never sent")));
  ASSERT_TRUE(w->UndoUnit());
  ASSERT_TRUE(w->BeginUnit());
  ASSERT_TRUE(w->UpdateTask(Titled(task_, "kept")));
  ASSERT_TRUE(w->EndUnit());
  ASSERT_TRUE(w->BeginUnit());
  ASSERT_TRUE(w->UpdateTask(Titled(task_, "undone after a read")));
  auto seen = w->GetTask(task_.task_id);  // sends the unit's writes
  ASSERT_TRUE(seen && *seen);
  EXPECT_EQ((*seen)->title, "undone after a read");
  ASSERT_TRUE(w->UndoUnit());
  CommitsOneChange(std::move(w), *s, "kept");
}

// A write the server refuses fails the transaction, at the latest at its commit, with nothing
// of it kept; the connection stays usable for the next one.
TEST_F(GuardTest, ARefusedWriteFailsTheTransactionAndKeepsNothing) {
  auto s = std::move(*Open(dir_, Opts(), clock_));
  {
    auto w = std::move(*s->Write("a"));
    ASSERT_TRUE(w->UpdateTask(Titled(task_, "before the refused write")));
    Task dup = task_;  // the same task id again
    Status inserted = w->InsertTask(dup);
    bool committed = inserted && w->Commit("a", "dup", ids_, {});
    EXPECT_FALSE(committed);
  }
  EXPECT_EQ(TitleOf(*s, task_.task_id), "T");
  auto w = std::move(*s->Write("b"));
  ASSERT_TRUE(w->UpdateTask(Titled(task_, "after")));
  ASSERT_TRUE(w->Commit("b", "after", ids_, {}));
  w.reset();
  EXPECT_EQ(TitleOf(*s, task_.task_id), "after");
}

// The same statements many times over on one connection (the PostgreSQL store prepares them
// from their second run) while another connection writes in between: every read sees the
// latest commit.
TEST_F(GuardTest, RepeatedStatementsOnOneConnectionSeeEveryCommit) {
  auto a = std::move(*Open(dir_, Opts(), clock_));
  auto b = std::move(*Open(dir_, Opts(), clock_));
  for (int i = 0; i < 12; ++i) {
    Store& writer = i % 3 == 2 ? *b : *a;
    std::string title = "round " + std::to_string(i);
    {
      auto w = std::move(*writer.Write("w"));
      ASSERT_TRUE(w->UpdateTask(Titled(task_, title.c_str())));
      ASSERT_TRUE(w->SetLease(task_.task_id, 1'700'000'000'000 + i));
      auto c = w->Commit("w", title, ids_, {});
      ASSERT_TRUE(c) << c.error().message;
    }
    EXPECT_EQ(TitleOf(*a, task_.task_id), title);
    EXPECT_EQ(TitleOf(*b, task_.task_id), title);
  }
  auto r = std::move(*a->Read());
  auto log = r->ListCommits(100, std::nullopt);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->size(), 13u);  // setup and twelve rounds
}

// Behind a transaction-mode pooler (scripts/pg-test-server.sh starts PgBouncer with two server
// connections) each transaction may run on another server process, and the statements the
// store prepared on one do not exist on the other. Two connections take turns holding a
// transaction open while the other writes: PgBouncer hands out the server connection released
// last, so each moves to the process the other just left, and every transaction must still
// work and see every commit.
TEST_F(GuardTest, ThroughATransactionPoolerEveryTransactionWorks) {
  if (url_.empty()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)";
  const std::string pool = fs::path(getenv("TG_TEST_PG")).parent_path() / "pool";
  if (!fs::exists(pool + "/.s.PGSQL.6432")) {
    GTEST_SKIP() << "no PgBouncer in front of the test server; install Debian's pgbouncer "
                    "(scripts/deps.sh) and restart it (scripts/pg-test-server.sh)";
  }
  OpenOptions o = Opts();
  o.database_url = "postgresql:///" + db_ + "?host=" + pool + "&port=6432&user=tg";
  auto a = Open(dir_, o, clock_);
  auto b = Open(dir_, o, clock_);
  ASSERT_TRUE(a && b);
  int commits = 1;  // setup
  auto write = [&](Store& s, const std::string& title) {
    for (int i = 0; i < 3; ++i) {  // the store prepares a statement on its second run
      auto w = s.Write("pooled");
      ASSERT_TRUE(w) << w.error().message;
      ASSERT_TRUE((*w)->UpdateTask(Titled(task_, (title + std::to_string(i)).c_str())));
      ASSERT_TRUE((*w)->SetLease(task_.task_id, 1'700'000'000'000 + commits));
      auto c = (*w)->Commit("pooled", title, ids_, {});
      ASSERT_TRUE(c) << c.error().message;
      ++commits;
      EXPECT_EQ(TitleOf(s, task_.task_id), title + std::to_string(i));
    }
  };
  for (int round = 0; round < 4; ++round) {
    Store& first = round % 2 ? **b : **a;
    Store& second = round % 2 ? **a : **b;
    write(first, "first ");
    {
      auto held = first.Read();  // keeps the server process `first` just used
      ASSERT_TRUE(held) << held.error().message;
      write(second, "second ");
    }
  }
  auto r = std::move(*(*a)->Read());
  auto log = r->ListCommits(100, std::nullopt);
  ASSERT_TRUE(log);
  EXPECT_EQ(static_cast<int>(log->size()), commits);
}

// The cache of what is prepared where can go wrong behind the store's back (a pooler's server
// processes restarted, a process id reused): the transaction that finds out fails, and the
// next one prepares afresh instead of failing the same way for the rest of the connection.
TEST_F(GuardTest, AStatementTheServerLostIsPreparedAgain) {
  if (url_.empty()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)";
  auto spec = pg::ParseUrl(url_);
  ASSERT_TRUE(spec) << spec.error().message;
  auto c = pg::PgConn::Connect(*spec, 10'000);
  ASSERT_TRUE(c) << c.error().message;
  pg::PgConn& conn = **c;
  auto pid = conn.Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid);
  const int backend = static_cast<int>(pid->Int(0, 0));
  auto run = [&]() -> bool {
    if (!conn.Script("BEGIN")) return false;
    conn.OnBackend(backend);
    auto r = conn.Query("SELECT title FROM tasks WHERE task_id = $1", {pg::P(task_.task_id)});
    conn.OnBackend(0);
    bool ended = static_cast<bool>(conn.Script(r ? "COMMIT" : "ROLLBACK"));
    return ended && r && r->Rows() == 1 && r->Text(0, 0) == "T";
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(run()) << i;  // prepared from the second run
  ASSERT_TRUE(conn.Script("DEALLOCATE ALL"));
  EXPECT_FALSE(run());  // the server lost it: this transaction fails
  EXPECT_TRUE(run());   // and the next ones work again
  EXPECT_TRUE(run());
  EXPECT_TRUE(run());
}

// A committed transaction that is still alive when the next one on its connection begins must
// leave that one alone when it goes: its writes still queued, its statements still prepared.
TEST_F(GuardTest, ACommittedTransactionLeavesTheNextOneAloneWhenItGoes) {
  auto s = std::move(*Open(dir_, Opts(), clock_));
  auto first = std::move(*s->Write("first"));
  ASSERT_TRUE(first->UpdateTask(Titled(task_, "first")));
  ASSERT_TRUE(first->Commit("first", "first", ids_, {}));
  auto second = std::move(*s->Write("second"));
  ASSERT_TRUE(second->UpdateTask(Titled(task_, "second")));
  first.reset();
  CommitsOneChange(std::move(second), *s, "second");
}

}  // namespace
}  // namespace tg::store
