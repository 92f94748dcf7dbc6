// Crash safety: hundreds of writers killed with SIGKILL at random moments. Afterwards the store
// is consistent (tg doctor), and every command that reported success is in the graph.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Stress, WritersKilledAtRandomMomentsLoseNothingThatSucceeded) {
  Sandbox sb;
  std::string plan = sb.NewPlan("Crash");
  std::string anchor = sb.NewTask(plan, "anchor");
  std::mt19937 rng(std::random_device{}());
  // Rounds continue until well over 200 writers were killed mid-flight (bounded, in case a
  // machine is so fast that every writer finishes first).
  constexpr int kMaxRounds = 400, kPerRound = 6, kWantKilled = 220;
  std::set<std::string> committed;  // titles whose `task new` exited 0
  int killed = 0, succeeded = 0;
  for (int round = 0; round < kMaxRounds && killed < kWantKilled; ++round) {
    std::vector<std::pair<int, std::string>> children;
    for (int i = 0; i < kPerRound; ++i) {
      std::string title = "crash " + std::to_string(round) + "." + std::to_string(i);
      RunOptions o;
      o.argv = {TgBinary(), "task", "new", title, "--plan", plan};
      if (i % 3 == 2) o.argv = {TgBinary(), "note", anchor, "--msg", title};
      o.env = sb.Environment({{"TG_AGENT", "writer-" + std::to_string(i)}});
      int pid = SpawnQuiet(o);
      ASSERT_GT(pid, 0);
      children.emplace_back(pid, i % 3 == 2 ? "" : title);
    }
    // Kill each child after a random few milliseconds: some before they open the store, some
    // mid-transaction, some after they finished.
    for (auto& [pid, title] : children) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
      kill(pid, SIGKILL);
    }
    for (auto& [pid, title] : children) {
      RunResult r = Reap(pid);
      if (r.signal == SIGKILL) {
        ++killed;
        continue;
      }
      EXPECT_EQ(r.exit_code, 0);
      ++succeeded;
      if (!title.empty()) committed.insert(title);
    }
  }
  EXPECT_GE(killed, 200);
  EXPECT_GT(killed, 0);
  RunResult doctor = sb.Run({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out;
  std::set<std::string> titles;
  for (const auto& t : sb.Json({"status", "--tasks", "--all"})) titles.insert(t["title"]);
  for (const auto& c : committed) EXPECT_TRUE(titles.contains(c)) << c;
  // And the store still takes writes.
  sb.Ok({"task", "new", "after the storm", "--plan", plan});
  std::cout << "writers: " << killed << " killed, " << succeeded << " finished\n";
}

}  // namespace
}  // namespace tg::test
