// The versioned graph (contract section 12): diff between commits, revert and undo as new
// commits with their conflicts, and --as-of on show, status, next and export.
#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace tg::test {
namespace {

std::string Head(const Sandbox& sb, size_t back = 0) {
  json log = sb.Json({"log", "--limit", "100"});
  return log.at(back)["commit_id"];
}

size_t Commits(const Sandbox& sb) { return sb.Json({"log", "--limit", "1000"}).size(); }

void ExpectDoctorClean(const Sandbox& sb) {
  RunResult r = sb.Run({"doctor"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(Diff, LastCommitAsRowChangesWithTheFieldNamesOfTheJsonShapes) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"task", "update", t, "--title", "Renamed"});
  json d = sb.Json({"diff"});
  ASSERT_EQ(d.size(), 1u) << d.dump();
  EXPECT_EQ(d[0]["table"], "tasks");
  EXPECT_EQ(d[0]["op"], "update");
  EXPECT_EQ(d[0]["task"], t);
  EXPECT_TRUE(d[0]["key"].contains("task_id"));
  EXPECT_EQ(d[0]["before"]["title"], "T");
  EXPECT_EQ(d[0]["after"]["title"], "Renamed");
  EXPECT_TRUE(d[0]["after"].contains("updated_at"));
  // A task's doc slugs are its "domains" in every shape: a row of them is a "domain".
  std::string u = sb.NewTask(p, "U");
  sb.Ok({"task", "update", u, "--domain", "api"});
  d = sb.Json({"diff"});
  bool found = false;
  for (const auto& c : d) {
    if (c["table"] == "task_docs") {
      EXPECT_EQ(c["op"], "insert");
      EXPECT_TRUE(c["before"].is_null());
      EXPECT_EQ(c["after"]["domain"], "api");
      found = true;
    }
  }
  EXPECT_TRUE(found) << d.dump();
}

TEST(Diff, RangesReadLikeGitsAndCommitIdsResolveByPrefix) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"task", "update", t, "--title", "A"});
  std::string a = Head(sb);
  sb.Ok({"task", "update", t, "--title", "B"});
  sb.Ok({"task", "update", t, "--title", "C"});
  std::string c = Head(sb);
  // diff A C: from the state after A to the state after C (A's own change excluded).
  json d = sb.Json({"diff", a.substr(0, 6), c.substr(0, 5)});
  ASSERT_EQ(d.size(), 1u) << d.dump();
  EXPECT_EQ(d[0]["before"]["title"], "A");
  EXPECT_EQ(d[0]["after"]["title"], "C");
  EXPECT_EQ(sb.Json({"diff", a + ".." + c}), d);
  EXPECT_EQ(sb.Json({"diff", a}), d);  // from A to now
  EXPECT_EQ(sb.Json({"diff", "HEAD~2", "HEAD"}), d);
  json human = sb.Run({"diff", a, c}).out;
  EXPECT_NE(sb.Run({"diff", a, c}).out.find("title: A → C"), std::string::npos);
  // A range the wrong way round, a prefix too short, and one that matches nothing.
  RunResult r = sb.Run({"diff", c, a});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  r = sb.Run({"diff", a.substr(0, 3)});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("at least 4 hex digits"), std::string::npos) << r.err;
  r = sb.Run({"diff", "ffffffffffff", "--json"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED");
}

TEST(Diff, TaskFilterKeepsOnlyChangesAboutThatTask) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A");
  std::string first = Head(sb);
  std::string b = sb.NewTask(p, "B");
  sb.Ok({"note", a, "--msg", "hello"});
  sb.Ok({"task", "update", b, "--title", "B2"});
  json d = sb.Json({"diff", first, "--task", a});
  ASSERT_FALSE(d.empty());
  for (const auto& c : d) EXPECT_EQ(c["task"], a) << c.dump();
  EXPECT_EQ(sb.Run({"diff", "--task", "tg-ffffff", first}).exit_code, 3);
}

TEST(Revert, TakesBackACommitAsANewCommitAndRecomputesDerivedState) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"edge", "add", a, "blocks", b});
  EXPECT_EQ(sb.Json({"show", b})["status"], "blocked");
  std::string edge = Head(sb);
  size_t before = Commits(sb);
  json r = sb.Json({"revert", edge});
  EXPECT_FALSE(r["commit_id"].is_null()) << r.dump();
  EXPECT_EQ(r["reverted"][0]["commit_id"], edge);
  EXPECT_EQ(Commits(sb), before + 1);
  EXPECT_EQ(sb.Json({"show", b})["status"], "todo");
  EXPECT_TRUE(sb.Json({"show", b})["blocked_by"].empty());
  ExpectDoctorClean(sb);
  // A revert is a commit like any other: reverting it brings the edge back.
  sb.Ok({"revert", "HEAD"});
  EXPECT_EQ(sb.Json({"show", b})["status"], "blocked");
  ExpectDoctorClean(sb);
}

TEST(Revert, ATaskMovedOutOfDoingLosesItsLeaseAndOneMovedBackGetsAFreshOne) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t, "--agent", "alice"});
  std::string start = Head(sb);
  EXPECT_FALSE(sb.Json({"show", t})["lease_expires_at"].is_null());
  sb.Ok({"revert", start});
  json s = sb.Json({"show", t});
  EXPECT_EQ(s["status"], "todo");
  EXPECT_TRUE(s["claimed_by"].is_null());
  EXPECT_TRUE(s["lease_expires_at"].is_null());
  ExpectDoctorClean(sb);
  sb.Ok({"revert", "HEAD"});  // the claim again
  s = sb.Json({"show", t});
  EXPECT_EQ(s["status"], "doing");
  EXPECT_EQ(s["claimed_by"], "alice");
  EXPECT_FALSE(s["lease_expires_at"].is_null());
  ExpectDoctorClean(sb);
}

TEST(Revert, ACellChangedSinceIsAConflictThatWritesNothingUnlessForced) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"task", "update", t, "--title", "Mine", "--priority", "2"});
  std::string mine = Head(sb);
  sb.Ok({"task", "update", t, "--title", "Theirs"});
  size_t before = Commits(sb);
  RunResult r = sb.Run({"revert", mine, "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  json e = json::parse(r.out)["error"];
  EXPECT_EQ(e["code"], "MERGE_CONFLICT");
  ASSERT_EQ(e["details"].size(), 1u) << e.dump();
  EXPECT_EQ(e["details"][0]["task"], t);
  EXPECT_EQ(e["details"][0]["field"], "title");
  EXPECT_EQ(e["details"][0]["wrote"], "Mine");
  EXPECT_EQ(e["details"][0]["now"], "Theirs");
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(Commits(sb), before);  // nothing written
  EXPECT_TRUE(sb.Json({"show", t})["priority"] == 2);
  // --force reverts the rest (the priority) and keeps the current title.
  json f = sb.Json({"revert", mine, "--force"});
  EXPECT_EQ(f["kept"].size(), 1u);
  json s = sb.Json({"show", t});
  EXPECT_EQ(s["title"], "Theirs");
  EXPECT_TRUE(s["priority"].is_null());
  ExpectDoctorClean(sb);
}

TEST(Revert, BookkeepingColumnsNeverConflictAndALaterChangeRevertedIsNone) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"task", "update", t, "--title", "Mine"});
  std::string mine = Head(sb);
  // updated_at moves with every write of the row: no conflict.
  sb.Ok({"task", "update", t, "--priority", "3"});
  // A later change of the same cell that was itself reverted: no conflict either.
  sb.Ok({"task", "update", t, "--title", "Other"});
  sb.Ok({"revert", "HEAD"});
  RunResult r = sb.Run({"revert", mine});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(sb.Json({"show", t})["title"], "T");
  EXPECT_EQ(sb.Json({"show", t})["priority"], 3);
  ExpectDoctorClean(sb);
}

TEST(Revert, ATaskCreationWithLaterNotesOnItIsAConflict) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  std::string create = Head(sb);
  sb.Ok({"note", t, "--msg", "later work"});
  RunResult r = sb.Run({"revert", create, "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.err.find("refer to it"), std::string::npos) << r.err;
  EXPECT_EQ(sb.Json({"show", t})["title"], "T");
  // Without the note the creation reverts: the task is gone.
  std::string u = sb.NewTask(p, "U");
  sb.Ok({"revert", "HEAD"});
  EXPECT_EQ(sb.Run({"show", u}).exit_code, 3);
  ExpectDoctorClean(sb);
}

TEST(Revert, AnEdgeThatWouldCloseACycleIsAConflict) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"edge", "add", a, "blocks", b});
  sb.Ok({"edge", "remove", a, "blocks", b});
  std::string removal = Head(sb);
  sb.Ok({"edge", "add", b, "blocks", a});
  RunResult r = sb.Run({"revert", removal, "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.err.find("cycle"), std::string::npos) << r.err;
  // --force keeps the graph acyclic: the edge stays out.
  sb.Ok({"revert", removal, "--force"});
  EXPECT_EQ(sb.Json({"show", b})["status"], "todo");
  EXPECT_EQ(sb.Json({"show", a})["status"], "blocked");
  ExpectDoctorClean(sb);
}

TEST(Revert, RefusesAPendingChangeAndNoCommit) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  std::string create = Head(sb);
  EXPECT_EQ(sb.Run({"revert", create, "--no-commit"}).exit_code, 2);
  sb.Ok({"note", t, "--msg", "x", "--no-commit"});
  RunResult r = sb.Run({"revert", create});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("pending"), std::string::npos) << r.err;
  EXPECT_EQ(sb.Run({"revert"}).exit_code, 2);  // the commit is required
}

TEST(Undo, TakesBackTheAgentsOwnLastCommitsAndLeavesOthersWorkAlone) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"task", "update", a, "--title", "A1"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"task", "update", a, "--priority", "1"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"task", "update", b, "--title", "B1"}, {{"TG_AGENT", "bob"}});
  // A dry run says what it would undo and writes nothing.
  size_t before = Commits(sb);
  json dry = sb.Json({"undo", "--agent", "alice", "--last", "2", "--dry-run"});
  EXPECT_TRUE(dry["dry_run"]);
  EXPECT_EQ(dry["reverted"].size(), 2u);
  EXPECT_TRUE(dry["commit_id"].is_null());
  EXPECT_EQ(Commits(sb), before);
  EXPECT_EQ(sb.Json({"show", a})["priority"], 1);
  // Newest first: the priority goes, then (next undo) the title; bob's change stays.
  json u = sb.Json({"undo"}, {{"TG_AGENT", "alice"}});
  EXPECT_EQ(u["reverted"].size(), 1u);
  EXPECT_TRUE(sb.Json({"show", a})["priority"].is_null());
  EXPECT_EQ(sb.Json({"show", a})["title"], "A1");
  sb.Ok({"undo", "--agent", "alice"});  // skips the undo and the undone commit
  EXPECT_EQ(sb.Json({"show", a})["title"], "A");
  EXPECT_EQ(sb.Json({"show", b})["title"], "B1");
  ExpectDoctorClean(sb);
  // revert of an undo redoes it.
  sb.Ok({"revert", "HEAD"});
  EXPECT_EQ(sb.Json({"show", a})["title"], "A1");
  ExpectDoctorClean(sb);
}

TEST(Undo, LastNInOneCommitAndRevertOfItRedoesThemAll) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  for (const char* title : {"1", "2", "3"}) {
    sb.Ok({"task", "update", t, "--title", title}, {{"TG_AGENT", "carol"}});
  }
  size_t before = Commits(sb);
  json u = sb.Json({"undo", "--last", "3"}, {{"TG_AGENT", "carol"}});
  EXPECT_EQ(u["reverted"].size(), 3u);
  EXPECT_EQ(Commits(sb), before + 1);
  EXPECT_EQ(sb.Json({"show", t})["title"], "T");
  json log = sb.Json({"log", "--limit", "1"});
  EXPECT_EQ(log[0]["author"], "carol");
  EXPECT_EQ(log[0]["undo"], true);
  EXPECT_EQ(log[0]["reverts"].size(), 3u);
  sb.Ok({"revert", u["commit_id"]});
  EXPECT_EQ(sb.Json({"show", t})["title"], "3");
  ExpectDoctorClean(sb);
}

TEST(Undo, ConflictsLikeRevertAndClearErrors) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"task", "update", t, "--title", "Mine"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"task", "update", t, "--title", "Theirs"}, {{"TG_AGENT", "bob"}});
  RunResult r = sb.Run({"undo", "--json"}, {{"TG_AGENT", "alice"}});
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "MERGE_CONFLICT");
  EXPECT_EQ(sb.Json({"show", t})["title"], "Theirs");
  r = sb.Run({"undo"}, {{"TG_AGENT", "nobody"}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("no commit left to undo"), std::string::npos) << r.err;
  EXPECT_EQ(sb.Run({"undo", "--last", "0"}).exit_code, 6);
  EXPECT_EQ(sb.Run({"undo", "--last", "x"}).exit_code, 6);
}

TEST(AsOf, ShowStatusNextAndExportSeeTheGraphAsItWasWithoutWriting) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "Old title");
  std::string created = Head(sb);
  sb.Ok({"task", "update", t, "--title", "New title"});
  sb.Ok({"start", t, "--agent", "alice"});
  size_t before = Commits(sb);
  json s = sb.Json({"show", t, "--as-of", created});
  EXPECT_EQ(s["title"], "Old title");
  EXPECT_EQ(s["status"], "todo");
  json next = sb.Json({"next", "--as-of", created});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0]["hash_id"], t);
  EXPECT_TRUE(sb.Json({"next"}).empty());
  json tasks = sb.Json({"status", "--tasks", "--as-of", "HEAD~1"});
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]["title"], "New title");
  EXPECT_EQ(tasks[0]["status"], "todo");
  json exported = sb.Json({"export", "json", "--as-of", created});
  EXPECT_EQ(exported["tasks"][0]["title"], "Old title") << exported.dump();
  // A time before the first commit: an empty graph.
  EXPECT_EQ(sb.Run({"show", t, "--as-of", "2000-01-01"}).exit_code, 3);
  EXPECT_EQ(Commits(sb), before);  // reading the past writes nothing
  EXPECT_EQ(sb.Run({"next", "--claim", "--as-of", created}).exit_code, 2);
  EXPECT_EQ(sb.Run({"show", t, "--as-of", "yesterday"}).exit_code, 6);
}

TEST(AsOf, ATimeMeansTheLastCommitAtOrBeforeIt) {
  Sandbox sb;
  std::string p;
  std::string t;
  p = sb.NewPlan("P");
  t = sb.NewTask(p, "T0");
  sb.Ok({"task", "update", t, "--title", "T1"}, {{"TG_NOW", "2030-01-01T10:00:00Z"}});
  sb.Ok({"task", "update", t, "--title", "T2"}, {{"TG_NOW", "2030-01-01T12:00:00Z"}});
  EXPECT_EQ(sb.Json({"show", t, "--as-of", "2030-01-01T11:00:00Z"})["title"], "T1");
  EXPECT_EQ(sb.Json({"show", t, "--as-of", "2030-01-01T12:00:00Z"})["title"], "T2");
}

}  // namespace
}  // namespace tg::test
