// make_graph: writes a deterministic benchmark graph into an initialised tg folder, and the
// same graph as Taskwarrior import JSON.
//
//   make_graph --dir <folder holding .taskgraph/> --tasks N [--tw-json FILE]
//
// Shape (N a multiple of 100): plans of 100 tasks, each made of 10 chains of 10 tasks in which
// step k+1 is blocked by step k. Step 6 of every fifth chain (chains 6, 11, 16, ...) also waits
// on step 4 of the chain before it; half of these cross-chain edges cross plans. Chain heads are
// todo (N/10 runnable tasks); every other task is blocked, materialised as tg does it: status
// 'blocked' plus a 'created' and a 'blocked' event. Plan priorities cycle 1, 2, 3, unset, and so
// do task priorities along each chain; risk and estimate vary too, so that `next` has to sort.
//
// Everything happens in ONE write transaction through the store's own queries, so the file is
// what tg would have built (one history commit), in about a second instead of N processes.
// Ids come from SequentialIdSource and times from a fixed base: two runs give the same graph.
//
// Prints the short id of the task `tg show` is benchmarked on: step 6 of chain 11, which has two
// blockers (one in another plan), a dependent and two events.
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/rules.h"
#include "core/clock.h"
#include "core/ids.h"
#include "store/queries.h"
#include "store/store.h"
#include "store/txn.h"

namespace {

using namespace tg;
using nlohmann::json;

constexpr int kChainLength = 10;
constexpr int kChainsPerPlan = 10;
constexpr int kCrossEvery = 5;               // chain c (c % 5 == 0, c > 0) waits on chain c-1
constexpr int kCrossFrom = 3, kCrossTo = 5;  // 0-based steps: 3 of chain c-1 blocks 5 of c
constexpr Millis kBase = 1767225600000;      // 2026-01-01T00:00:00Z
const std::string kAgent = "bench";

// Taskwarrior's date format: 20260101T000000Z.
std::string TwDate(Millis t) {
  std::time_t s = t / 1000;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

struct Args {
  std::string dir;
  int tasks = 0;
  std::string tw_json;
};

bool Parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--dir") {
      a.dir = argv[i + 1];
    } else if (k == "--tasks") {
      a.tasks = std::atoi(argv[i + 1]);
    } else if (k == "--tw-json") {
      a.tw_json = argv[i + 1];
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a.dir.empty() && a.tasks > 0 &&
         a.tasks % (kChainLength * kChainsPerPlan) == 0;
}

Status Generate(const Args& a, json& tw) {
  TG_ASSIGN(auto store, store::Store::Open(a.dir, store::OpenOptions{}));
  SequentialIdSource ids;
  TG_ASSIGN(auto txn, store::WriteTxn::Begin(*store, "make_graph"));
  store::Db& db = txn->db();
  {
    TG_ASSIGN(auto existing,
              store::ListPlans(db, store::PlanListFilter{.include_abandoned = true}));
    if (!existing.empty()) return Fail(Code::kUsage, "the graph is not empty; use a fresh folder");
  }
  const int chains = a.tasks / kChainLength;
  Millis now = kBase;
  Plan plan;
  std::vector<std::string> prev_chain, chain;  // task ids of the previous and current chain
  std::string show_id;
  int edges = 0;
  for (int c = 0; c < chains; ++c) {
    if (c % kChainsPerPlan == 0) {
      int p = c / kChainsPerPlan;
      plan = Plan{};
      plan.plan_id = ids.NewUuid();
      TG_ASSIGN(plan.hash_id, store::AllocateShortId(db, store::Entity::kPlan, plan.plan_id));
      plan.title = fmt::format("bench-plan-{:03}", p + 1);
      plan.intent = "Benchmark plan";
      if (p % 4 != 3) plan.priority = p % 4 + 1;
      plan.created_at = plan.updated_at = now++;
      TG_TRY(store::InsertPlan(db, plan));
    }
    chain.clear();
    for (int k = 0; k < kChainLength; ++k) {
      int i = c * kChainLength + k;
      Task t;
      t.task_id = ids.NewUuid();
      TG_ASSIGN(t.hash_id, store::AllocateShortId(db, store::Entity::kTask, t.task_id));
      t.plan_id = plan.plan_id;
      t.title = fmt::format("Chain {} step {}: benchmark task {}", c + 1, k + 1, i + 1);
      if ((c + k) % 4 != 0) t.priority = (c + k) % 4;
      t.risk = static_cast<Risk>(c % 3);
      t.estimate_mins = 15 * (1 + k % 4);
      t.created_at = t.updated_at = now++;
      std::vector<std::string> blockers;
      if (k > 0) blockers.push_back(chain.back());
      if (k == kCrossTo && c > 0 && c % kCrossEvery == 0) {
        blockers.push_back(prev_chain[kCrossFrom]);
      }
      t.status = blockers.empty() ? TaskStatus::kTodo : TaskStatus::kBlocked;
      TG_TRY(store::InsertTask(db, t));
      TG_TRY(
          app::AddEvent(db, ids, t.task_id, "created", {{"title", t.title}}, kAgent, t.created_at));
      for (const auto& b : blockers) {
        TG_TRY(store::InsertEdge(
            db, Edge{b, t.task_id, EdgeType::kBlocks, std::nullopt, t.created_at}));
        ++edges;
      }
      if (!blockers.empty()) {
        TG_TRY(app::AddEvent(db, ids, t.task_id, "blocked", {{"unmet_blockers", blockers.size()}},
                             kAgent, t.created_at));
      }
      json tw_task = {{"uuid", t.task_id},
                      {"description", t.title},
                      {"status", "pending"},
                      {"entry", TwDate(t.created_at)},
                      {"project", plan.title}};
      if (t.priority) tw_task["priority"] = std::string(1, "HML"[*t.priority - 1]);
      if (!blockers.empty()) tw_task["depends"] = blockers;
      tw.push_back(std::move(tw_task));
      chain.push_back(t.task_id);
      if (c == 10 && k == kCrossTo) show_id = t.hash_id;
    }
    prev_chain.swap(chain);
  }
  TG_ASSIGN(auto commit, txn->Finish(kAgent, fmt::format("bench: generate {} tasks", a.tasks), now,
                                     ids, store::CommitOptions{}));
  std::cerr << fmt::format("make_graph: {} tasks in {} plans, {} blocking edges, {} runnable{}\n",
                           a.tasks, chains / kChainsPerPlan, edges, chains,
                           commit ? ", one commit" : "");
  std::cout << show_id << "\n";
  return Ok();
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, a)) {
    std::cerr << "usage: make_graph --dir <folder with .taskgraph/> --tasks <multiple of 100> "
                 "[--tw-json <file>]\n";
    return 2;
  }
  json tw = json::array();
  if (auto st = Generate(a, tw); !st) {
    std::cerr << "make_graph: " << st.error().message << "\n";
    return 1;
  }
  if (!a.tw_json.empty()) {
    std::ofstream out(a.tw_json);
    out << tw.dump() << "\n";
    if (!out) {
      std::cerr << "make_graph: cannot write " << a.tw_json << "\n";
      return 1;
    }
  }
  return 0;
}
