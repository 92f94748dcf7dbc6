// A team on one PostgreSQL graph: agents in different working directories (each its own
// .taskgraph/ folder, all naming one database) drain one graph with dependencies. Every task is
// done exactly once, no claim fails, and history stays one intact chain. PostgreSQL only (the
// pg.* run of this suite); one SQLite file cannot be shared between folders.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Stress, AgentsInTwelveFoldersDrainOneSharedGraph) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)";
  Sandbox home;
  std::string plan = home.NewPlan("Team");
  constexpr int kChains = 12, kSteps = 5, kAgents = 12;
  std::vector<std::string> all;
  for (int c = 0; c < kChains; ++c) {
    std::string prev;
    for (int i = 0; i < kSteps; ++i) {
      std::string id =
          home.NewTask(plan, "chain " + std::to_string(c) + " step " + std::to_string(i));
      if (!prev.empty()) home.Ok({"block", id, "--on", prev});
      all.push_back(id);
      prev = id;
    }
  }
  std::vector<std::unique_ptr<Sandbox>> folders;
  for (int i = 0; i < kAgents; ++i) {
    folders.push_back(std::make_unique<Sandbox>(false));
    folders.back()->SetEnv("TG_DATABASE_URL", "");  // the folder's config.json names it
    folders.back()->Ok({"init", "--database-url", home.database_url()});
  }
  std::mutex mu;
  std::vector<std::string> failures;
  std::map<std::string, int> finished;
  std::vector<std::thread> threads;
  for (int a = 0; a < kAgents; ++a) {
    threads.emplace_back([&, a] {
      Sandbox& here = *folders[a];
      std::map<std::string, std::string> env{{"TG_AGENT", "agent-" + std::to_string(a)}};
      for (;;) {
        // Waiting agents wake on every commit; at the end they wait this long for work.
        RunResult claim = here.Run({"next", "--claim", "--wait", "10s", "--json"}, env);
        if (claim.exit_code != 0) {
          std::lock_guard<std::mutex> l(mu);
          failures.push_back("claim: " + claim.err);
          return;
        }
        json got = json::parse(claim.out);
        if (got.empty()) return;  // nothing became runnable within the wait: drained
        std::string id = got[0]["hash_id"];
        RunResult note = here.Run({"note", id, "--msg", "on it"}, env);
        RunResult done = here.Run({"done", id, "--evidence", "done"}, env);
        std::lock_guard<std::mutex> l(mu);
        if (note.exit_code != 0) failures.push_back("note: " + note.err);
        if (done.exit_code != 0) failures.push_back("done: " + done.err);
        ++finished[id];
        if (finished.size() == all.size()) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(finished.size(), all.size());
  for (const auto& [id, n] : finished) EXPECT_EQ(n, 1) << id;
  // The graph agrees: one done event per task, nothing left, doctor clean, one chain.
  for (const auto& id : all) {
    int done_events = 0;
    json shown = home.Json({"show", id});  // a named value: range-for keeps no temporary alive
    for (const auto& e : shown["events"]) done_events += e["kind"] == "done";
    EXPECT_EQ(done_events, 1) << id;
  }
  EXPECT_EQ(home.Json({"status"})["summary"]["not_done"], 0);
  EXPECT_EQ(home.Json({"doctor"})["ok"], true);
  json log = home.Json({"log", "--limit", "100000"});
  for (size_t i = 0; i + 1 < log.size(); ++i) {
    ASSERT_EQ(log[i]["parent"], log[i + 1]["commit_id"]) << "chain broken at " << i;
  }
}

}  // namespace
}  // namespace tg::test
