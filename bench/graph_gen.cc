#include "graph_gen.h"

#include <fmt/format.h>

#include <ctime>
#include <vector>

#include "app/rules.h"
#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"

namespace tg::bench {

namespace {

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

}  // namespace

Status GenerateGraph(const std::string& dir, int tasks, json* tw, GraphInfo* info) {
  FixedClock clock(kBase);
  TG_ASSIGN(auto store, store::Open(dir, store::OpenOptions{}, clock));
  SequentialIdSource ids;
  TG_ASSIGN(auto w, store->Write("make_graph"));
  {
    TG_ASSIGN(auto existing, w->ListPlans(store::PlanListFilter{.include_abandoned = true}));
    if (!existing.empty()) return Fail(Code::kUsage, "the graph is not empty; use a fresh folder");
  }
  if (tasks <= 0 || tasks % (kChainLength * kChainsPerPlan) != 0) {
    return Fail(Code::kUsage, "the task count must be a positive multiple of 100");
  }
  const int chains = tasks / kChainLength;
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
      TG_ASSIGN(plan.hash_id, w->AllocateShortId(store::Entity::kPlan, plan.plan_id));
      plan.title = fmt::format("bench-plan-{:03}", p + 1);
      plan.intent = "Benchmark plan";
      if (p % 4 != 3) plan.priority = p % 4 + 1;
      plan.created_at = plan.updated_at = now++;
      TG_TRY(w->InsertPlan(plan));
    }
    chain.clear();
    for (int k = 0; k < kChainLength; ++k) {
      int i = c * kChainLength + k;
      Task t;
      t.task_id = ids.NewUuid();
      TG_ASSIGN(t.hash_id, w->AllocateShortId(store::Entity::kTask, t.task_id));
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
      TG_TRY(w->InsertTask(t));
      TG_TRY(app::AddEvent(*w, ids, t.task_id, "created", {{"title", t.title}}, kAgent));
      for (const auto& b : blockers) {
        TG_TRY(w->InsertEdge(Edge{b, t.task_id, EdgeType::kBlocks, std::nullopt, t.created_at}));
        ++edges;
      }
      if (!blockers.empty()) {
        TG_TRY(app::AddEvent(*w, ids, t.task_id, "blocked", {{"unmet_blockers", blockers.size()}},
                             kAgent));
      }
      json tw_task = {{"uuid", t.task_id},
                      {"description", t.title},
                      {"status", "pending"},
                      {"entry", TwDate(t.created_at)},
                      {"project", plan.title}};
      if (t.priority) tw_task["priority"] = std::string(1, "HML"[*t.priority - 1]);
      if (!blockers.empty()) tw_task["depends"] = blockers;
      if (tw) tw->push_back(std::move(tw_task));
      chain.push_back(t.task_id);
      if (c == 10 && k == kCrossTo) show_id = t.hash_id;
    }
    prev_chain.swap(chain);
  }
  TG_ASSIGN(auto commit, w->Commit(kAgent, fmt::format("bench: generate {} tasks", tasks), ids,
                                   store::CommitOptions{}));
  if (info) *info = GraphInfo{chains / kChainsPerPlan, edges, chains, show_id};
  return Ok();
}

}  // namespace tg::bench
