// Four agents in one repository: each claims with `next --claim --worktree`, works in its
// task's worktree (a linked worktree: tg finds the shared graph from there), commits a file,
// and finishes with `done --merge`. The plan has dependencies, so a task's worktree must
// already hold its blockers' files: it is made from main after they were merged. Threads only
// launch real tg and git processes; the coordination is tg's.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli/git_repo.h"
#include "core/strings.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

struct Plan {
  std::vector<std::string> ids;                              // short ids
  std::map<std::string, std::vector<std::string>> blockers;  // id -> its blockers
};

// Ten tasks: a root that three others wait for, one that waits for two of those, one that
// waits for the third, and four on their own.
Plan MakePlan(const GitRepo& repo) {
  repo.TgOk({"plan", "new", "Parallel"});
  Plan p;
  for (int i = 0; i < 10; ++i) {
    p.ids.push_back(repo.TgJson(
        {"task", "new", Cat({"task ", std::to_string(i)}), "--plan", "Parallel"})["hash_id"]);
  }
  auto edge = [&](int from, int to) {
    repo.TgOk({"edge", "add", p.ids[from], "blocks", p.ids[to]});
    p.blockers[p.ids[to]].push_back(p.ids[from]);
  };
  edge(0, 1), edge(0, 2), edge(0, 3), edge(1, 4), edge(2, 4), edge(3, 5);
  return p;
}

std::string FileOf(const std::string& id) { return Cat({"work/", id, ".txt"}); }

void Agent(const GitRepo& repo, const Plan& plan, const std::string& name,
           std::vector<std::string>& finished, std::vector<std::string>& failures, std::mutex& mu) {
  std::map<std::string, std::string> env{{"TG_AGENT", name}};
  auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    failures.push_back(name + ": " + what);
  };
  for (int round = 0; round < 200; ++round) {
    RunResult claim = repo.Tg({"next", "--claim", "--worktree", "--json"}, "", env);
    if (claim.exit_code != 0) return fail(Cat({"next --claim: ", claim.err}));
    json got = json::parse(claim.out);
    if (got.empty()) {
      json status = repo.TgJson({"status"}, "", env);
      if (status["summary"]["not_done"] == 0) return;
      // Others hold what the rest waits for: wait for their commits (woken by them).
      RunResult wait =
          repo.Tg({"next", "--claim", "--worktree", "--wait", "2s", "--json"}, "", env);
      if (wait.exit_code != 0) return fail(Cat({"next --claim --wait: ", wait.err}));
      got = json::parse(wait.out);
      if (got.empty()) continue;
    }
    std::string id = got[0]["hash_id"];
    std::string path = got[0]["worktree_path"];
    auto it = plan.blockers.find(id);
    if (it != plan.blockers.end()) {
      for (const auto& b : it->second) {
        if (!fs::exists(path + "/" + FileOf(b))) fail(id + "'s worktree lacks " + FileOf(b));
      }
    }
    repo.Commit(path, FileOf(id), Cat({"done by ", name, "\n"}));
    RunResult note = repo.Tg({"note", id, "--msg", "committed"}, path, env);
    if (note.exit_code != 0) return fail(Cat({"note from the worktree: ", note.err}));
    RunResult done =
        repo.Tg({"done", id, "--merge", "--evidence", "committed", "--json"}, path, env);
    if (done.exit_code != 0) return fail(Cat({"done --merge ", id, ": ", done.out, done.err}));
    json d = json::parse(done.out);
    if (d[0]["merged"] != true || d[0]["worktree_removed"] != true ||
        d[0]["branch_deleted"] != true) {
      return fail(Cat({"done --merge ", id, ": ", d.dump()}));
    }
    std::lock_guard<std::mutex> lock(mu);
    finished.push_back(id);
  }
  fail("gave up after 200 rounds");
}

TEST(WorktreeAgents, FourAgentsInWorktreesDrainAPlanAndMergeEveryBranch) {
  Sandbox sb(false);
  GitRepo repo(sb);
  repo.InitTrackedGraph();
  Plan plan = MakePlan(repo);
  std::vector<std::string> finished, failures;
  std::mutex mu;
  std::vector<std::thread> agents;
  for (int i = 1; i <= 4; ++i) {
    agents.emplace_back([&, i] {
      Agent(repo, plan, Cat({"a", std::to_string(i)}), finished, failures, mu);
    });
  }
  for (auto& a : agents) a.join();
  ASSERT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(std::set<std::string>(finished.begin(), finished.end()).size(), plan.ids.size());
  EXPECT_EQ(finished.size(), plan.ids.size());
  // Every branch merged and gone, every worktree removed, main holds every file, and nobody's
  // checkout was left dirty.
  EXPECT_EQ(repo.GitOk(repo.main(), {"branch", "--list", "tg-*"}), "");
  json trees = repo.TgJson({"worktree", "list"});
  ASSERT_EQ(trees.size(), 1u) << trees.dump();
  EXPECT_EQ(trees[0]["path"], fs::weakly_canonical(repo.main()).string());
  int left = 0;  // task checkouts still on disk
  for (const auto& e : fs::directory_iterator(repo.main() + "/.taskgraph/worktrees")) {
    left += e.is_directory();
  }
  EXPECT_EQ(left, 0);
  for (const auto& id : plan.ids) {
    EXPECT_EQ(repo.GitOk(repo.main(), {"show", Cat({"main:", FileOf(id)})}).rfind("done by a", 0),
              0u)
        << id;
    EXPECT_TRUE(fs::exists(repo.main() + "/" + FileOf(id))) << id;
  }
  EXPECT_EQ(repo.Status(repo.main()), "");
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "--abbrev-ref", "HEAD"}), "main");
  json tasks = repo.TgJson({"status", "--tasks"});
  for (const auto& t : tasks) EXPECT_EQ(t["status"], "done") << t["hash_id"];
  RunResult doctor = repo.Tg({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_EQ(json::parse(doctor.out)["ok"], true) << doctor.out;
}

}  // namespace
}  // namespace tg::test
