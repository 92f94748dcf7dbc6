// Reading git's files for discovery (store/checkout.h), on layouts written by hand: a main
// worktree, a linked one (absolute and relative gitdir), a submodule-like gitdir, a bare
// repository's worktree; and what counts as a graph.
#include "store/checkout.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "store/store.h"

namespace tg::store {
namespace {

namespace fs = std::filesystem;

class CheckoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "tg-checkout-XXXXXX").string();
    dir_ = fs::canonical(mkdtemp(t.data())).string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories(fs::path(dir_ + "/" + rel).parent_path());
    std::ofstream(dir_ + "/" + rel) << text;
  }
  // main/ with .git/, and a linked worktree of it at `linked` (relative to dir_).
  void LinkedLayout(const std::string& linked, bool relative = false) {
    fs::create_directories(dir_ + "/main/.git/worktrees/w");
    std::string gitdir = relative ? "../main/.git/worktrees/w" : dir_ + "/main/.git/worktrees/w";
    Write(linked + "/.git", "gitdir: " + gitdir + "\n");
    Write("main/.git/worktrees/w/commondir", "../..\n");
  }
  std::string dir_;
};

TEST_F(CheckoutTest, AMainWorktreeIsItsOwnMain) {
  fs::create_directories(dir_ + "/main/.git");
  fs::create_directories(dir_ + "/main/src");
  auto c = FindCheckout(dir_ + "/main/src");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->top, dir_ + "/main");
  EXPECT_FALSE(c->linked);
  EXPECT_EQ(c->main_worktree, dir_ + "/main");
  EXPECT_FALSE(MainWorktreeOf(dir_ + "/main/src"));
}

TEST_F(CheckoutTest, ALinkedWorktreeLeadsToTheMainOne) {
  LinkedLayout("linked");
  fs::create_directories(dir_ + "/linked/a/b");
  auto c = FindCheckout(dir_ + "/linked/a/b");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->linked);
  EXPECT_EQ(c->top, dir_ + "/linked");
  EXPECT_EQ(c->common_dir, dir_ + "/main/.git");
  EXPECT_EQ(MainWorktreeOf(dir_ + "/linked/a/b"), dir_ + "/main");
}

TEST_F(CheckoutTest, ARelativeGitdirIsReadFromTheWorktree) {
  LinkedLayout("linked", /*relative=*/true);
  EXPECT_EQ(MainWorktreeOf(dir_ + "/linked"), dir_ + "/main");
}

TEST_F(CheckoutTest, ASubmoduleOrABareRepositoryHasNoMainToShare) {
  // A submodule's .git file points at a git folder with no commondir.
  fs::create_directories(dir_ + "/super/.git/modules/sub");
  Write("super/sub/.git", "gitdir: ../.git/modules/sub\n");
  auto sub = FindCheckout(dir_ + "/super/sub");
  ASSERT_TRUE(sub);
  EXPECT_FALSE(sub->linked);
  EXPECT_FALSE(MainWorktreeOf(dir_ + "/super/sub"));
  // A worktree of a bare repository: linked, but there is no main worktree.
  fs::create_directories(dir_ + "/bare.git/worktrees/w");
  Write("bare.git/worktrees/w/commondir", "../..\n");
  Write("wt/.git", "gitdir: " + dir_ + "/bare.git/worktrees/w\n");
  auto wt = FindCheckout(dir_ + "/wt");
  ASSERT_TRUE(wt);
  EXPECT_TRUE(wt->linked);
  EXPECT_FALSE(wt->main_worktree);
}

TEST_F(CheckoutTest, ABrokenGitFileIsNoCheckout) {
  Write("x/.git", "not a gitdir line\n");
  EXPECT_FALSE(FindCheckout(dir_ + "/x"));
  Write("y/.git", "gitdir: /nonexistent/place\n");
  EXPECT_FALSE(FindCheckout(dir_ + "/y"));
}

TEST_F(CheckoutTest, AGraphIsATgDbOrAConfigNamingADatabase) {
  fs::create_directories(dir_ + "/empty/.taskgraph");
  EXPECT_FALSE(HoldsGraph(dir_ + "/empty/.taskgraph"));
  Write("plain/.taskgraph/config.json", "{\"lease_minutes\": 5}\n");
  EXPECT_FALSE(HoldsGraph(dir_ + "/plain/.taskgraph"));
  Write("db/.taskgraph/tg.db", "");
  EXPECT_TRUE(HoldsGraph(dir_ + "/db/.taskgraph"));
  Write("server/.taskgraph/config.json", "{\"database_url\": \"postgresql://db/tg\"}\n");
  EXPECT_TRUE(HoldsGraph(dir_ + "/server/.taskgraph"));
  Write("broken/.taskgraph/config.json", "{\"database_url\": ");
  EXPECT_FALSE(HoldsGraph(dir_ + "/broken/.taskgraph"));
}

TEST_F(CheckoutTest, DiscoverySkipsALinkedTreesTrackedTaskgraphForTheMainGraph) {
  LinkedLayout("linked");
  Write("main/.taskgraph/tg.db", "");
  Write("linked/.taskgraph/config.json", "{}\n");  // tracked settings, no database
  fs::create_directories(dir_ + "/linked/src");
  auto root = Discover(dir_ + "/linked/src", std::nullopt);
  ASSERT_TRUE(root) << root.error().message;
  EXPECT_EQ(*root, dir_ + "/main");
  // A graph of the linked tree's own (init --here) wins.
  Write("linked/.taskgraph/tg.db", "");
  EXPECT_EQ(*Discover(dir_ + "/linked/src", std::nullopt), dir_ + "/linked");
}

TEST_F(CheckoutTest, DiscoveryOutsideWorktreesStillStopsAtTheFirstTaskgraph) {
  // No git at all: a .taskgraph/ without a database is still found (opening it says so).
  fs::create_directories(dir_ + "/p/.taskgraph");
  fs::create_directories(dir_ + "/p/q");
  EXPECT_EQ(*Discover(dir_ + "/p/q", std::nullopt), dir_ + "/p");
}

}  // namespace
}  // namespace tg::store
