// tg next: the runnable set and the contract's order; tg status views.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/strings.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

std::vector<std::string> Titles(const json& tasks) {
  std::vector<std::string> out;
  for (const auto& t : tasks) out.push_back(t["title"]);
  return out;
}

TEST(Next, OrdersByPlanPriorityTaskPriorityRiskEstimateAndAge) {
  Sandbox sb;
  sb.Ok({"plan", "new", "Low", "--priority", "5"});
  sb.Ok({"plan", "new", "Unset"});
  sb.Ok({"plan", "new", "Top", "--priority", "1"});
  sb.Ok({"task", "new", "unset-plan", "--plan", "Unset"});
  sb.Ok({"task", "new", "low-plan", "--plan", "Low"});
  sb.Ok({"task", "new", "top-old", "--plan", "Top"});
  sb.Ok({"task", "new", "top-p2", "--plan", "Top", "--priority", "2"});
  sb.Ok({"task", "new", "top-p1-high", "--plan", "Top", "--priority", "1", "--risk", "high"});
  sb.Ok({"task", "new", "top-p1-low-60", "--plan", "Top", "--priority", "1", "--estimate", "60"});
  sb.Ok({"task", "new", "top-p1-low-5", "--plan", "Top", "--priority", "1", "--estimate", "5"});
  sb.Ok({"task", "new", "top-p1-low", "--plan", "Top", "--priority", "1"});
  EXPECT_EQ(Titles(sb.Json({"next"})),
            (std::vector<std::string>{"top-p1-low-5", "top-p1-low-60", "top-p1-low", "top-p1-high",
                                      "top-p2", "top-old", "low-plan", "unset-plan"}));
}

TEST(Next, RowsCarryTheContractFields) {
  Sandbox sb;
  sb.NewTask(sb.NewPlan("P"), "T");
  json row = sb.Json({"next"})[0];
  for (const char* k : {"task_id", "hash_id", "title", "plan_id", "plan_title", "status",
                        "priority", "risk", "estimate_mins"}) {
    EXPECT_TRUE(row.contains(k)) << k;
  }
}

TEST(Next, LimitPlanFilterAndAutoJson) {
  Sandbox sb;
  std::string p = sb.NewPlan("P"), q = sb.NewPlan("Q");
  for (int i = 0; i < 5; ++i)
    sb.NewTask(p, Cat({"p", std::to_string(i)}));  // Cat: GCC 12's false -Wrestrict
  sb.NewTask(q, "q0");
  RunResult piped = sb.Run({"next", "--limit", "2"});  // stdout is a pipe: JSON
  ASSERT_EQ(piped.exit_code, 0);
  EXPECT_EQ(json::parse(piped.out).size(), 2u);
  EXPECT_EQ(Titles(sb.Json({"next", "--plan", "Q"})), std::vector<std::string>{"q0"});
  RunResult human = sb.Run({"next", "--human", "--plan", q});
  EXPECT_NE(human.out.find("q0"), std::string::npos);
  EXPECT_NE(human.out.find("TITLE"), std::string::npos);
  EXPECT_EQ(sb.Run({"next", "--limit", "0"}).exit_code, 6);
}

TEST(Next, ExcludesBlockedDoingAndDoneTasks) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "a"), b = sb.NewTask(p, "b"), c = sb.NewTask(p, "c");
  sb.NewTask(p, "d");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"start", c});
  EXPECT_EQ(Titles(sb.Json({"next"})), (std::vector<std::string>{"a", "d"}));
}

TEST(Status, SummaryHasTheSnakeCaseKeys) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "a");
  sb.NewTask(p, "b");
  sb.Ok({"start", a, "--agent", "alice"});
  json s = sb.Json({"status"});
  for (const char* k : {"completed_plans", "completed_tasks", "canceled_tasks", "active_plans",
                        "stale_tasks", "plans_count", "status_counts", "actionable_count",
                        "next_tasks", "active_work", "agent_count", "summary"}) {
    EXPECT_TRUE(s.contains(k)) << k;
  }
  EXPECT_EQ(s["active_plans"][0]["doing"], 1);
  EXPECT_EQ(s["active_plans"][0]["todo"], 1);
  EXPECT_EQ(s["active_work"][0]["claimed_by"], "alice");
  EXPECT_EQ(s["summary"]["not_done"], 2);
  EXPECT_EQ(s["agent_count"], 1);
}

// The whole-graph totals, each from a different set of rows: done and canceled tasks, done
// events and the investigator's share of them, the agents who started work, the hours from
// start to done.
TEST(Status, TotalsCountEachKindOfRowOnce) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "a"), b = sb.NewTask(p, "b"), c = sb.NewTask(p, "c");
  std::string d = sb.NewTask(p, "d");
  auto at = [](const char* hhmm) {
    return std::map<std::string, std::string>{{"TG_NOW", Cat({"2026-01-01T", hhmm, ":00Z"})}};
  };
  sb.Ok({"start", a, "--agent", "alice"}, at("08:00"));
  sb.Ok({"done", a, "--agent", "alice", "--evidence", "ok"}, at("09:30"));
  sb.Ok({"start", b, "--agent", "investigator"}, at("09:00"));
  sb.Ok({"done", b, "--agent", "investigator", "--evidence", "fixed"}, at("10:00"));
  sb.Ok({"start", c, "--agent", "alice"}, at("10:00"));
  sb.Ok({"cancel", d}, at("10:05"));
  json s = sb.Json({"status", "--all"}, at("11:00"));
  EXPECT_EQ(s["completed_tasks"], 2);
  EXPECT_EQ(s["canceled_tasks"], 1);
  EXPECT_EQ(s["sub_agent_runs"], 2);
  EXPECT_EQ(s["investigator_runs"], 1);
  EXPECT_EQ(s["investigator_fix_rate"], 50.0);
  EXPECT_EQ(s["agent_count"], 2);          // alice twice, the investigator once
  EXPECT_EQ(s["total_agent_hours"], 2.5);  // 1.5 h + 1 h; c is not done
  EXPECT_EQ(s["completed_plans"], 0);
}

TEST(Status, TasksAndProjectsViews) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "a");
  std::string b = sb.NewTask(p, "b");
  sb.Ok({"cancel", b});
  EXPECT_EQ(sb.Json({"status", "--tasks"}).size(), 1u);
  EXPECT_EQ(sb.Json({"status", "--tasks", "--all"}).size(), 2u);
  json proj = sb.Json({"status", "--projects"});
  ASSERT_EQ(proj.size(), 1u);
  for (const char* k : {"plan_id", "hash_id", "title", "status", "priority", "todo", "doing",
                        "blocked", "done", "canceled"}) {
    EXPECT_TRUE(proj[0].contains(k)) << k;
  }
  EXPECT_EQ(proj[0]["canceled"], 1);
  EXPECT_EQ(sb.Run({"status", "--tasks", "--projects"}).exit_code, 2);
  EXPECT_EQ(sb.Run({"status", "--filter", "someday"}).exit_code, 6);
  RunResult human = sb.Run({"status", "--human"});
  EXPECT_NE(human.out.find("Active plans"), std::string::npos);
  EXPECT_NE(human.out.find(a), std::string::npos);
}

TEST(Status, StaleClaimsAreListed) {
  Sandbox sb;
  std::string a = sb.NewTask(sb.NewPlan("P"), "a");
  sb.Ok({"start", a, "--agent", "ghost"}, {{"TG_NOW", "2026-01-01T08:00:00Z"}});
  json s = sb.Json({"status"}, {{"TG_NOW", "2026-01-01T13:00:00Z"}});
  ASSERT_EQ(s["stale_tasks"].size(), 1u);
  EXPECT_EQ(s["stale_tasks"][0]["claimed_by"], "ghost");
  EXPECT_EQ(s["stale_tasks"][0]["age_hours"], 5.0);
}

}  // namespace
}  // namespace tg::test
