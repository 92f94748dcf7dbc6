// History (contract section 4): one commit per changing command, none for no-ops, --no-commit
// keeps a pending record that the next commit absorbs, --commit-msg, log --task.
#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Log, OneCommitPerChangingCommandNewestFirst) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"start", t}, {{"TG_AGENT", "alice"}});
  json log = sb.Json({"log"});
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["message"], "task: start " + t);
  EXPECT_EQ(log[0]["author"], "alice");
  EXPECT_EQ(log[0]["parent"], log[1]["commit_id"]);
  EXPECT_TRUE(log[2]["parent"].is_null());
  EXPECT_GT(log[0]["changes"].get<int>(), 0);
  for (const char* k : {"commit_id", "parent", "time", "author", "message", "changes"}) {
    EXPECT_TRUE(log[0].contains(k)) << k;
  }
  EXPECT_EQ(sb.Json({"log", "--limit", "1"}).size(), 1u);
}

TEST(Log, FailedAndNoOpCommandsWriteNoCommit) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  size_t before = sb.Json({"log"}).size();
  sb.Run({"start", "tg-ffffff"});
  sb.Ok({"edge", "remove", t, "blocks", t});
  sb.Ok({"plan", "set-priority", "P", "unset"});
  EXPECT_EQ(sb.Json({"log"}).size(), before);
}

TEST(Log, NoCommitKeepsAPendingRecordThatTheNextCommitAbsorbs) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"note", t, "--msg", "one", "--no-commit"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"note", t, "--msg", "two", "--no-commit"}, {{"TG_AGENT", "bob"}});
  json log = sb.Json({"log"});
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["pending"], true);
  EXPECT_EQ(log[0]["commit_id"], "pending");
  EXPECT_EQ(log[0]["changes"], 2);
  EXPECT_EQ(sb.Json({"show", t})["notes"].size(), 2u);  // applied, just not committed
  sb.Ok({"note", t, "--msg", "three", "--commit-msg", "notes from the review"},
        {{"TG_AGENT", "carol"}});
  log = sb.Json({"log"});
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0]["pending"], false);
  EXPECT_EQ(log[0]["message"], "notes from the review");
  EXPECT_EQ(log[0]["author"], "carol");
  EXPECT_EQ(log[0]["changes"], 3);
  EXPECT_EQ(log[0]["co_authors"], json::array({"alice", "bob"}));
}

TEST(Log, TaskFilterListsOnlyItsCommits) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"note", a, "--msg", "x"});
  sb.Ok({"edge", "add", a, "blocks", b});
  json la = sb.Json({"log", "--task", a});
  json lb = sb.Json({"log", "--task", b});
  EXPECT_EQ(la.size(), 3u);  // create, note, edge
  EXPECT_EQ(lb.size(), 2u);  // create, edge
  EXPECT_EQ(sb.Run({"log", "--task", "tg-ffffff"}).exit_code, 3);
}

TEST(Log, HumanOutputShowsMessages) {
  Sandbox sb;
  sb.NewPlan("Visible plan");
  RunResult r = sb.Run({"log"});
  EXPECT_NE(r.out.find("plan: create"), std::string::npos);
  EXPECT_NE(r.out.find("Visible plan"), std::string::npos);
}

}  // namespace
}  // namespace tg::test
