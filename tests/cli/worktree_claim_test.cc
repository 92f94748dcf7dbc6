// start --worktree and next --claim --worktree make the task's worktree before the store's
// write transaction, so a slow checkout never holds every other writer up; and a worktree
// made for a claim another agent wins is taken back. Git's post-checkout hook, which runs
// inside `git worktree add`, is the probe: it runs another tg writer at exactly the moment the
// worktree is being made. Made inside the transaction, that writer would wait for the lock
// its own parent holds, until TG_LOCK_TIMEOUT.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/git_repo.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Installs a post-checkout hook that, once, runs `tg <command>` from the main worktree as the
// agent "rival" (the branch being checked out, the task's id, is $branch in `command`) and
// keeps tg's exit code in `<sandbox>/hook-exit`.
void HookOnce(const Sandbox& sb, const GitRepo& repo, const std::string& command) {
  std::string path = repo.main() + "/.git/hooks/post-checkout";
  std::ofstream(path) << "#!/bin/sh\n"
                      << "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n"
                      << "[ -e '" << sb.root() << "/hook-ran' ] && exit 0\n"
                      << "touch '" << sb.root() << "/hook-ran'\n"
                      << "branch=$(git symbolic-ref --short HEAD)\n"
                      << "cd '" << repo.main() << "' || exit 1\n"
                      << "TG_AGENT=rival TG_LOCK_TIMEOUT=3s '" << TgBinary() << "' " << command
                      << " >'" << sb.root() << "/hook-out' 2>&1\n"
                      << "echo $? >'" << sb.root() << "/hook-exit'\n"
                      << "exit 0\n";
  ASSERT_EQ(chmod(path.c_str(), 0755), 0);
}

struct Graph {
  std::string first, second, waiting;  // waiting: blocked by first, so next never offers it
};

Graph MakeGraph(const GitRepo& repo) {
  repo.InitTrackedGraph();
  repo.TgOk({"plan", "new", "Work"});
  Graph g;
  g.first = repo.TgJson({"task", "new", "First", "--plan", "Work"})["hash_id"];
  g.second = repo.TgJson({"task", "new", "Second", "--plan", "Work"})["hash_id"];
  g.waiting = repo.TgJson({"task", "new", "Waiting", "--plan", "Work"})["hash_id"];
  repo.TgOk({"edge", "add", g.first, "blocks", g.waiting});
  return g;
}

bool HasNote(const GitRepo& repo, const std::string& id, const std::string& text) {
  json shown = repo.TgJson({"show", id});  // kept: a range-for over a temporary's member dangles
  for (const auto& e : shown["events"]) {
    if (e["kind"] == "note" && e["body"].dump().find(text) != std::string::npos) return true;
  }
  return false;
}

std::string WorktreeDir(const GitRepo& repo, const std::string& id) {
  return repo.main() + "/.taskgraph/worktrees/" + id.substr(3);
}

TEST(WorktreeClaim, StartMakesTheWorktreeWhileOtherWritersCanStillWrite) {
  Sandbox sb(false);
  GitRepo repo(sb);
  Graph g = MakeGraph(repo);
  HookOnce(sb, repo, "note " + g.waiting + " --msg written-during-checkout");
  json j = repo.TgJson({"start", g.first, "--worktree"});
  ASSERT_EQ(j[0]["status"], "doing") << j.dump();
  EXPECT_EQ(Read(sb.root() + "/hook-exit"), "0") << Read(sb.root() + "/hook-out");
  EXPECT_TRUE(HasNote(repo, g.waiting, "written-during-checkout"));
  EXPECT_TRUE(fs::exists(WorktreeDir(repo, g.first)));
}

TEST(WorktreeClaim, NextClaimMakesTheWorktreeWhileOtherWritersCanStillWrite) {
  Sandbox sb(false);
  GitRepo repo(sb);
  Graph g = MakeGraph(repo);
  HookOnce(sb, repo, "note " + g.waiting + " --msg written-during-checkout");
  json j = repo.TgJson({"next", "--claim", "--worktree"});
  ASSERT_EQ(j.size(), 1u) << j.dump();
  EXPECT_EQ(j[0]["status"], "doing") << j.dump();
  EXPECT_EQ(Read(sb.root() + "/hook-exit"), "0") << Read(sb.root() + "/hook-out");
  EXPECT_TRUE(HasNote(repo, g.waiting, "written-during-checkout"));
}

TEST(WorktreeClaim, AStartAnotherAgentWinsTakesItsWorktreeAndBranchBack) {
  Sandbox sb(false);
  GitRepo repo(sb);
  Graph g = MakeGraph(repo);
  HookOnce(sb, repo, "start $branch");  // the rival claims the task while its tree is made
  RunResult r = repo.Tg({"start", g.first, "--worktree"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.err.find("rival"), std::string::npos) << r.err;
  EXPECT_EQ(Read(sb.root() + "/hook-exit"), "0") << Read(sb.root() + "/hook-out");
  json shown = repo.TgJson({"show", g.first});
  EXPECT_EQ(shown["claimed_by"], "rival") << shown.dump();
  EXPECT_FALSE(repo.HasBranch(g.first));
  EXPECT_FALSE(fs::exists(WorktreeDir(repo, g.first)));
  EXPECT_EQ(repo.GitOk(repo.main(), {"worktree", "list", "--porcelain"}).find("worktrees/"),
            std::string::npos);
}

TEST(WorktreeClaim, ANextClaimAnotherAgentWinsGoesOnToTheNextTaskWithItsOwnWorktree) {
  Sandbox sb(false);
  GitRepo repo(sb);
  Graph g = MakeGraph(repo);
  HookOnce(sb, repo, "start $branch");
  json j = repo.TgJson({"next", "--claim", "--worktree"});
  ASSERT_EQ(j.size(), 1u) << j.dump();
  EXPECT_EQ(Read(sb.root() + "/hook-exit"), "0") << Read(sb.root() + "/hook-out");
  // The rival took the task next offered first; this claim got the other one, and a worktree
  // for it; the first task's worktree and branch are gone.
  std::string lost = j[0]["hash_id"] == g.first ? g.second : g.first;
  std::string won = j[0]["hash_id"];
  EXPECT_EQ(repo.TgJson({"show", lost})["claimed_by"], "rival");
  EXPECT_EQ(j[0]["claimed_by"], "default") << j.dump();
  EXPECT_EQ(j[0]["worktree_branch"], won) << j.dump();
  EXPECT_TRUE(fs::exists(WorktreeDir(repo, won)));
  EXPECT_FALSE(repo.HasBranch(lost));
  EXPECT_FALSE(fs::exists(WorktreeDir(repo, lost)));
}

}  // namespace
}  // namespace tg::test
