// tg doctor and the failure modes of the store (contract section 7, exit 7).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <filesystem>

#include <fstream>
#include <set>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

TEST(Doctor, CleanGraphIsOk) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"start", a});
  sb.Ok({"note", a, "--msg", "x", "--no-commit"});
  sb.Ok({"done", a, "--evidence", "ok"});
  json j = sb.Json({"doctor"});
  EXPECT_EQ(j["ok"], true) << j.dump();
  EXPECT_TRUE(j["findings"].empty());
}

TEST(Doctor, FindsChangesMadeBehindTheStoresBack) {
  TG_SKIP_ON_PG("changes SQLite rows with the sqlite3 shell (PgDoctor covers it)");
  if (!fs::exists("/usr/bin/sqlite3")) GTEST_SKIP() << "sqlite3 shell not installed";
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Sql("UPDATE tasks SET status = 'todo' WHERE hash_id = '" + b + "'");
  RunResult r = sb.Run({"doctor", "--json"});
  EXPECT_EQ(r.exit_code, 7);
  json j = json::parse(r.out);
  std::set<std::string> checks;
  for (const auto& f : j["findings"]) checks.insert(f["check"]);
  EXPECT_TRUE(checks.contains("blocked_status")) << r.out;
  EXPECT_TRUE(checks.contains("history")) << r.out;
  bool names_row = r.out.find(b) != std::string::npos;
  EXPECT_TRUE(names_row) << r.out;
}

TEST(Doctor, FindsACycleInsertedByHand) {
  TG_SKIP_ON_PG("inserts rows with the sqlite3 shell");
  if (!fs::exists("/usr/bin/sqlite3")) GTEST_SKIP() << "sqlite3 shell not installed";
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  json a = sb.Json({"task", "new", "A", "--plan", p});
  json b = sb.Json({"task", "new", "B", "--plan", p});
  sb.Ok({"edge", "add", a["hash_id"], "blocks", b["hash_id"]});
  sb.Sql("INSERT INTO edges VALUES ('" + std::string(b["task_id"]) + "', '" +
         std::string(a["task_id"]) + "', 'blocks', NULL, '2026-01-01T00:00:00.000Z')");
  RunResult r = sb.Run({"doctor"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_NE(r.out.find("blocking cycle"), std::string::npos) << r.out;
}

TEST(Failure, GarbageStoreIsStoreCorruptAndLeftAlone) {
  TG_SKIP_ON_PG("writes garbage into tg.db");
  Sandbox sb;
  std::string db = sb.root() + "/.taskgraph/tg.db";
  fs::remove(db + "-wal");
  fs::remove(db + "-shm");
  std::string garbage(16384, 'z');
  std::ofstream(db, std::ios::trunc) << garbage;
  for (auto args : std::vector<std::vector<std::string>>{{"status", "--json"},
                                                         {"plan", "new", "X", "--json"}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "STORE_CORRUPT");
  }
  std::ifstream in(db);
  std::string after((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(after, garbage);  // no further damage
}

TEST(Failure, NewerSchemaIsRefused) {
  TG_SKIP_ON_PG("sets SQLite's user_version (PgFailure covers it)");
  if (!fs::exists("/usr/bin/sqlite3")) GTEST_SKIP() << "sqlite3 shell not installed";
  Sandbox sb;
  sb.Sql("PRAGMA user_version = 999");
  RunResult r = sb.Run({"next", "--json"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "SCHEMA_TOO_NEW");
  EXPECT_NE(r.err.find("upgrade tg"), std::string::npos);
}

TEST(Failure, StoreBusyNamesTheHolderAfterTheTimeout) {
  TG_SKIP_ON_PG("holds SQLite's lock file (PgFailure covers it)");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  size_t commits = sb.Json({"log"}).size();
  // This test process takes the writers' lock itself, as a tg writer would.
  std::string lock = sb.root() + "/.taskgraph/tg.lock";
  int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  std::string holder = "mallory running `tg import` (pid 1)";
  ASSERT_EQ(pwrite(fd, holder.data(), holder.size(), 0), static_cast<ssize_t>(holder.size()));
  RunResult r = sb.Run({"note", t, "--msg", "x", "--json"}, {{"TG_LOCK_TIMEOUT", "200ms"}});
  RunResult read = sb.Run({"show", t, "--json"});  // readers never wait
  flock(fd, LOCK_UN);
  close(fd);
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "STORE_BUSY");
  EXPECT_NE(r.err.find("held by " + holder), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("TG_LOCK_TIMEOUT"), std::string::npos);
  EXPECT_EQ(read.exit_code, 0);
  EXPECT_EQ(sb.Json({"log"}).size(), commits);
  sb.Ok({"note", t, "--msg", "after"});  // and the store works once the holder is gone
}

TEST(Failure, BadLockTimeoutIsValidationFailed) {
  Sandbox sb;
  RunResult r = sb.Run({"status", "--json"}, {{"TG_LOCK_TIMEOUT", "forever"}});
  EXPECT_EQ(r.exit_code, 6);
}

TEST(Failure, BadNowIsValidationFailedInJson) {
  Sandbox sb;
  RunResult r = sb.Run({"status", "--json"}, {{"TG_NOW", "yesterday"}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED");
}

}  // namespace
}  // namespace tg::test
