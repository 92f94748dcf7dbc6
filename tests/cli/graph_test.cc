// Building the graph: plans, tasks, edges, block, split, gates; blocked status materialised in
// the same command as its cause; cycles refused with their path and nothing written.
#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace tg::test {
namespace {

size_t Commits(const Sandbox& sb) { return sb.Json({"log", "--limit", "1000"}).size(); }

TEST(Plan, NewListAndPriority) {
  Sandbox sb;
  json p = sb.Json({"plan", "new", "Alpha", "--intent", "why"});
  EXPECT_EQ(p["title"], "Alpha");
  EXPECT_EQ(p["intent"], "why");
  EXPECT_EQ(p["status"], "draft");
  EXPECT_TRUE(p["priority"].is_null());
  sb.Ok({"plan", "new", "Beta"});
  json list = sb.Json({"plan", "list"});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["title"], "Beta");  // newest first
  EXPECT_EQ(sb.Json({"plan", "set-priority", "Alpha", "3"})["priority"], 3);
  EXPECT_TRUE(sb.Json({"plan", "set-priority", "Alpha", "unset"})["priority"].is_null());
}

TEST(Plan, NonNumericPriorityIsValidationFailed) {
  Sandbox sb;
  sb.NewPlan("Alpha");
  RunResult r = sb.Run({"plan", "set-priority", "Alpha", "high", "--json"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED");
}

TEST(Plan, UnknownPlanIsPlanNotFound) {
  Sandbox sb;
  RunResult r = sb.Run({"task", "new", "T", "--plan", "Nope"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no plan matches 'Nope'"), std::string::npos);
}

TEST(Task, NewAndUpdateFields) {
  Sandbox sb;
  sb.NewPlan("P");
  json t = sb.Json({"task", "new", "Write parser", "--plan", "P", "--priority", "2", "--risk",
                    "high", "--estimate", "30", "--doc", "backend", "--skill", "cpp"});
  EXPECT_EQ(t["status"], "todo");
  EXPECT_EQ(t["priority"], 2);
  EXPECT_EQ(t["risk"], "high");
  EXPECT_EQ(t["estimate_mins"], 30);
  std::string id = t["hash_id"];
  json u = sb.Json({"task", "update", id, "--title", "Write the parser", "--risk", "low",
                    "--estimate", "unset", "--intent", "parse plans"});
  EXPECT_EQ(u["title"], "Write the parser");
  EXPECT_EQ(u["risk"], "low");
  EXPECT_TRUE(u["estimate_mins"].is_null());
  json s = sb.Json({"show", id});
  EXPECT_EQ(s["intent"], "parse plans");
  EXPECT_EQ(s["domains"], json::array({"backend"}));
  EXPECT_EQ(s["skills"], json::array({"cpp"}));
}

TEST(Task, BadFieldValuesAreRejectedWithoutWriting) {
  Sandbox sb;
  sb.NewPlan("P");
  size_t before = Commits(sb);
  EXPECT_EQ(sb.Run({"task", "new", "T", "--plan", "P", "--risk", "extreme"}).exit_code, 6);
  EXPECT_EQ(sb.Run({"task", "new", "T", "--plan", "P", "--change-type", "rewrite"}).exit_code, 6);
  EXPECT_EQ(sb.Run({"task", "new", "T", "--plan", "P", "--acceptance", "[oops"}).exit_code, 6);
  EXPECT_EQ(sb.Run({"task", "new", "T", "--plan", "P", "--estimate", "soon"}).exit_code, 6);
  EXPECT_EQ(Commits(sb), before);
  EXPECT_TRUE(sb.Json({"status", "--tasks"}).empty());
}

TEST(Task, UpdateWithNothingIsUsage) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  EXPECT_EQ(sb.Run({"task", "update", t}).exit_code, 2);
}

TEST(Task, UpdateThatChangesNothingWritesNoCommit) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  size_t before = Commits(sb);
  sb.Ok({"task", "update", t, "--title", "T"});
  EXPECT_EQ(Commits(sb), before);
}

TEST(Edge, BlocksEdgeBlocksAndRemovalUnblocks) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  json e = sb.Json({"edge", "add", a, "blocks", b, "--reason", "needs the schema"});
  EXPECT_EQ(e["changed"], true);
  EXPECT_EQ(e["to_status"], "blocked");
  EXPECT_EQ(sb.Json({"show", b})["status"], "blocked");
  json again = sb.Json({"edge", "add", a, "blocks", b});
  EXPECT_EQ(again["changed"], false);
  json rm = sb.Json({"edge", "remove", a, "blocks", b});
  EXPECT_EQ(rm["changed"], true);
  EXPECT_EQ(rm["to_status"], "todo");
  EXPECT_EQ(sb.Json({"edge", "remove", a, "blocks", b})["changed"], false);
}

TEST(Edge, RelatesEdgeDoesNotBlock) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"edge", "add", a, "relates", b});
  json s = sb.Json({"show", b});
  EXPECT_EQ(s["status"], "todo");
  EXPECT_EQ(sb.Json({"show", a})["dependents"][0]["type"], "relates");
}

TEST(Edge, CycleIsRefusedWithItsPathAndNothingWritten) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B"), c = sb.NewTask(p, "C");
  sb.Ok({"edge", "add", a, "blocks", b});
  sb.Ok({"block", c, "--on", b});
  size_t before = Commits(sb);
  RunResult r = sb.Run({"edge", "add", c, "blocks", a, "--json"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "CYCLE_DETECTED");
  EXPECT_NE(r.err.find(c + " -> " + a + " -> " + b + " -> " + c), std::string::npos) << r.err;
  EXPECT_EQ(Commits(sb), before);
  EXPECT_EQ(sb.Json({"show", a})["status"], "todo");
  RunResult self = sb.Run({"block", a, "--on", a});
  EXPECT_EQ(self.exit_code, 4);
  EXPECT_NE(self.err.find("cannot block itself"), std::string::npos);
}

TEST(Edge, BadTypeIsUsage) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  EXPECT_EQ(sb.Run({"edge", "add", a, "depends", b}).exit_code, 2);
}

TEST(Block, ReportsTheTaskStatus) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  json j = sb.Json({"block", b, "--on", a, "--reason", "order"});
  EXPECT_EQ(j["status"], "blocked");
  EXPECT_EQ(j["blocker_hash_id"], a);
  EXPECT_EQ(sb.Json({"show", b})["blockers"][0]["reason"], "order");
}

TEST(Split, NewTasksInheritBlockersAndLinkToTheOriginal) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), big = sb.NewTask(p, "Big");
  sb.Ok({"block", big, "--on", a});
  json j = sb.Json({"split", big, "--into", "Part one | Part two"});
  ASSERT_EQ(j["new_tasks"].size(), 2u);
  EXPECT_EQ(j["new_tasks"][0]["title"], "Part one");
  EXPECT_EQ(j["new_tasks"][1]["status"], "blocked");
  EXPECT_EQ(j["original"]["status"], "blocked");
  json orig = sb.Json({"show", big});
  EXPECT_EQ(orig["dependents"].size(), 2u);
  EXPECT_EQ(orig["dependents"][0]["type"], "relates");
}

TEST(Split, WithoutKeepingTheOriginalDependentsWaitForTheParts) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string big = sb.NewTask(p, "Big"), after = sb.NewTask(p, "After");
  sb.Ok({"block", after, "--on", big});
  json j = sb.Json({"split", big, "--into", "X|Y", "--no-keep-original"});
  EXPECT_EQ(j["original"]["status"], "canceled");
  json s = sb.Json({"show", after});
  EXPECT_EQ(s["status"], "blocked");
  EXPECT_EQ(s["blocked_by"].size(), 2u);
}

TEST(Gate, PendingGateBlocksAndResolvingUnblocks) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "Deploy");
  json g = sb.Json({"gate", "create", "Security review", "--task", t, "--type", "human"});
  EXPECT_EQ(g["status"], "pending");
  EXPECT_TRUE(std::string(g["hash_id"]).starts_with("g-"));
  EXPECT_EQ(sb.Json({"show", t})["status"], "blocked");
  EXPECT_EQ(sb.Json({"gate", "list", "--pending"}).size(), 1u);
  json r = sb.Json({"gate", "resolve", g["hash_id"]});
  EXPECT_EQ(r["status"], "resolved");
  EXPECT_EQ(sb.Json({"show", t})["status"], "todo");
  EXPECT_TRUE(sb.Json({"gate", "list", "--pending"}).empty());
  RunResult again = sb.Run({"gate", "resolve", g["hash_id"]});
  EXPECT_EQ(again.exit_code, 4);
}

TEST(Gate, GateKeepsTaskBlockedEvenWhenEdgeBlockersFinish) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"gate", "create", "CI green", "--task", b, "--type", "ci"});
  sb.Ok({"done", a, "--evidence", "x", "--force"});
  EXPECT_EQ(sb.Json({"show", b})["status"], "blocked");
}

TEST(Gate, UnknownGateAndBadType) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  RunResult r = sb.Run({"gate", "resolve", "g-ffffff", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "GATE_NOT_FOUND");
  EXPECT_EQ(sb.Run({"gate", "create", "x", "--task", t, "--type", "robot"}).exit_code, 6);
}

}  // namespace
}  // namespace tg::test
