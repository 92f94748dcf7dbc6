// tg stats (contract section 13): every mode in JSON and text. Times move with TG_NOW.
#include <gtest/gtest.h>

#include "core/strings.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

std::map<std::string, std::string> At(const std::string& hhmm, const std::string& agent) {
  return {{"TG_NOW", "2026-11-26T" + hhmm + ":00Z"}, {"TG_AGENT", agent}};
}

// Plan "Build": alice does a (10 min) and c (30 min, tokens reported), bob does b (20 min) and
// is reviewed PASS then FAIL; d is left todo. Plan "Later" has one todo task.
struct Work {
  std::string build, later, a, b, c, d;
};

Work BuildWork(Sandbox& sb) {
  Work w;
  w.build = sb.Json({"plan", "new", "Build"}, At("09:00", "alice"))["hash_id"];
  w.later = sb.Json({"plan", "new", "Later"}, At("09:00", "alice"))["hash_id"];
  auto task = [&](const std::string& plan, const std::string& title) {
    return sb.Json({"task", "new", title, "--plan", plan}, At("09:00", "alice"))["hash_id"]
        .get<std::string>();
  };
  w.a = task(w.build, "Alpha");
  w.b = task(w.build, "Bravo");
  w.c = task(w.build, "Charlie");
  w.d = task(w.build, "Delta");
  task(w.later, "Someday");
  sb.Ok({"start", w.a}, At("10:00", "alice"));
  sb.Ok({"done", w.a, "--evidence", "ok"}, At("10:10", "alice"));
  sb.Ok({"start", w.b}, At("10:00", "bob"));
  sb.Ok({"done", w.b, "--evidence", "ok"}, At("10:20", "bob"));
  sb.Ok({"note", w.b, "--msg", R"({"type":"review","verdict":"PASS","reviewer":"rita"})"},
        At("10:25", "rita"));
  sb.Ok({"note", w.b, "--msg", R"({"type":"review","verdict":"fail","reviewer":"rita"})"},
        At("10:26", "rita"));
  sb.Ok({"start", w.c}, At("10:10", "alice"));
  sb.Ok({"done", w.c, "--evidence", "ok", "--tokens-in", "1000", "--tokens-out", "200",
         "--tool-calls", "7"},
        At("10:40", "alice"));
  return w;
}

TEST(Stats, PerAgentCountsMedianMeanReviewsAndTokens) {
  Sandbox sb;
  BuildWork(sb);
  json j = sb.Json({"stats"}, At("11:00", "x"));
  ASSERT_EQ(j["agent_metrics"].size(), 2u) << j.dump();
  json alice = j["agent_metrics"][0], bob = j["agent_metrics"][1];
  EXPECT_EQ(alice["agent"], "alice");
  EXPECT_EQ(alice["tasks_done"], 2);
  EXPECT_EQ(alice["median_elapsed_s"], 1200.0);  // 10 and 30 minutes
  EXPECT_EQ(alice["mean_elapsed_s"], 1200.0);
  EXPECT_EQ(alice["review_pass"], 0);
  EXPECT_EQ(bob["agent"], "bob");
  EXPECT_EQ(bob["tasks_done"], 1);
  EXPECT_EQ(bob["median_elapsed_s"], 1200.0);
  EXPECT_EQ(bob["review_pass"], 1);  // the reviewer's verdicts count for the one reviewed
  EXPECT_EQ(bob["review_fail"], 1);
  ASSERT_EQ(j["token_usage"].size(), 1u);
  EXPECT_EQ(j["token_usage"][0]["agent"], "alice");
  EXPECT_EQ(j["token_usage"][0]["tasks_reported"], 1);
  EXPECT_EQ(j["token_usage"][0]["total_tokens_in"], 1000);
  EXPECT_EQ(j["token_usage"][0]["total_tokens_out"], 200);
  EXPECT_EQ(j["token_usage"][0]["total_tool_calls"], 7);
}

TEST(Stats, MedianAndMeanDifferWhenTheDurationsAreSkewed) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::vector<std::pair<std::string, std::string>> spans{
      {"10:00", "10:01"}, {"10:00", "10:02"}, {"10:00", "10:30"}};
  for (size_t i = 0; i < spans.size(); ++i) {
    // Cat(), not operator+: GCC 12 reports a false -Wrestrict for literal + std::string at -O3.
    std::string t = sb.NewTask(p, Cat({"T", std::to_string(i)}));
    sb.Ok({"start", t}, At(spans[i].first, "ann"));
    sb.Ok({"done", t, "--evidence", "ok"}, At(spans[i].second, "ann"));
  }
  json a = sb.Json({"stats"}, At("11:00", "ann"))["agent_metrics"][0];
  EXPECT_EQ(a["median_elapsed_s"], 120.0);
  EXPECT_EQ(a["mean_elapsed_s"], 660.0);  // (60 + 120 + 1800) / 3
}

TEST(Stats, AgentFilterKeepsOnlyThatAgent) {
  Sandbox sb;
  BuildWork(sb);
  json j = sb.Json({"stats", "--agent", "bob"}, At("11:00", "x"));
  ASSERT_EQ(j["agent_metrics"].size(), 1u);
  EXPECT_EQ(j["agent_metrics"][0]["agent"], "bob");
  EXPECT_TRUE(j["token_usage"].empty());
  json none = sb.Json({"stats", "--agent", "nobody"}, At("11:00", "x"));
  EXPECT_TRUE(none["agent_metrics"].empty());
}

TEST(Stats, PlanSummaryHasDurationVelocityAndSlowestFirst) {
  Sandbox sb;
  Work w = BuildWork(sb);
  json j = sb.Json({"stats", "--plan", "Build"}, At("11:00", "x"));
  json s = j["plan_summary"];
  EXPECT_EQ(s["hash_id"], w.build);
  EXPECT_EQ(s["started_at"], "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(s["last_done_at"], "2026-11-26T10:40:00.000Z");
  EXPECT_TRUE(s["completed_at"].is_null());  // Delta is still open
  EXPECT_EQ(s["total_elapsed_s"], 2400.0);
  EXPECT_EQ(s["task_count"], 4);
  EXPECT_EQ(s["done_count"], 3);
  EXPECT_EQ(s["velocity_tasks_per_hour"], 4.5);  // 3 tasks in 40 minutes
  ASSERT_EQ(j["tasks"].size(), 3u);
  EXPECT_EQ(j["tasks"][0]["hash_id"], w.c);
  EXPECT_EQ(j["tasks"][0]["elapsed_s"], 1800.0);
  EXPECT_EQ(j["tasks"][0]["tokens_in"], 1000);
  EXPECT_EQ(j["tasks"][1]["hash_id"], w.b);
  EXPECT_EQ(j["tasks"][1]["agent"], "bob");
  EXPECT_EQ(j["tasks"][2]["hash_id"], w.a);
  EXPECT_TRUE(j["tasks"][2]["tokens_in"].is_null());
}

TEST(Stats, PlanStatsOfAPlanThatNeverStarted) {
  Sandbox sb;
  BuildWork(sb);
  json j = sb.Json({"stats", "--plan", "Later"}, At("11:00", "x"));
  EXPECT_TRUE(j["plan_summary"]["started_at"].is_null());
  EXPECT_TRUE(j["plan_summary"]["velocity_tasks_per_hour"].is_null());
  EXPECT_TRUE(j["tasks"].empty());
  std::string text = sb.Ok({"stats", "--plan", "Later"}, At("11:00", "x"));
  EXPECT_NE(text.find("No task of this plan has been done yet."), std::string::npos) << text;
}

TEST(Stats, TimelineListsPlansNewestStartFirstAndUnstartedLast) {
  Sandbox sb;
  Work w = BuildWork(sb);
  std::string third = sb.NewPlan("Third");
  std::string t = sb.NewTask(third, "Only");
  sb.Ok({"start", t}, At("12:00", "carl"));
  sb.Ok({"done", t, "--evidence", "ok"}, At("12:30", "carl"));
  json j = sb.Json({"stats", "--timeline"}, At("13:00", "x"));
  ASSERT_EQ(j["plans"].size(), 3u) << j.dump();
  EXPECT_EQ(j["plans"][0]["title"], "Third");
  EXPECT_EQ(j["plans"][0]["status"], "done");
  EXPECT_EQ(j["plans"][0]["completed_at"], "2026-11-26T12:30:00.000Z");
  EXPECT_EQ(j["plans"][0]["done_count"], 1);
  EXPECT_EQ(j["plans"][1]["hash_id"], w.build);
  EXPECT_EQ(j["plans"][2]["hash_id"], w.later);
  EXPECT_TRUE(j["plans"][2]["started_at"].is_null());
}

TEST(Stats, HumanOutputOfEveryMode) {
  Sandbox sb;
  BuildWork(sb);
  std::string agents = sb.Ok({"stats"}, At("11:00", "x"));
  EXPECT_NE(agents.find("alice  2     20m     20m"), std::string::npos) << agents;
  EXPECT_NE(agents.find("1 pass, 1 fail"), std::string::npos) << agents;
  EXPECT_NE(agents.find("alice  1         1000       200         7"), std::string::npos) << agents;
  std::string plan = sb.Ok({"stats", "--plan", "Build"}, At("11:00", "x"));
  EXPECT_NE(plan.find("Duration: 40m  Velocity: 4.5 tasks/h  Tasks: 3/4 done"), std::string::npos)
      << plan;
  EXPECT_NE(plan.find("Charlie  alice  30m"), std::string::npos) << plan;
  std::string timeline = sb.Ok({"stats", "--timeline"}, At("11:00", "x"));
  EXPECT_NE(timeline.find("10:00 UTC    Build  active  3/4    40m       4.5 tasks/h"),
            std::string::npos)
      << timeline;
  EXPECT_NE(timeline.find("not started  Later  draft   0/1    -         -"), std::string::npos)
      << timeline;
}

TEST(Stats, EmptyGraphSaysSo) {
  Sandbox sb;
  EXPECT_EQ(sb.Ok({"stats"}), "No agent metrics yet: no task has been done.\n");
  json j = sb.Json({"stats"});
  EXPECT_TRUE(j["agent_metrics"].empty());
  EXPECT_EQ(sb.Ok({"stats", "--timeline"}), "No plans.\n");
}

TEST(Stats, UnknownPlanIsPlanNotFound) {
  Sandbox sb;
  RunResult r = sb.Run({"stats", "--plan", "nope", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "PLAN_NOT_FOUND");
}

TEST(Stats, AReopenedTaskCountsEachCompletionFromItsOwnStart) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t}, At("10:00", "ann"));
  sb.Ok({"done", t, "--evidence", "ok"}, At("10:05", "ann"));
  sb.Ok({"reopen", t, "--reason", "bug"}, At("10:30", "ann"));
  sb.Ok({"start", t}, At("11:00", "ann"));
  sb.Ok({"done", t, "--evidence", "fixed"}, At("11:15", "ann"));
  json a = sb.Json({"stats"}, At("12:00", "ann"))["agent_metrics"][0];
  EXPECT_EQ(a["tasks_done"], 2);
  EXPECT_EQ(a["median_elapsed_s"], 600.0);  // 5 and 15 minutes
}

}  // namespace
}  // namespace tg::test

namespace tg::test {
namespace {

// `SEEN` in status: the last sign of life, moved by a heartbeat even when the heartbeat leaves
// a longer lease alone; claims show their lease end, expired ones say so.
TEST(StatusText, SeenMovesWithEveryHeartbeatAndLeasesShowTheirEnd) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "Long job");
  std::string u = sb.NewTask(p, "Short job");
  sb.Ok({"start", t, "--lease", "2h"}, At("10:00", "ann"));
  sb.Ok({"start", u, "--lease", "10m"}, At("10:00", "bob"));
  sb.Ok({"heartbeat", t, "--lease", "30m"}, At("10:50", "ann"));  // the 2h lease stays
  std::string s = sb.Ok({"status", "--human"}, At("11:00", "x"));
  EXPECT_NE(s.find("Status at 2026-11-26 11:00 UTC"), std::string::npos) << s;
  EXPECT_NE(s.find("10m ago  until 12:00 UTC"), std::string::npos) << s;
  EXPECT_NE(s.find("1h ago   expired 10:10 UTC"), std::string::npos) << s;
  sb.Ok({"note", u, "--msg", R"({"type":"heartbeat","phase":"pre-done"})", "--force"},
        At("11:05", "bob"));
  std::string after = sb.Ok({"status", "--human"}, At("11:06", "x"));
  EXPECT_NE(after.find("pre-done"), std::string::npos) << after;
}

}  // namespace
}  // namespace tg::test
