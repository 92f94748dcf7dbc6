// Git worktrees (contract section 10): discovery from linked worktrees, init there,
// start --worktree, done [--merge] with the base checked out nowhere, in a clean tree and in a
// dirty one, conflicts, and worktree list. Real git, one repository per test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli/git_repo.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::string Canon(const std::string& p) { return fs::weakly_canonical(p).string(); }

std::string Digits(const std::string& hash) { return hash.substr(3); }

TEST(WorktreeDiscovery, ALinkedWorktreeWithOnlyTheTrackedConfigUsesTheMainGraph) {
  Sandbox sb(false);
  GitRepo repo(sb);
  repo.InitTrackedGraph();
  repo.TgOk({"plan", "new", "Shared plan"});
  std::string wt = sb.root() + "/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  ASSERT_TRUE(fs::exists(wt + "/.taskgraph/config.json"));  // tracked, so checked out there
  fs::create_directories(wt + "/src/deep");
  json plans = repo.TgJson({"plan", "list"}, wt + "/src/deep");
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0]["title"], "Shared plan");
  // A write from the linked tree lands in the same graph, and no second database appears.
  repo.TgOk({"plan", "new", "From the worktree"}, wt);
  EXPECT_EQ(repo.TgJson({"plan", "list"}).size(), 2u);
  EXPECT_FALSE(fs::exists(wt + "/.taskgraph/tg.db"));
  // --dir naming the linked tree leads there too.
  EXPECT_EQ(repo.TgJson({"plan", "list", "--dir", wt}, sb.root()).size(), 2u);
}

TEST(WorktreeDiscovery, ALinkedWorktreeWithNoTaskgraphUsesTheMainGraph) {
  Sandbox sb(false);
  GitRepo repo(sb);
  repo.TgOk({"init"});  // untracked: the linked tree has no .taskgraph/ at all
  repo.TgOk({"plan", "new", "Only in main"});
  std::string wt = sb.root() + "/elsewhere/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  ASSERT_FALSE(fs::exists(wt + "/.taskgraph"));
  json plans = repo.TgJson({"plan", "list"}, wt);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0]["title"], "Only in main");
}

TEST(WorktreeDiscovery, ALinkedWorktreeWhoseMainHasNoGraphSaysWhereToInit) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string wt = sb.root() + "/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  RunResult r = repo.Tg({"next", "--json"}, wt);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "NOT_INITIALIZED");
  EXPECT_NE(r.err.find(Canon(repo.main())), std::string::npos) << r.err;
}

TEST(WorktreeInit, InALinkedWorktreeNamesTheSharedGraphInsteadOfMakingOne) {
  Sandbox sb(false);
  GitRepo repo(sb);
  repo.InitTrackedGraph();
  repo.TgOk({"plan", "new", "Shared"});
  std::string wt = sb.root() + "/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  RunResult r = repo.Tg({"init"}, wt);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("shares the task graph in " + Canon(repo.main()) + "/.taskgraph"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(wt + "/.taskgraph/tg.db"));
  json j = repo.TgJson({"init"}, wt);
  EXPECT_EQ(j["created"], false);
  EXPECT_EQ(j["root"], Canon(repo.main()));
  EXPECT_EQ(j["linked_worktree"], Canon(wt));
  // --here: a graph of the worktree alone, which its commands then use.
  json here = repo.TgJson({"init", "--here"}, wt);
  EXPECT_EQ(here["created"], true);
  if (!OnPostgres()) {
    EXPECT_TRUE(fs::exists(wt + "/.taskgraph/tg.db"));
  }
  EXPECT_EQ(repo.TgJson({"plan", "list"}, wt).size(), 0u);
  EXPECT_EQ(repo.TgJson({"plan", "list"}).size(), 1u);
}

TEST(WorktreeInit, InALinkedWorktreeWhoseMainHasNoGraphCreatesNothing) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string wt = sb.root() + "/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  RunResult r = repo.Tg({"init"}, wt);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("run `tg init` in " + Canon(repo.main())), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(wt + "/.taskgraph"));
  EXPECT_FALSE(fs::exists(repo.main() + "/.taskgraph"));
}

TEST(WorktreeInit, TheGitignoreListsWorktrees) {
  Sandbox sb(false);
  GitRepo repo(sb);
  repo.TgOk({"init"});
  std::ifstream in(repo.main() + "/.taskgraph/.gitignore");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("\nworktrees/\n"), std::string::npos) << text;
}

// A graph in the main worktree with one task; returns its short id.
std::string OneTask(const GitRepo& repo, const std::string& title = "Write the feature") {
  repo.InitTrackedGraph();
  repo.TgOk({"plan", "new", "Work"});
  return repo.TgJson({"task", "new", title, "--plan", "Work"})["hash_id"];
}

TEST(WorktreeStart, MakesABranchAndWorktreeFromTheCurrentBranchAndRecordsThem) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  json j = repo.TgJson({"start", id, "--worktree"});
  ASSERT_EQ(j.size(), 1u);
  ASSERT_EQ(j[0]["status"], "doing") << j.dump();
  std::string path = Canon(repo.main()) + "/.taskgraph/worktrees/" + Digits(id);
  EXPECT_EQ(j[0]["worktree_path"], path);
  EXPECT_EQ(j[0]["worktree_branch"], id);
  EXPECT_EQ(j[0]["worktree_base"], "main");
  EXPECT_EQ(repo.GitOk(path, {"rev-parse", "--abbrev-ref", "HEAD"}), id);
  EXPECT_EQ(repo.GitOk(path, {"rev-parse", "HEAD"}),
            repo.GitOk(repo.main(), {"rev-parse", "main"}));
  // Recorded on the started event; the main tree does not see the worktree as a change.
  json show = repo.TgJson({"show", id});
  bool recorded = false;
  for (const auto& e : show["events"]) {
    if (e["kind"] == "started") {
      recorded = e["body"]["worktree_path"] == path && e["body"]["worktree_base"] == "main";
    }
  }
  EXPECT_TRUE(recorded) << show["events"].dump();
  EXPECT_EQ(repo.Status(repo.main()), "");
  // Starting it again is a no-op that names the same worktree.
  RunResult again = repo.Tg({"start", id, "--worktree"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("worktree_path: " + path), std::string::npos) << again.out;
}

TEST(WorktreeStart, TheBaseIsTheBranchCheckedOutWhereStartRan) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string wt = sb.root() + "/linked";
  repo.GitOk(repo.main(), {"worktree", "add", "-q", "-b", "feature", wt});
  json j = repo.TgJson({"start", id, "--worktree"}, wt);
  ASSERT_EQ(j[0]["status"], "doing") << j.dump();
  EXPECT_EQ(j[0]["worktree_base"], "feature");
  // Under the shared graph's .taskgraph/, not the linked tree's.
  EXPECT_EQ(j[0]["worktree_path"], Canon(repo.main()) + "/.taskgraph/worktrees/" + Digits(id));
}

TEST(WorktreeStart, OutsideAGitCheckoutOrOnADetachedHeadIsRefusedAndNothingIsClaimed) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  fs::create_directories(sb.root() + "/plain");
  RunResult r = repo.Tg({"start", id, "--worktree", "--dir", repo.main()}, sb.root() + "/plain");
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("not in a git checkout"), std::string::npos) << r.err;
  repo.GitOk(repo.main(), {"checkout", "-q", "--detach"});
  r = repo.Tg({"start", id, "--worktree"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("detached HEAD"), std::string::npos) << r.err;
  EXPECT_EQ(repo.TgJson({"show", id})["status"], "todo");
  EXPECT_FALSE(repo.HasBranch(id));
}

TEST(WorktreeStart, FilesInsideATaskWorktreeAreTheUsersNotTgState) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = repo.TgJson({"start", id, "--worktree"})[0]["worktree_path"];
  repo.TgOk({"export", "markdown", "--plan", "Work", "--out", "docs/plan.md"}, path);
  EXPECT_TRUE(fs::exists(path + "/docs/plan.md"));
  // tg's own files beside the worktrees stay protected.
  RunResult r = repo.Tg({"export", "markdown", "--plan", "Work", "--out",
                         repo.main() + "/.taskgraph/worktrees/.lock"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
}

// A started task with one commit in its worktree; returns the worktree's path.
std::string StartedWithCommit(const GitRepo& repo, const std::string& id,
                              const std::string& file = "feature.txt",
                              const std::string& text = "the feature\n") {
  json j = repo.TgJson({"start", id, "--worktree"});
  std::string path = j[0]["worktree_path"];
  repo.Commit(path, file, text);
  return path;
}

TEST(WorktreeMerge, WithTheBaseCheckedOutNowhereMergesWithoutAWorkTree) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  // main moves on meanwhile (a real merge, not a fast-forward), then is checked out nowhere.
  repo.Commit(repo.main(), "other.txt", "other\n");
  repo.GitOk(repo.main(), {"checkout", "-q", "--detach"});
  std::string detached = repo.GitOk(repo.main(), {"rev-parse", "HEAD"});
  json j = repo.TgJson({"done", id, "--merge", "--evidence", "committed"}, path);
  ASSERT_EQ(j[0]["status"], "done") << j.dump();
  EXPECT_EQ(j[0]["merged"], true);
  EXPECT_EQ(j[0]["worktree_removed"], true);
  EXPECT_EQ(j[0]["branch_deleted"], true);
  EXPECT_EQ(repo.GitOk(repo.main(), {"show", "main:feature.txt"}), "the feature");
  EXPECT_EQ(repo.GitOk(repo.main(), {"show", "main:other.txt"}), "other");
  std::string parents = repo.GitOk(repo.main(), {"rev-list", "--parents", "-n", "1", "main"});
  EXPECT_EQ(std::count(parents.begin(), parents.end(), ' '), 2) << parents;  // a merge commit
  // Nobody's checkout moved.
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "HEAD"}), detached);
  EXPECT_EQ(repo.Status(repo.main()), "");
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(repo.HasBranch(id));
}

TEST(WorktreeMerge, WithTheBaseCheckedOutInACleanTreeMergesThere) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  repo.Commit(repo.main(), "other.txt", "other\n");
  RunResult r = repo.Tg({"done", id, "--merge", "--evidence", "committed"}, path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("merged " + id + " into main; worktree removed, branch deleted"),
            std::string::npos)
      << r.out;
  // The file is in the main worktree's files, which are clean and on main.
  EXPECT_TRUE(fs::exists(repo.main() + "/feature.txt"));
  EXPECT_EQ(repo.Status(repo.main()), "");
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "--abbrev-ref", "HEAD"}), "main");
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(repo.HasBranch(id));
  EXPECT_EQ(repo.TgJson({"show", id})["status"], "done");
}

TEST(WorktreeMerge, WithTheBaseCheckedOutInADirtyTreeIsRefusedAndRetriedOnceClean) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  repo.Write("README.md", "someone's unfinished edit\n");
  std::string before = repo.GitOk(repo.main(), {"rev-parse", "main"});
  RunResult r = repo.Tg({"done", id, "--merge", "--evidence", "committed", "--json"}, path);
  EXPECT_EQ(r.exit_code, 4);
  json j = json::parse(r.out);
  EXPECT_EQ(j[0]["error"]["code"], "MERGE_CONFLICT");
  EXPECT_EQ(j[0]["merged"], false);
  EXPECT_NE(r.err.find("uncommitted changes (README.md)"), std::string::npos) << r.err;
  EXPECT_EQ(j[0]["error"]["details"][0]["file"], "README.md");
  // Done all the same; nothing moved, nothing removed, the edit untouched.
  EXPECT_EQ(repo.TgJson({"show", id})["status"], "done");
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "main"}), before);
  EXPECT_TRUE(repo.HasBranch(id));
  EXPECT_TRUE(fs::exists(path + "/feature.txt"));
  EXPECT_EQ(repo.Status(repo.main()), " M README.md");
  // Once the tree is clean, the same command merges.
  repo.GitOk(repo.main(), {"checkout", "--", "README.md"});
  json again = repo.TgJson({"done", id, "--merge", "--evidence", "committed"}, path);
  EXPECT_EQ(again[0]["merged"], true) << again.dump();
  EXPECT_TRUE(fs::exists(repo.main() + "/feature.txt"));
}

TEST(WorktreeMerge, AConflictInACheckedOutBaseNamesTheFilesAndLeavesEveryCheckoutClean) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id, "README.md", "the task's version\n");
  repo.Commit(repo.main(), "README.md", "main's version\n");
  std::string before = repo.GitOk(repo.main(), {"rev-parse", "main"});
  RunResult r = repo.Tg({"done", id, "--merge", "--evidence", "committed", "--json"}, path);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j[0]["error"]["code"], "MERGE_CONFLICT");
  EXPECT_EQ(j[0]["error"]["details"][0]["file"], "README.md");
  EXPECT_NE(r.err.find("conflicts in README.md; the merge was aborted"), std::string::npos)
      << r.err;
  EXPECT_EQ(repo.Status(repo.main()), "");
  EXPECT_EQ(repo.Status(path), "");
  EXPECT_NE(repo.Git(repo.main(), {"rev-parse", "-q", "--verify", "MERGE_HEAD"}).exit_code, 0);
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "main"}), before);
  EXPECT_EQ(repo.TgJson({"show", id})["status"], "done");
  EXPECT_TRUE(repo.HasBranch(id));
  EXPECT_TRUE(fs::exists(path));
}

TEST(WorktreeMerge, AConflictWithTheBaseCheckedOutNowhereChangesNothing) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id, "README.md", "the task's version\n");
  repo.Commit(repo.main(), "README.md", "main's version\n");
  repo.GitOk(repo.main(), {"checkout", "-q", "--detach"});
  std::string before = repo.GitOk(repo.main(), {"rev-parse", "main"});
  RunResult r = repo.Tg({"done", id, "--merge", "--evidence", "committed", "--json"}, path);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j[0]["error"]["code"], "MERGE_CONFLICT");
  EXPECT_EQ(j[0]["error"]["details"][0]["file"], "README.md");
  EXPECT_EQ(repo.GitOk(repo.main(), {"rev-parse", "main"}), before);
  EXPECT_EQ(repo.Status(repo.main()), "");
  EXPECT_EQ(repo.Status(path), "");
  EXPECT_TRUE(repo.HasBranch(id));
}

TEST(WorktreeMerge, UncommittedWorkInTheTaskWorktreeIsNeverMergedOrRemoved) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  repo.Write("notes.txt", "not added yet\n", path);
  RunResult r = repo.Tg({"done", id, "--merge", "--evidence", "committed"}, path);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("has uncommitted changes (notes.txt)"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(path + "/notes.txt"));
  EXPECT_FALSE(fs::exists(repo.main() + "/feature.txt"));
  EXPECT_TRUE(repo.HasBranch(id));
}

TEST(WorktreeDone, WithoutMergeRemovesACleanWorktreeAndKeepsTheBranch) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  json j = repo.TgJson({"done", id, "--evidence", "committed"}, path);
  EXPECT_EQ(j[0]["worktree_removed"], true) << j.dump();
  EXPECT_EQ(j[0]["merged"], false);
  EXPECT_EQ(j[0]["branch_deleted"], false);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(repo.HasBranch(id));
  EXPECT_FALSE(fs::exists(repo.main() + "/feature.txt"));
  // The kept branch can still be merged later.
  json later = repo.TgJson({"done", id, "--merge", "--evidence", "committed"});
  EXPECT_EQ(later[0]["merged"], true) << later.dump();
  EXPECT_TRUE(fs::exists(repo.main() + "/feature.txt"));
  EXPECT_FALSE(repo.HasBranch(id));
}

TEST(WorktreeDone, WithoutMergeKeepsAWorktreeWithUncommittedChangesAndSaysSo) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string id = OneTask(repo);
  std::string path = StartedWithCommit(repo, id);
  repo.Write("draft.txt", "work in progress\n", path);
  RunResult r = repo.Tg({"done", id, "--evidence", "committed"}, path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("worktree " + path + " kept: it has uncommitted changes (draft.txt)"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(path + "/draft.txt"));
  EXPECT_TRUE(repo.HasBranch(id));
  EXPECT_EQ(repo.TgJson({"show", id})["status"], "done");
}

TEST(WorktreeList, ListsEveryWorktreeWithItsTask) {
  Sandbox sb(false);
  GitRepo repo(sb);
  std::string a = OneTask(repo, "First");
  std::string b = repo.TgJson({"task", "new", "Second", "--plan", "Work"})["hash_id"];
  repo.TgOk({"start", a, b, "--worktree"});
  json list = repo.TgJson({"worktree", "list"});
  ASSERT_EQ(list.size(), 3u) << list.dump();
  EXPECT_EQ(list[0]["path"], Canon(repo.main()));
  EXPECT_EQ(list[0]["branch"], "main");
  EXPECT_TRUE(list[0]["task_id"].is_null());
  std::map<std::string, json> by_hash;
  for (const auto& w : list) {
    if (!w["hash_id"].is_null()) by_hash[w["hash_id"]] = w;
  }
  ASSERT_EQ(by_hash.size(), 2u);
  EXPECT_EQ(by_hash[a]["branch"], a);
  EXPECT_EQ(by_hash[a]["path"], Canon(repo.main()) + "/.taskgraph/worktrees/" + Digits(a));
  EXPECT_EQ(by_hash[a]["head"], repo.GitOk(repo.main(), {"rev-parse", "main"}));
  EXPECT_EQ(by_hash[a]["task_id"], repo.TgJson({"show", a})["task_id"]);
  // The same from inside a task's worktree, and as text.
  std::string text = repo.TgOk({"worktree", "list"}, by_hash[b]["path"]);
  EXPECT_NE(text.find(b), std::string::npos) << text;
}

}  // namespace
}  // namespace tg::test
