// Property tests of the versioned graph: random operations by several agents, then
// - undo of an agent's last commits followed by `revert <undo>` is the identity (or, on a
//   conflict, writes nothing);
// - reverting every commit newest first reproduces, after each revert, the graph as it was
//   before that commit (every history column but bookkeeping times; leases are not history);
// - tg doctor is clean after every step.
// Seeded and reproducible: TG_PROPERTY_SEED picks the first seed, TG_PROPERTY_CASES how many
// cases (CI keeps the default small; run thousands locally). With TG_TEST_PG (the pg label)
// they run against the PostgreSQL store.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "app/claims.h"
#include "app/doctor.h"
#include "app/graph_ops.h"
#include "app/versioned.h"
#include "store/store.h"

namespace tg::app {
namespace {

namespace fs = std::filesystem;

int EnvInt(const char* name, int fallback) {
  const char* v = getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

class VersionedPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override { Fresh(); }
  void TearDown() override { Drop(); }

  // A new empty graph with two plans. Cases run in one graph a few dozen at a time (any
  // starting graph will do), then in a fresh one, so doctor's full replay stays short.
  void Fresh() {
    Drop();
    // Cases commit thousands of times: tmpfs makes fsync cheap where there is one.
    fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string t = (base / "tg-vg-XXXXXX").string();
    dir_ = mkdtemp(t.data());
    if (const char* pg = getenv("TG_TEST_PG"); pg && *pg) {
      std::random_device rd;
      db_ = "tg_vg_" + std::to_string(rd()) + "_" + std::to_string(rd());
      ASSERT_EQ(Pg("createdb", pg), 0);
      url_ = "postgresql:///" + db_ + "?host=" + pg + "&user=tg";
    }
    store::OpenOptions o;
    if (!url_.empty()) o.database_url = url_;
    ASSERT_TRUE(store::Init(dir_, o));
    auto s = store::Open(dir_, o, clock_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    ctx_ = std::make_unique<Context>(Context{*store_, ids_});
    ctx_->agent_explicit = true;
    plans_.clear();
    for (const char* title : {"Alpha", "Beta"}) {
      ctx_->agent = "lead";
      auto p = CreatePlan(*ctx_, {title, "", {}, {}});
      ASSERT_TRUE(p) << p.error().message;
      plans_.push_back(p->value.plan_id);
    }
  }
  void Drop() {
    ctx_.reset();
    store_.reset();
    if (!db_.empty()) Pg("dropdb --force", getenv("TG_TEST_PG"));
    db_.clear();
    url_.clear();
    if (!dir_.empty()) fs::remove_all(dir_);
    dir_.clear();
  }
  int Pg(const std::string& tool, const char* socket) {
    std::string cmd = "/usr/lib/postgresql/15/bin/" + tool + " -h '" + socket + "' -U tg " + db_;
    return std::system(cmd.c_str());
  }

  // The history tables as sorted rows of non-NULL cells, bookkeeping columns left out.
  std::map<std::string, std::vector<std::string>> State() {
    std::map<std::string, std::vector<std::string>> out;
    auto r = store_->Read();
    EXPECT_TRUE(r);
    auto tables = (*r)->Tables();
    EXPECT_TRUE(tables);
    for (const auto& t : *tables) {
      if (store::IsNonHistoryTable(t)) continue;
      auto rows = (*r)->TableRows(t);
      EXPECT_TRUE(rows);
      auto& v = out[t];
      for (const auto& row : *rows) {
        std::string s;
        for (const auto& c : row) {
          if (c.value.index() == 0 || store::IsBookkeepingColumn(t, c.column)) continue;
          s += c.column + "=" + store::FormatValue(c.value) + ";";
        }
        v.push_back(std::move(s));
      }
      std::sort(v.begin(), v.end());
    }
    return out;
  }

  std::string Head() {
    auto r = store_->Read();
    auto last = (*r)->CommitsBy(std::nullopt, false, 1);
    return last && !last->empty() ? last->front().commit_id : "";
  }

  void ExpectDoctorClean(const std::string& where) {
    auto f = Doctor(*ctx_);
    ASSERT_TRUE(f) << f.error().message;
    for (const auto& x : *f) {
      ADD_FAILURE() << where << ": doctor: " << x.check << ": " << x.message << " "
                    << (x.rows.empty() ? "" : x.rows.front());
    }
  }

  // One random operation by a random agent; failures (an invalid transition) write nothing.
  std::string RandomOp(std::mt19937& rng) {
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    static const char* kAgents[] = {"a", "b", "c"};
    ctx_->agent = kAgents[pick(3)];
    auto r = store_->Read();
    auto tasks = *(*r)->AllTasks();
    auto gates = *(*r)->ListGates(true, std::nullopt);
    auto edges = *(*r)->ListEdges(std::nullopt);
    r->reset();
    int op = tasks.size() < 2 ? 0 : static_cast<int>(pick(13));
    std::string id = tasks.empty() ? "" : tasks[pick(tasks.size())].task_id;
    std::string other = tasks.empty() ? "" : tasks[pick(tasks.size())].task_id;
    std::string what = std::string(ctx_->agent) + ":";
    switch (op) {
      case 0: {
        TaskFields f;
        f.title = "T" + std::to_string(rng() % 1000);
        if (rng() % 2) f.docs = std::vector<std::string>{"api"};
        (void)CreateTask(*ctx_, plans_[pick(plans_.size())], f);
        return what + "create";
      }
      case 1:
        (void)Start(*ctx_, {id}, {});
        return what + "start";
      case 2: {
        DoneOptions d;
        d.evidence = "ok";
        d.force = rng() % 4 == 0;
        (void)Done(*ctx_, {id}, d);
        return what + "done";
      }
      case 3:
        (void)Note(*ctx_, {id}, {"a note", false});
        return what + "note";
      case 4:
        (void)Release(*ctx_, {id}, rng() % 2 == 0);
        return what + "release";
      case 5:
        (void)Reopen(*ctx_, {id}, "again");
        return what + "reopen";
      case 6:
        (void)Cancel(*ctx_, {id}, {CancelType::kTask, std::string("no"), false});
        return what + "cancel";
      case 7:
      case 8:
        (void)AddEdge(*ctx_, id, EdgeType::kBlocks, other, std::nullopt);
        return what + "edge add";
      case 9:
        if (!edges.empty()) {
          const auto& e = edges[pick(edges.size())];
          (void)RemoveEdge(*ctx_, e.from_task_id, e.type, e.to_task_id);
        }
        return what + "edge remove";
      case 10: {
        TaskFields f;
        f.title = "U" + std::to_string(rng() % 1000);
        f.priority = std::optional<int>(static_cast<int>(rng() % 3));
        (void)UpdateTask(*ctx_, id, f);
        return what + "update";
      }
      case 11:
        (void)CreateGate(*ctx_, "g", id, GateType::kHuman);
        return what + "gate create";
      default:
        if (!gates.empty()) (void)ResolveGateCmd(*ctx_, gates[pick(gates.size())].gate_id, "ok");
        return what + "gate resolve";
    }
  }

  void RunCase(uint32_t seed) {
    std::mt19937 rng(seed);
    std::string trace = "seed " + std::to_string(seed) + ":";
    struct Step {
      std::string commit;
      std::map<std::string, std::vector<std::string>> before;
    };
    std::vector<Step> steps;
    int ops = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < ops; ++i) {
      auto before = State();
      std::string head = Head();
      trace += " " + RandomOp(rng);
      std::string now = Head();
      if (now != head) steps.push_back({now, std::move(before)});
    }
    ExpectDoctorClean(trace);
    // Undo, then revert of the undo: the identity.
    {
      auto before = State();
      static const char* kAgents[] = {"a", "b", "c"};
      ctx_->agent = kAgents[rng() % 3];
      UndoQuery q;
      q.last = 1 + static_cast<int>(rng() % 3);
      auto undo = Undo(*ctx_, q);
      if (!undo) {
        ASSERT_TRUE(undo.error().code == Code::kMergeConflict ||
                    undo.error().code == Code::kValidationFailed)
            << trace << ": " << undo.error().message;
        ASSERT_EQ(State(), before) << trace << ": a refused undo wrote something";
      } else if (undo->commit && !undo->commit->commit_id.empty()) {
        ExpectDoctorClean(trace + " undo");
        ctx_->agent = "lead";
        auto redo = Revert(*ctx_, undo->commit->commit_id, false);
        ASSERT_TRUE(redo) << trace << ": revert of the undo: " << redo.error().message;
        ASSERT_EQ(State(), before) << trace << ": undo then revert is not the identity";
        ExpectDoctorClean(trace + " redo");
      }
    }
    // Every commit taken back, newest first: each revert gives the graph before that commit.
    ctx_->agent = "lead";
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      auto rv = Revert(*ctx_, it->commit, false);
      ASSERT_TRUE(rv) << trace << ": revert " << it->commit << ": " << rv.error().message;
      ASSERT_EQ(State(), it->before) << trace << ": revert of " << it->commit;
      ExpectDoctorClean(trace + " revert " + it->commit);
      if (HasFatalFailure() || HasFailure()) return;
    }
  }

  FixedClock clock_{1'700'000'000'000};
  SequentialIdSource ids_;
  std::string dir_, db_, url_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Context> ctx_;
  std::vector<std::string> plans_;
};

TEST_F(VersionedPropertyTest, UndoRedoIsIdentityAndRevertingEveryCommitReproducesEachPoint) {
  const int cases = EnvInt("TG_PROPERTY_CASES", 30);
  const uint32_t first = static_cast<uint32_t>(EnvInt("TG_PROPERTY_SEED", 1));
  for (int i = 0; i < cases; ++i) {
    if (i > 0 && i % 25 == 0) Fresh();
    clock_.Set(clock_.Now() + 1000);
    RunCase(first + static_cast<uint32_t>(i));
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace tg::app
