// Leases (contract section 3, #4): expiry moves with TG_NOW, never with sleeps.
#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

const std::map<std::string, std::string> At(const std::string& hhmm, const std::string& agent) {
  return {{"TG_NOW", "2026-11-26T" + hhmm + ":00Z"}, {"TG_AGENT", agent}};
}

TEST(Lease, ExpiredClaimIsListedByNextAndTakenOverWithAReclaimedEvent) {
  Sandbox sb;
  sb.Ok({"plan", "new", "P"}, At("09:00", "alice"));
  std::string t = sb.Json({"task", "new", "T", "--plan", "P"}, At("09:00", "alice"))["hash_id"];
  sb.Ok({"start", t, "--lease", "30m"}, At("10:00", "alice"));
  EXPECT_TRUE(sb.Json({"next"}, At("10:29", "bob")).empty());
  json next = sb.Json({"next"}, At("10:30", "bob"));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0]["status"], "doing");
  EXPECT_EQ(next[0]["lease_expired"], true);
  RunResult live = sb.Run({"start", t}, At("10:29", "bob"));
  EXPECT_EQ(live.exit_code, 4);
  json taken = sb.Json({"start", t}, At("10:31", "bob"));
  EXPECT_EQ(taken[0]["status"], "doing");
  json show = sb.Json({"show", t}, At("10:31", "bob"));
  EXPECT_EQ(show["claimed_by"], "bob");
  EXPECT_EQ(show["events"][0]["kind"], "reclaimed");
  EXPECT_EQ(show["events"][0]["body"]["previous_agent"], "alice");
  EXPECT_EQ(sb.Json({"log", "--limit", "1"})[0]["message"], "task: start " + t);
}

// status counts what next offers: an expired claim is actionable again, unless a blocker added
// since holds it back (next skips it then too).
TEST(Lease, StatusCountsAnExpiredClaimAsActionableAsNextOffersIt) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  std::string u = sb.NewTask(p, "U");
  sb.Ok({"start", t, "--lease", "30m"}, At("10:00", "alice"));
  auto actionable = [&](const std::string& hhmm) {
    json st = sb.Json({"status"}, At(hhmm, "bob"));
    json projects = sb.Json({"status", "--projects"}, At(hhmm, "bob"));
    EXPECT_EQ(st["active_plans"][0]["actionable"], st["actionable_count"]);
    EXPECT_EQ(projects[0]["actionable"], st["actionable_count"]);
    EXPECT_EQ(st["summary"]["actionable"], st["actionable_count"]);
    EXPECT_EQ(st["next_tasks"].size(), sb.Json({"next"}, At(hhmm, "bob")).size());
    return st["actionable_count"].get<int>();
  };
  EXPECT_EQ(actionable("10:29"), 1);  // U only: T's claim is live
  EXPECT_EQ(actionable("10:30"), 2);  // T's lease ran out
  sb.Ok({"edge", "add", u, "blocks", t}, At("10:31", "carol"));
  EXPECT_EQ(actionable("10:32"), 1);  // T waits on U now
}

TEST(Lease, HeartbeatExtendsWithoutACommit) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t, "--lease", "30m"}, At("10:00", "alice"));
  size_t commits = sb.Json({"log"}).size();
  json hb = sb.Json({"heartbeat", t, "--lease", "1h"}, At("10:20", "alice"));
  EXPECT_EQ(hb[0]["lease_expires_at"], "2026-11-26T11:20:00.000Z");
  EXPECT_EQ(sb.Json({"log"}).size(), commits);
  EXPECT_TRUE(sb.Json({"next"}, At("11:00", "bob")).empty());
  EXPECT_EQ(sb.Run({"heartbeat", t}, At("10:25", "bob")).exit_code, 4);
}

TEST(Lease, HeartbeatNoteFromTheClaimantExtendsTheLease) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t, "--lease", "10m"}, At("10:00", "alice"));
  sb.Ok({"note", t, "--msg", R"({"type":"heartbeat","phase":"mid-work"})"}, At("10:09", "alice"));
  json show = sb.Json({"show", t}, At("10:15", "alice"));
  EXPECT_EQ(show["lease_expired"], false);
  EXPECT_EQ(show["lease_expires_at"], "2026-11-26T12:09:00.000Z");  // lease_minutes = 120
}

TEST(Lease, RecoverReleasesExpiredClaimsInOneCommit) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B"), c = sb.NewTask(p, "C");
  sb.Ok({"start", a, "--lease", "10m"}, At("10:00", "alice"));
  sb.Ok({"start", b, "--lease", "10m"}, At("10:00", "bob"));
  sb.Ok({"start", c, "--lease", "2h"}, At("10:00", "carol"));
  json dry = sb.Json({"recover", "--dry-run"}, At("10:30", "ops"));
  EXPECT_EQ(dry.size(), 2u);
  EXPECT_EQ(sb.Json({"show", a})["status"], "doing");
  size_t commits = sb.Json({"log"}).size();
  json done = sb.Json({"recover"}, At("10:30", "ops"));
  EXPECT_EQ(done.size(), 2u);
  EXPECT_EQ(sb.Json({"log"}).size(), commits + 1);
  EXPECT_EQ(sb.Json({"show", a})["status"], "todo");
  EXPECT_TRUE(sb.Json({"show", a})["claimed_by"].is_null());
  EXPECT_EQ(sb.Json({"show", c})["claimed_by"], "carol");
  EXPECT_TRUE(sb.Json({"recover"}, At("10:31", "ops")).empty());
  EXPECT_EQ(sb.Run({"doctor"}).exit_code, 0);
}

TEST(ClaimNext, PicksAndClaimsInOneCommand) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  json first = sb.Json({"next", "--claim"}, {{"TG_AGENT", "alice"}});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0]["hash_id"], a);
  EXPECT_EQ(first[0]["claimed_by"], "alice");
  EXPECT_TRUE(sb.Json({"next", "--claim"}, {{"TG_AGENT", "bob"}}).empty());
}

TEST(ClaimNext, SixteenAgentsGetSixteenDifferentTasks) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  for (int i = 0; i < 20; ++i) sb.NewTask(p, "task " + std::to_string(i));
  constexpr int kAgents = 16;
  std::vector<RunResult> results(kAgents);
  std::latch go(kAgents);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAgents; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      results[i] =
          sb.Run({"next", "--claim", "--json"}, {{"TG_AGENT", "agent-" + std::to_string(i)}});
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> claimed;
  for (const auto& r : results) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out);
    ASSERT_EQ(j.size(), 1u);
    claimed.insert(j[0]["hash_id"]);
  }
  EXPECT_EQ(claimed.size(), 16u);
  EXPECT_EQ(sb.Json({"next"}).size(), 4u);
}

TEST(ClaimNext, WaitReturnsWhenAnotherAgentFinishesABlocker) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"start", a}, {{"TG_AGENT", "alice"}});
  RunResult waited;
  std::thread waiter([&] {
    waited = sb.Run({"next", "--claim", "--wait", "60s", "--json"}, {{"TG_AGENT", "bob"}});
  });
  // The waiter may or may not be waiting yet; either way it must end up with B once A is done.
  sb.Ok({"done", a, "--evidence", "ok"}, {{"TG_AGENT", "alice"}});
  waiter.join();
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  json j = json::parse(waited.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["hash_id"], b);
}

TEST(ClaimNext, WaitGivesUpAfterItsDuration) {
  Sandbox sb;
  sb.NewPlan("Empty");
  RunResult r = sb.Run({"next", "--claim", "--wait", "300ms", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(json::parse(r.out).empty());
  EXPECT_EQ(sb.Run({"next", "--wait", "1s"}).exit_code, 2);  // --wait needs --claim
}

}  // namespace
}  // namespace tg::test
