// The agent loop's writes: start, done, note, release, reopen, cancel (contract section 3).
#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace tg::test {
namespace {

struct Graph {
  Sandbox sb;
  std::string plan, a, b;  // a blocks b
  Graph() {
    plan = sb.NewPlan("Loop");
    a = sb.NewTask(plan, "First");
    b = sb.NewTask(plan, "Second");
    sb.Ok({"edge", "add", a, "blocks", b});
  }
  json Show(const std::string& id) const { return sb.Json({"show", id}); }
  size_t Commits() const { return sb.Json({"log", "--limit", "1000"}).size(); }
};

TEST(Start, ClaimsATodoTaskAndActivatesItsPlan) {
  Graph g;
  json r = g.sb.Json({"start", g.a, "--agent", "alice"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0]["status"], "doing");
  EXPECT_EQ(r[0]["input"], g.a);
  EXPECT_EQ(r[0]["changed"], true);
  json t = g.Show(g.a);
  EXPECT_EQ(t["claimed_by"], "alice");
  EXPECT_FALSE(t["lease_expires_at"].is_null());
  EXPECT_EQ(g.sb.Json({"plan", "list"})[0]["status"], "active");
}

TEST(Start, SecondAgentIsRefusedNamingTheHolder) {
  Graph g;
  g.sb.Ok({"start", g.a, "--agent", "alice"});
  size_t commits = g.Commits();
  RunResult r = g.sb.Run({"start", g.a, "--agent", "bob"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("is being worked by alice (since"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos);
  EXPECT_EQ(g.Show(g.a)["claimed_by"], "alice");
  EXPECT_EQ(g.Commits(), commits);
}

TEST(Start, ForceTakesOverAndRecordsThePreviousAgent) {
  Graph g;
  g.sb.Ok({"start", g.a, "--agent", "alice"});
  json r = g.sb.Json({"start", g.a, "--agent", "bob", "--force"});
  EXPECT_EQ(r[0]["status"], "doing");
  json t = g.Show(g.a);
  EXPECT_EQ(t["claimed_by"], "bob");
  EXPECT_EQ(t["events"][0]["kind"], "started");
  EXPECT_EQ(t["events"][0]["body"]["previous_agent"], "alice");
}

TEST(Start, StartingYourOwnTaskIsANoOp) {
  Graph g;
  g.sb.Ok({"start", g.a}, {{"TG_AGENT", "alice"}});
  size_t commits = g.Commits();
  json r = g.sb.Json({"start", g.a}, {{"TG_AGENT", "alice"}});
  EXPECT_EQ(r[0]["changed"], false);
  EXPECT_EQ(g.Commits(), commits);
}

TEST(Start, BlockedTaskIsNotRunnable) {
  Graph g;
  RunResult r = g.sb.Run({"start", g.b, "--json"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(json::parse(r.out)[0]["error"]["code"], "TASK_NOT_RUNNABLE");
  EXPECT_NE(r.err.find(g.a), std::string::npos) << "names the blocker: " << r.err;
  EXPECT_EQ(g.Show(g.b)["status"], "blocked");
}

TEST(Start, BatchReportsEachIdAndExitsWithTheSharedCode) {
  Graph g;
  std::string c = g.sb.NewTask(g.plan, "Third");
  RunResult r = g.sb.Run({"start", g.a + "," + c, "tg-ffffff", "--json"});
  EXPECT_EQ(r.exit_code, 3);  // the one failure is TASK_NOT_FOUND
  json j = json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["status"], "doing");
  EXPECT_EQ(j[1]["status"], "doing");
  EXPECT_TRUE(j[2]["id"].is_null());
  EXPECT_EQ(j[2]["error"]["code"], "TASK_NOT_FOUND");
  auto log = g.sb.Json({"log", "--limit", "1"});
  EXPECT_EQ(log[0]["message"], "task: start 2 items: " + g.a + ", " + c);
}

TEST(Start, BatchWithDifferentFailureCodesExitsOne) {
  Graph g;
  RunResult r = g.sb.Run({"start", g.b, "tg-ffffff"});
  EXPECT_EQ(r.exit_code, 1);
}

TEST(Done, RequiresEvidenceAndWritesNothingWithout) {
  Graph g;
  g.sb.Ok({"start", g.a});
  size_t commits = g.Commits();
  RunResult r = g.sb.Run({"done", g.a, "--json"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED");
  EXPECT_NE(r.err.find("--evidence is required"), std::string::npos);
  EXPECT_EQ(g.Show(g.a)["status"], "doing");
  EXPECT_EQ(g.Commits(), commits);
}

TEST(Done, MalformedChecksIsRejectedBeforeAnyWrite) {
  Graph g;
  g.sb.Ok({"start", g.a});
  size_t commits = g.Commits();
  RunResult r = g.sb.Run({"done", g.a, "--evidence", "ok", "--checks", "{not json"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("--checks is not valid JSON"), std::string::npos);
  EXPECT_EQ(g.Show(g.a)["status"], "doing");
  EXPECT_EQ(g.Commits(), commits);
}

TEST(Done, NegativeTokenCountIsRejected) {
  Graph g;
  g.sb.Ok({"start", g.a});
  RunResult r = g.sb.Run({"done", g.a, "--evidence", "ok", "--tokens-in", "-5"});
  EXPECT_EQ(r.exit_code, 6);
  RunResult r2 = g.sb.Run({"done", g.a, "--evidence", "ok", "--tool-calls", "many"});
  EXPECT_EQ(r2.exit_code, 6);
  EXPECT_EQ(g.Show(g.a)["status"], "doing");
}

TEST(Done, FinishingUnblocksDependentsAndRecordsEvidence) {
  Graph g;
  g.sb.Ok({"start", g.a});
  json r = g.sb.Json({"done", g.a, "--evidence", "tests pass", "--checks", "{\"unit\":\"ok\"}",
                      "--tokens-in", "10"});
  EXPECT_EQ(r[0]["status"], "done");
  EXPECT_EQ(r[0]["plan_completed"], false);
  EXPECT_EQ(g.Show(g.b)["status"], "todo");
  json ev = g.Show(g.a)["events"][0];
  EXPECT_EQ(ev["kind"], "done");
  EXPECT_EQ(ev["body"]["evidence"], "tests pass");
  EXPECT_EQ(ev["body"]["checks"]["unit"], "ok");
  EXPECT_EQ(ev["body"]["tokens_in"], 10);
}

TEST(Done, TodoTaskNeedsForce) {
  Graph g;
  RunResult r = g.sb.Run({"done", g.a, "--evidence", "x"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("not doing"), std::string::npos);
  json f = g.sb.Json({"done", g.a, "--evidence", "x", "--force"});
  EXPECT_EQ(f[0]["status"], "done");
}

TEST(Done, LastTaskCompletesThePlan) {
  Graph g;
  g.sb.Ok({"start", g.a});
  g.sb.Ok({"done", g.a, "--evidence", "ok"});
  g.sb.Ok({"start", g.b});
  json r = g.sb.Json({"done", g.b, "--evidence", "ok"});
  EXPECT_EQ(r[0]["plan_completed"], true);
  EXPECT_EQ(g.sb.Json({"plan", "list"})[0]["status"], "done");
  // New work reopens the plan.
  g.sb.NewTask(g.plan, "More");
  EXPECT_EQ(g.sb.Json({"plan", "list"})[0]["status"], "active");
}

TEST(Done, OtherAgentsClaimIsProtected) {
  Graph g;
  g.sb.Ok({"start", g.a, "--agent", "alice"});
  RunResult r = g.sb.Run({"done", g.a, "--evidence", "x", "--agent", "bob"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("alice"), std::string::npos);
  // Without any identity the original's behaviour is kept: accepted.
  g.sb.Ok({"done", g.a, "--evidence", "x"});
}

TEST(Done, BlockedWhileDoingIsRefusedUntilBlockersAreMet) {
  Graph g;
  std::string c = g.sb.NewTask(g.plan, "Third");
  g.sb.Ok({"start", c});
  g.sb.Ok({"block", c, "--on", g.a});
  json t = g.Show(c);
  EXPECT_EQ(t["status"], "doing");
  EXPECT_EQ(t["blocked_by"][0], g.a);
  RunResult r = g.sb.Run({"done", c, "--evidence", "x", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(json::parse(r.out)[0]["error"]["code"], "TASK_NOT_RUNNABLE");
  g.sb.Ok({"done", c, "--evidence", "x", "--force"});
}

TEST(Note, AppendsToTheLogWithTheAgent) {
  Graph g;
  g.sb.Ok({"note", g.a, "--msg", "looked at the parser", "--agent", "alice"});
  json notes = g.Show(g.a)["notes"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]["body"]["message"], "looked at the parser");
  EXPECT_EQ(notes[0]["agent"], "alice");
}

TEST(Note, EmptyMessageIsRejected) {
  Graph g;
  RunResult r = g.sb.Run({"note", g.a, "--msg", ""});
  EXPECT_EQ(r.exit_code, 6);
}

TEST(Release, GivesTheTaskBack) {
  Graph g;
  g.sb.Ok({"start", g.a, "--agent", "alice"});
  RunResult refused = g.sb.Run({"release", g.a, "--agent", "bob"});
  EXPECT_EQ(refused.exit_code, 4);
  json r = g.sb.Json({"release", g.a, "--agent", "alice"});
  EXPECT_EQ(r[0]["status"], "todo");
  json t = g.Show(g.a);
  EXPECT_TRUE(t["claimed_by"].is_null());
  EXPECT_TRUE(t["lease_expires_at"].is_null());
  EXPECT_EQ(g.sb.Run({"release", g.a}).exit_code, 4);  // not doing
}

TEST(Reopen, DoneTaskReturnsAndReblocksDependents) {
  Graph g;
  g.sb.Ok({"start", g.a});
  g.sb.Ok({"done", g.a, "--evidence", "x"});
  EXPECT_EQ(g.Show(g.b)["status"], "todo");
  RunResult noreason = g.sb.Run({"reopen", g.a});
  EXPECT_EQ(noreason.exit_code, 6);
  json r = g.sb.Json({"reopen", g.a, "--reason", "regression"});
  EXPECT_EQ(r[0]["status"], "todo");
  EXPECT_EQ(g.Show(g.b)["status"], "blocked");
  EXPECT_EQ(g.sb.Run({"reopen", g.a, "--reason", "x"}).exit_code, 4);  // not done
}

TEST(Cancel, TaskCancelUnblocksDependents) {
  Graph g;
  json r = g.sb.Json({"cancel", g.a, "--reason", "not needed"});
  EXPECT_EQ(r[0]["type"], "task");
  EXPECT_EQ(r[0]["status"], "canceled");
  EXPECT_EQ(g.Show(g.b)["status"], "todo");
  RunResult again = g.sb.Run({"cancel", g.a});
  EXPECT_EQ(again.exit_code, 4);
}

TEST(Cancel, PlanIsAbandonedByTitleAndLeavesNext) {
  Graph g;
  json r = g.sb.Json({"cancel", "Loop"});
  EXPECT_EQ(r[0]["type"], "plan");
  EXPECT_EQ(r[0]["status"], "abandoned");
  EXPECT_TRUE(g.sb.Json({"next"}).empty());
  EXPECT_EQ(g.sb.Json({"next", "--all"}).size(), 1u);
  EXPECT_EQ(g.sb.Run({"cancel", "Loop"}).exit_code, 4);  // already abandoned
}

TEST(Cancel, DonePlanNeedsIncludeDone) {
  Sandbox sb;
  std::string p = sb.NewPlan("Short");
  std::string t = sb.NewTask(p, "Only");
  sb.Ok({"done", t, "--evidence", "x", "--force"});
  RunResult r = sb.Run({"cancel", p});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("--include-done"), std::string::npos);
  sb.Ok({"cancel", p, "--include-done"});
}

}  // namespace
}  // namespace tg::test
