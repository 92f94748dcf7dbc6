// tg migrate (contract section 11): a graph moves between the stores with its whole history —
// SQLite into an empty PostgreSQL database, and back into .taskgraph/tg.db — and reads the same
// afterwards: the same log, the same tasks, doctor's replay clean. They run in the `pg` suite
// only (TG_TEST_PG).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "support/process.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

#define TG_PG_ONLY() \
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)"

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A graph whose history touches every kind of row: plans, tasks, edges, events, gates, docs,
// a claim (and its lease), a finished and a canceled task.
struct Built {
  std::string plan, a, b, c, d;
};
Built BuildHistory(const Sandbox& sb) {
  Built g;
  g.plan = sb.NewPlan("Moving");
  g.a = sb.NewTask(g.plan, "A");
  g.b = sb.NewTask(g.plan, "B");
  g.c = sb.NewTask(g.plan, "C");
  g.d = sb.NewTask(g.plan, "D");
  sb.Ok({"block", g.b, "--on", g.a});
  sb.Ok({"task", "update", g.b, "--area", "docs"});
  sb.Ok({"gate", "create", "Review by Dana", "--task", g.c});
  sb.Ok({"start", g.a}, {{"TG_AGENT", "alice"}});
  sb.Ok({"note", g.a, "--msg", "half way"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"done", g.a, "--evidence", "ok"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"cancel", g.d, "--reason", "not needed"});
  sb.Ok({"start", g.b}, {{"TG_AGENT", "bob"}});
  return g;
}

// What a user reads of the graph, store aside.
json Reading(const Sandbox& sb, const Built& g) {
  json j;
  j["log"] = sb.Json({"log", "--limit", "1000"});
  for (const auto& t : {g.a, g.b, g.c, g.d}) j["show"].push_back(sb.Json({"show", t}));
  j["tasks"] = sb.Json({"status", "--tasks"});
  j["gates"] = sb.Json({"gate", "list"});
  return j;
}

// tg migrate --to: a SQLite graph and its whole history move into an empty database; the log
// (ids, parents, authors, change counts) and every task read the same afterwards, doctor's
// replay passes on the copied history, and the old tg.db is kept under another name.
TEST(PgMigrate, MovesASqliteGraphWithItsWholeHistory) {
  TG_PG_ONLY();
  Sandbox target(false);  // an empty database
  Sandbox sb(false);
  sb.SetEnv("TG_DATABASE_URL", "");
  sb.Ok({"init"});
  std::string p = sb.NewPlan("Moving");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"task", "update", b, "--area", "docs"});
  sb.Ok({"start", a}, {{"TG_AGENT", "alice"}});
  sb.Ok({"note", a, "--msg", "half way"}, {{"TG_AGENT", "alice"}});
  sb.Ok({"done", a, "--evidence", "ok"}, {{"TG_AGENT", "alice"}});
  json log = sb.Json({"log", "--limit", "100"});
  json shown = sb.Json({"show", b});
  RunResult r = sb.Run({"migrate", "--to", target.database_url(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["commits"], log.size());
  std::string dir = sb.root() + "/.taskgraph";
  EXPECT_FALSE(std::filesystem::exists(dir + "/tg.db"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/tg.db.before-postgresql"));
  EXPECT_EQ(json::parse(ReadAll(dir + "/config.json"))["database_url"], target.database_url());
  EXPECT_EQ(sb.Json({"log", "--limit", "100"}), log);  // no commit of its own
  json after = sb.Json({"show", b});
  EXPECT_EQ(after["title"], shown["title"]);
  EXPECT_EQ(after["area"], "docs");
  EXPECT_EQ(after["status"], shown["status"]);
  EXPECT_EQ(after["events"], shown["events"]);
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
  sb.Ok({"start", b}, {{"TG_AGENT", "bob"}});
  json grown = sb.Json({"log", "--limit", "1"});
  EXPECT_EQ(grown[0]["parent"], log[0]["commit_id"]);
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
  // Into a database that is no longer empty: refused, and nothing changes there.
  Sandbox other(false);
  other.SetEnv("TG_DATABASE_URL", "");
  other.Ok({"init"});
  other.NewPlan("Other");
  RunResult refused = other.Run({"migrate", "--to", target.database_url()});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
  EXPECT_TRUE(std::filesystem::exists(other.root() + "/.taskgraph/tg.db"));
  EXPECT_EQ(sb.Json({"log", "--limit", "100"}).size(), log.size() + 1);
}

// --to sqlite: a PostgreSQL graph moves into a new .taskgraph/tg.db. Everything reads the
// same; a graph that went SQLite → PostgreSQL → SQLite has its original session changesets
// byte for byte (the copied commits are indistinguishable from recorded ones); new commits
// continue the chain; the database is kept and refuses writers that still point at it.
TEST(PgMigrate, MovesBackToSqliteWithItsWholeHistory) {
  TG_PG_ONLY();
  Sandbox sb(false);
  sb.SetEnv("TG_DATABASE_URL", "");
  sb.Ok({"init"});
  Built g = BuildHistory(sb);
  json before = Reading(sb, g);
  std::string dir = sb.root() + "/.taskgraph";
  sb.Ok({"migrate", "--to", sb.database_url()});
  EXPECT_EQ(Reading(sb, g), before);
  // A second folder joins the PostgreSQL graph, as a teammate's clone would.
  Sandbox mate(false);
  mate.SetEnv("TG_DATABASE_URL", "");
  mate.Ok({"init", "--database-url", sb.database_url()});

  RunResult r = sb.Run({"migrate", "--to", "sqlite", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["commits"], before["log"].size());
  EXPECT_EQ(out["database"], dir + "/tg.db");
  EXPECT_TRUE(fs::exists(dir + "/tg.db"));
  EXPECT_FALSE(json::parse(ReadAll(dir + "/config.json")).contains("database_url"));
  EXPECT_EQ(Reading(sb, g), before);  // no commit of its own, nothing read differently
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true) << sb.Ok({"doctor"});
  RunOptions o;
  o.argv = {"/usr/bin/sqlite3", dir + "/tg.db",
            Cat({"ATTACH '", dir,
                 "/tg.db.before-postgresql' AS old; SELECT count(*), sum(c.changeset = "
                 "o.changeset) FROM commits c JOIN old.commits o USING (seq)"})};
  o.env = {"PATH=/usr/bin:/bin"};
  RunResult same = RunProcess(o);
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.out, std::to_string(before["log"].size()) + "|" +
                          std::to_string(before["log"].size()) + "\n");

  sb.Ok({"done", g.b, "--evidence", "moved"}, {{"TG_AGENT", "bob"}});
  json grown = sb.Json({"log", "--limit", "1"});
  EXPECT_EQ(grown[0]["parent"], before["log"][0]["commit_id"]);
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);

  // The teammate still pointing at the database: reads work, writes are refused naming the new
  // store, and nobody can join the moved graph.
  EXPECT_EQ(mate.Json({"show", g.c})["title"], "C");
  RunResult write = mate.Run({"start", g.c, "--json"});
  EXPECT_EQ(write.exit_code, 7) << write.err;
  EXPECT_EQ(json::parse(write.out)["error"]["code"], "READ_ONLY");
  EXPECT_NE(write.err.find("moved to the SQLite store"), std::string::npos) << write.err;
  EXPECT_NE(write.err.find(dir + "/tg.db"), std::string::npos) << write.err;
  Sandbox late(false);
  late.SetEnv("TG_DATABASE_URL", "");
  RunResult join = late.Run({"init", "--database-url", sb.database_url()});
  EXPECT_EQ(join.exit_code, 7) << join.err;
  // Moving again: the folder holds a SQLite graph now.
  RunResult again = sb.Run({"migrate", "--to", "sqlite"});
  EXPECT_EQ(again.exit_code, 6);
  EXPECT_NE(again.err.find("holds a SQLite graph already"), std::string::npos) << again.err;
}

// A graph whose whole history was written on PostgreSQL (records from row triggers, not from
// SQLite sessions) moves to SQLite and reads the same; SQLite's replay of the encoded
// changesets matches the copied rows (doctor), and undo and diff reach back across the move.
TEST(PgMigrate, HistoryWrittenOnPostgresqlReplaysOnSqlite) {
  TG_PG_ONLY();
  Sandbox sb(false);
  sb.SetEnv("TG_DATABASE_URL", "");
  sb.Ok({"init", "--database-url", sb.database_url()});
  Built g = BuildHistory(sb);
  sb.Ok({"task", "update", g.c, "--priority", "2"}, {{"TG_AGENT", "carol"}});
  json before = Reading(sb, g);
  sb.Ok({"migrate", "--to", "sqlite"});
  EXPECT_EQ(Reading(sb, g), before);
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true) << sb.Ok({"doctor"});
  json diff = sb.Json({"diff"});  // the last commit, written on PostgreSQL
  ASSERT_EQ(diff.size(), 1u) << diff;
  EXPECT_EQ(diff[0]["after"]["priority"], 2) << diff;
  sb.Ok({"undo", "--agent", "carol"});
  EXPECT_TRUE(sb.Json({"show", g.c})["priority"].is_null());
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
}

// What would lose track of the graph is refused, and nothing changes: TG_DATABASE_URL set
// (it would still point tg at the database), a tg.db already there, a pending --no-commit
// change.
TEST(PgMigrate, MovingBackRefusesWhatWouldLoseTrack) {
  TG_PG_ONLY();
  Sandbox sb(false);
  sb.SetEnv("TG_DATABASE_URL", "");
  sb.Ok({"init", "--database-url", sb.database_url()});
  std::string p = sb.NewPlan("Staying");
  std::string t = sb.NewTask(p, "T");
  std::string dir = sb.root() + "/.taskgraph", config = ReadAll(dir + "/config.json");
  auto refused = [&](const std::map<std::string, std::string>& env, const std::string& says) {
    RunResult r = sb.Run({"migrate", "--to", "sqlite"}, env);
    EXPECT_EQ(r.exit_code, 6) << says << ": " << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_EQ(ReadAll(dir + "/config.json"), config);
  };
  refused({{"TG_DATABASE_URL", sb.database_url()}}, "TG_DATABASE_URL is set");
  EXPECT_FALSE(fs::exists(dir + "/tg.db"));
  { std::ofstream(dir + "/tg.db") << "kept from before"; }
  refused({}, "tg.db exists already");
  EXPECT_EQ(ReadAll(dir + "/tg.db"), "kept from before");
  fs::remove(dir + "/tg.db");
  sb.Ok({"note", t, "--msg", "not yet", "--no-commit"});
  refused({}, "pending");
  EXPECT_FALSE(fs::exists(dir + "/tg.db"));
  // The database was never marked: it takes writes as before.
  sb.Ok({"start", t});
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
}

}  // namespace
}  // namespace tg::test
