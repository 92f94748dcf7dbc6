// The shared rules: materialised blocked status, cycle refusal, plan lifecycle, claims.
#include "app/rules.h"

#include "app/claims.h"
#include "app/leases.h"
#include "app/views.h"
#include "unit/app/app_test_util.h"

namespace tg::app {
namespace {

class RulesTest : public AppTest {};

TaskStatus StatusOf(std::unique_ptr<store::Reader> r, const Task& t) {
  return *(*r->GetTaskStatus(t.task_id));
}

TEST_F(RulesTest, BlockingEdgeBlocksAndFinishingTheBlockerUnblocks) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B");
  ASSERT_TRUE(AddEdge(ctx(), a.task_id, EdgeType::kBlocks, b.task_id, std::nullopt));
  EXPECT_EQ(StatusOf(read(), b), TaskStatus::kBlocked);
  ASSERT_TRUE(Done(ctx(), {a.task_id}, DoneOptions{"ok", {}, true, {}, {}, {}}));
  EXPECT_EQ(StatusOf(read(), b), TaskStatus::kTodo);
}

TEST_F(RulesTest, CycleIsRefusedWithThePathInShortIds) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B"), c = MakeTask(p, "C");
  ASSERT_TRUE(AddEdge(ctx(), a.task_id, EdgeType::kBlocks, b.task_id, std::nullopt));
  ASSERT_TRUE(AddEdge(ctx(), b.task_id, EdgeType::kBlocks, c.task_id, std::nullopt));
  auto r = AddEdge(ctx(), c.task_id, EdgeType::kBlocks, a.task_id, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kCycleDetected);
  EXPECT_NE(r.error().message.find(c.hash_id + " -> " + a.hash_id + " -> " + b.hash_id + " -> " +
                                   c.hash_id),
            std::string::npos)
      << r.error().message;
}

TEST_F(RulesTest, PendingGateCountsAsAnUnmetBlocker) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A");
  auto g = CreateGate(ctx(), "review", a.task_id, GateType::kHuman);
  ASSERT_TRUE(g);
  EXPECT_EQ(StatusOf(read(), a), TaskStatus::kBlocked);
  ASSERT_TRUE(ResolveGateCmd(ctx(), g->value.gate.gate_id, std::nullopt));
  EXPECT_EQ(StatusOf(read(), a), TaskStatus::kTodo);
}

TEST_F(RulesTest, PlanCompletesWhenAllTasksFinishAndReopensWithNewWork) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B");
  ASSERT_TRUE(Cancel(ctx(), {b.task_id}, {}));
  auto done = Done(ctx(), {a.task_id}, DoneOptions{"ok", {}, true, {}, {}, {}});
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->value[0].plan_completed);
  EXPECT_EQ((*read()->GetPlan(p.plan_id))->status, PlanStatus::kDone);
  MakeTask(p, "More");
  EXPECT_EQ((*read()->GetPlan(p.plan_id))->status, PlanStatus::kActive);
}

TEST_F(RulesTest, ClaimIsRefusedWhileLiveAndTakenOverOnceExpired) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A");
  ASSERT_TRUE(Start(ctx(), {a.task_id}, StartOptions{false, 60'000}));
  ctx().agent = "bob";
  auto refused = Start(ctx(), {a.task_id}, {});
  ASSERT_TRUE(refused);
  ASSERT_TRUE(refused->value[0].error);
  EXPECT_EQ(refused->value[0].error->code, Code::kTaskAlreadyClaimed);
  clock_.Set(clock_.Now() + 60'000);
  auto taken = Start(ctx(), {a.task_id}, {});
  ASSERT_TRUE(taken);
  EXPECT_FALSE(taken->value[0].error);
  EXPECT_EQ(*taken->value[0].task->claimed_by, "bob");
  auto events = read()->TaskEvents(a.task_id, 1, std::nullopt);
  EXPECT_EQ((*events)[0].kind, "reclaimed");
}

TEST_F(RulesTest, RecoverReleasesOnlyExpiredClaims) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B");
  ASSERT_TRUE(Start(ctx(), {a.task_id}, StartOptions{false, 1000}));
  ASSERT_TRUE(Start(ctx(), {b.task_id}, StartOptions{false, 3'600'000}));
  clock_.Set(clock_.Now() + 5000);
  auto r = Recover(ctx(), {});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->value.size(), 1u);
  EXPECT_EQ(r->value[0].task.task_id, a.task_id);
  EXPECT_EQ(StatusOf(read(), a), TaskStatus::kTodo);
  EXPECT_EQ(StatusOf(read(), b), TaskStatus::kDoing);
}

TEST_F(RulesTest, NextOrdersByPlanPriorityThenTaskPriority) {
  Plan low = MakePlan("Low"), high = MakePlan("High");
  ASSERT_TRUE(SetPlanPriority(ctx(), high.plan_id, 1));
  MakeTask(low, "low-plan");
  Task h2 = MakeTask(high, "high-2");
  Task h1 = MakeTask(high, "high-1");
  TaskFields f;
  f.priority = std::optional<int>(1);
  ASSERT_TRUE(UpdateTask(ctx(), h1.task_id, f));
  auto next = Next(ctx(), {});
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ((*next)[0].title, "high-1");
  EXPECT_EQ((*next)[1].title, "high-2");
  EXPECT_EQ((*next)[2].title, "low-plan");
  (void)h2;
}

// The importer's created-event bodies are written without a json object; they must read as the
// object AddEvent would have serialised (the same keys in the same, sorted, order).
TEST(StringFieldsJson, IsTheJsonObjectsSerialisation) {
  nlohmann::json object = {{"external_key", "a"},
                           {"source", "plan \"x\".md"},
                           {"status", "todo"},
                           {"title", "Ünïcode \\ title"}};
  EXPECT_EQ(StringFieldsJson({{"external_key", "a"},
                              {"source", "plan \"x\".md"},
                              {"status", "todo"},
                              {"title", "Ünïcode \\ title"}}),
            object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// One rule decides a start: ClaimOne acts on it, and start --worktree uses it to make the
// worktree ahead of the write transaction.
TEST(ClaimVerdictTest, EveryStatusAndHolderHasOneVerdict) {
  constexpr Millis kNow = 1'000'000;
  auto task = [](TaskStatus s, std::optional<std::string> by, std::optional<Millis> until) {
    Task t;
    t.status = s;
    t.claimed_by = std::move(by);
    t.lease_expires_at = until;
    return t;
  };
  struct Case {
    Task t;
    bool force;
    ClaimVerdict want;
    bool makes_claim;  // a new claim: an event, and a worktree made ahead with --worktree
  } cases[] = {
      {task(TaskStatus::kTodo, {}, {}), false, ClaimVerdict::kClaim, true},
      {task(TaskStatus::kBlocked, {}, {}), true, ClaimVerdict::kBlocked, false},
      {task(TaskStatus::kDone, {}, {}), true, ClaimVerdict::kClosed, false},
      {task(TaskStatus::kCanceled, {}, {}), false, ClaimVerdict::kClosed, false},
      {task(TaskStatus::kDoing, "alice", kNow - 1), false, ClaimVerdict::kAlreadyYours, false},
      {task(TaskStatus::kDoing, "bob", kNow + 1), false, ClaimVerdict::kHeld, false},
      {task(TaskStatus::kDoing, "bob", kNow + 1), true, ClaimVerdict::kForce, true},
      {task(TaskStatus::kDoing, "bob", kNow), false, ClaimVerdict::kTakeOver, true},
      {task(TaskStatus::kDoing, "bob", kNow - 1), true, ClaimVerdict::kTakeOver, true},
  };
  for (const auto& c : cases) {
    ClaimVerdict got = JudgeClaim(c.t, "alice", c.force, kNow);
    EXPECT_EQ(got, c.want) << ToString(c.t.status) << " by " << c.t.claimed_by.value_or("-")
                           << (c.force ? " forced" : "");
    EXPECT_EQ(MakesClaim(got), c.makes_claim) << ToString(c.t.status);
  }
}

}  // namespace
}  // namespace tg::app
