// Many agents on one graph: a claim race and a swarm draining a graph with dependency chains.
// Threads here only launch real tg processes; all coordination happens inside tg.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Concurrency, SixteenAgentsRaceForOneTaskExactlyOneWins) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("Race"), "The prize");
  constexpr int kAgents = 16;
  std::vector<RunResult> results(kAgents);
  std::latch go(kAgents);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAgents; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      results[i] = sb.Run({"start", t, "--json"}, {{"TG_AGENT", "agent-" + std::to_string(i)}});
    });
  }
  for (auto& th : threads) th.join();
  int winners = 0;
  std::string winner;
  for (int i = 0; i < kAgents; ++i) {
    if (results[i].exit_code == 0) {
      ++winners;
      winner = "agent-" + std::to_string(i);
    }
  }
  ASSERT_EQ(winners, 1);
  for (const auto& r : results) {
    if (r.exit_code == 0) continue;
    EXPECT_EQ(r.exit_code, 4) << r.err;
    json j = json::parse(r.out);
    EXPECT_EQ(j[0]["error"]["code"], "TASK_ALREADY_CLAIMED");
    EXPECT_NE(r.err.find("being worked by " + winner), std::string::npos) << r.err;
  }
  json show = sb.Json({"show", t});
  EXPECT_EQ(show["claimed_by"], winner);
  int started = 0;
  for (const auto& e : show["events"]) started += e["kind"] == "started";
  EXPECT_EQ(started, 1);
}

// One agent: take the first runnable task it can claim, note, finish; repeat until nothing is
// left. Returns the ids it finished; records any unexpected failure.
std::vector<std::string> Agent(const Sandbox& sb, const std::string& name,
                               std::vector<std::string>& failures, std::mutex& mu) {
  std::map<std::string, std::string> env{{"TG_AGENT", name}};
  std::vector<std::string> finished;
  auto fail = [&](const std::string& what, const RunResult& r) {
    std::lock_guard<std::mutex> lock(mu);
    failures.push_back(name + " " + what + ": exit " + std::to_string(r.exit_code) + " " + r.err);
  };
  for (int round = 0; round < 5000; ++round) {
    RunResult next = sb.Run({"next", "--json", "--limit", "8"}, env);
    if (next.exit_code != 0) return fail("next", next), finished;
    json runnable = json::parse(next.out);
    if (runnable.empty()) {
      RunResult st = sb.Run({"status", "--json"}, env);
      if (st.exit_code != 0) return fail("status", st), finished;
      if (json::parse(st.out)["summary"]["not_done"] == 0) return finished;
      continue;  // others hold the tasks that unblock the rest
    }
    for (const auto& cand : runnable) {
      std::string id = cand["hash_id"];
      RunResult start = sb.Run({"start", id, "--json"}, env);
      if (start.exit_code == 4) {
        // Lost the race: another agent holds it, or has already finished it since `next`.
        std::string code = json::parse(start.out)[0]["error"]["code"];
        if (code == "TASK_ALREADY_CLAIMED" || code == "INVALID_TRANSITION") continue;
      }
      if (start.exit_code != 0) return fail("start", start), finished;
      RunResult note = sb.Run({"note", id, "--msg", "working on it"}, env);
      if (note.exit_code != 0) return fail("note", note), finished;
      RunResult done = sb.Run({"done", id, "--evidence", "done by " + name}, env);
      if (done.exit_code != 0) return fail("done", done), finished;
      finished.push_back(id);
      break;
    }
  }
  fail("gave up", RunResult{});
  return finished;
}

TEST(Concurrency, EightAgentsDrainAGraphWithChainsEachTaskDoneOnce) {
  Sandbox sb;
  std::string plan = sb.NewPlan("Swarm");
  constexpr int kChains = 12, kLength = 10;
  std::vector<std::string> all;
  for (int c = 0; c < kChains; ++c) {
    std::string prev;
    for (int i = 0; i < kLength; ++i) {
      std::string id =
          sb.NewTask(plan, "chain " + std::to_string(c) + " step " + std::to_string(i));
      if (!prev.empty()) sb.Ok({"edge", "add", prev, "blocks", id});
      all.push_back(id);
      prev = id;
    }
  }
  // Cross-chain dependencies: each chain's 5th step also waits for the previous chain's 3rd.
  for (int c = 1; c < kChains; ++c) {
    sb.Ok({"edge", "add", all[(c - 1) * kLength + 3], "blocks", all[c * kLength + 5]});
  }
  constexpr int kAgents = 8;
  std::vector<std::vector<std::string>> done(kAgents);
  std::vector<std::string> failures;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int i = 0; i < kAgents; ++i) {
    threads.emplace_back(
        [&, i] { done[i] = Agent(sb, "agent-" + std::to_string(i), failures, mu); });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  std::map<std::string, int> count;
  for (const auto& d : done) {
    for (const auto& id : d) ++count[id];
  }
  EXPECT_EQ(count.size(), all.size());
  for (const auto& id : all) EXPECT_EQ(count[id], 1) << id;
  json tasks = sb.Json({"status", "--tasks"});
  ASSERT_EQ(tasks.size(), all.size());
  for (const auto& t : tasks) EXPECT_EQ(t["status"], "done") << t["hash_id"];
  json plans = sb.Json({"plan", "list"});
  EXPECT_EQ(plans[0]["status"], "done");
  // Each task has exactly one done event.
  for (size_t i = 0; i < all.size(); i += 17) {
    int n = 0;
    json show = sb.Json({"show", all[i]});  // named: a temporary would die before the loop
    for (const auto& e : show["events"]) n += e["kind"] == "done";
    EXPECT_EQ(n, 1) << all[i];
  }
}

}  // namespace
}  // namespace tg::test
