// The scenario of the original tool's test review, reproduced: 24 independent graphs driven in
// parallel, each by its own process running more than 50 commands, while 16 agent processes
// share one more graph. Zero failures allowed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// A bash driver for one graph: builds a plan of 12 tasks in 3 chains, then works through it
// with start/note/done, checking every step (set -e). 60+ tg commands.
constexpr const char* kDriver = R"sh(
set -euo pipefail
tg() { "$TG" "$@"; }
id() { sed -n '/"hash_id"/{s/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p;q;}'; }
tg init >/dev/null
tg plan new "Solo" >/dev/null
prev=""
ids=()
for i in $(seq 1 12); do
  t=$(tg task new "step $i" --plan Solo --json | id)
  ids+=("$t")
  if [ $((i % 4)) -ne 1 ]; then tg edge add "$prev" blocks "$t" >/dev/null; fi
  prev=$t
done
n=0
while :; do
  next=$(tg next --json --limit 1 | id)
  [ -z "$next" ] && break
  tg start "$next" >/dev/null
  tg note "$next" --msg "working" >/dev/null
  tg show "$next" --json >/dev/null
  tg done "$next" --evidence "step finished" >/dev/null
  n=$((n + 1))
done
[ "$n" -eq 12 ]
status=$(tg status --json)
case "$status" in *'"not_done": 0'*) ;; *) echo "unfinished: $status" >&2; exit 1 ;; esac
tg doctor >/dev/null
echo "ok $n"
)sh";

TEST(Stress, TwentyFourGraphsAndSixteenSharedAgents) {
  Sandbox shared;
  std::string plan = shared.NewPlan("Shared");
  std::vector<std::string> all;
  for (int c = 0; c < 16; ++c) {
    std::string prev;
    for (int i = 0; i < 8; ++i) {
      std::string id =
          shared.NewTask(plan, "chain " + std::to_string(c) + " step " + std::to_string(i));
      if (!prev.empty()) shared.Ok({"block", id, "--on", prev});
      all.push_back(id);
      prev = id;
    }
  }
  std::vector<std::unique_ptr<Sandbox>> solos;
  for (int i = 0; i < 24; ++i) solos.push_back(std::make_unique<Sandbox>(false));

  std::vector<RunResult> driver_results(solos.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < solos.size(); ++i) {
    threads.emplace_back([&, i] {
      std::string script = solos[i]->root() + "/drive.sh";
      std::ofstream(script) << kDriver;
      RunOptions o;
      o.argv = {"/bin/bash", script};
      o.env = solos[i]->Environment({{"TG", TgBinary()}});
      o.cwd = solos[i]->root();
      o.timeout_ms = 300'000;
      driver_results[i] = RunProcess(o);
    });
  }
  std::mutex mu;
  std::vector<std::string> failures;
  std::map<std::string, int> finished;
  for (int a = 0; a < 16; ++a) {
    threads.emplace_back([&, a] {
      std::map<std::string, std::string> env{{"TG_AGENT", "agent-" + std::to_string(a)}};
      for (;;) {
        RunResult claim = shared.Run({"next", "--claim", "--wait", "20s", "--json"}, env);
        if (claim.exit_code != 0) {
          std::lock_guard<std::mutex> l(mu);
          failures.push_back("claim: " + claim.err);
          return;
        }
        json got = json::parse(claim.out);
        if (got.empty()) return;  // nothing left within the wait
        std::string id = got[0]["hash_id"];
        RunResult note = shared.Run({"note", id, "--msg", "on it"}, env);
        RunResult done = shared.Run({"done", id, "--evidence", "done"}, env);
        std::lock_guard<std::mutex> l(mu);
        if (note.exit_code != 0) failures.push_back("note: " + note.err);
        if (done.exit_code != 0) failures.push_back("done: " + done.err);
        ++finished[id];
        if (finished.size() == all.size()) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < driver_results.size(); ++i) {
    EXPECT_EQ(driver_results[i].exit_code, 0)
        << "graph " << i << ": " << driver_results[i].err << driver_results[i].out;
    EXPECT_EQ(driver_results[i].out, "ok 12\n");
  }
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(finished.size(), all.size());
  for (const auto& [id, n] : finished) EXPECT_EQ(n, 1) << id;
  json st = shared.Json({"status"});
  EXPECT_EQ(st["summary"]["not_done"], 0);
  EXPECT_EQ(shared.Run({"doctor"}).exit_code, 0);
}

}  // namespace
}  // namespace tg::test
