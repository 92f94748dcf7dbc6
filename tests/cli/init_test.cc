// tg init, discovery and the files tg keeps (contract section 8).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Init, CreatesStoreConfigAndGitignore) {
  TG_SKIP_ON_PG("checks the tg.db file");
  Sandbox sb(false);
  RunResult r = sb.Run({"init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Initialized a task graph"), std::string::npos);
  EXPECT_TRUE(fs::exists(sb.root() + "/.taskgraph/tg.db"));
  EXPECT_TRUE(fs::exists(sb.root() + "/.taskgraph/config.json"));
  std::string ignore = ReadFile(sb.root() + "/.taskgraph/.gitignore");
  EXPECT_NE(ignore.find("tg.db-wal"), std::string::npos);
}

TEST(Init, IsIdempotentAndNeverOverwritesConfig) {
  Sandbox sb;
  std::string cfg = sb.root() + "/.taskgraph/config.json";
  { std::ofstream(cfg) << "{\"lease_minutes\": 7}\n"; }
  sb.NewPlan("Keep me");
  RunResult r = sb.Run({"init"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("already initialized"), std::string::npos);
  EXPECT_EQ(ReadFile(cfg), "{\"lease_minutes\": 7}\n");
  EXPECT_EQ(sb.Json({"plan", "list"}).size(), 1u);
}

TEST(Init, JsonReportsCreation) {
  Sandbox sb(false);
  json j = sb.Json({"init"});
  EXPECT_EQ(j["created"], true);
  EXPECT_EQ(j["root"], fs::canonical(sb.root()).string());
  EXPECT_EQ(sb.Json({"init"})["created"], false);
}

TEST(Init, CommandBeforeInitIsNotInitialized) {
  Sandbox sb(false);
  RunResult r = sb.Run({"next", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  auto j = json::parse(r.out);
  EXPECT_EQ(j["error"]["code"], "NOT_INITIALIZED");
  EXPECT_NE(r.err.find("tg init"), std::string::npos);
  EXPECT_FALSE(fs::exists(sb.root() + "/.taskgraph"));
}

TEST(Init, DiscoveryWalksUpFromASubfolder) {
  Sandbox sb;
  fs::create_directories(sb.root() + "/src/deep");
  sb.NewPlan("Found from below");
  RunOptions o;
  o.argv = {TgBinary(), "plan", "list", "--json"};
  o.env = sb.Environment({{"TG_DIR", ""}});
  o.cwd = sb.root() + "/src/deep";
  RunResult r = RunProcess(o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["title"], "Found from below");
}

TEST(Init, NestedInitCreatesASeparateGraphAndSaysSo) {
  TG_SKIP_ON_PG("one database holds one graph: a nested graph needs a database of its own");
  Sandbox sb;
  sb.NewPlan("Outer");
  fs::create_directories(sb.root() + "/inner");
  RunResult r = sb.Run({"init", "--dir", sb.root() + "/inner"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("separate from the one in"), std::string::npos);
  json inner = sb.Json({"plan", "list", "--dir", sb.root() + "/inner"});
  EXPECT_TRUE(inner.empty());
}

TEST(Init, NothingIsWrittenToHome) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"start", t});
  sb.Ok({"done", t, "--evidence", "ok"});
  sb.Ok({"status"});
  EXPECT_TRUE(fs::is_empty(sb.home()));
  EXPECT_TRUE(fs::is_empty(sb.root() + "/tmp"));
}

TEST(Init, DirFlagWithoutGraphIsNotInitialized) {
  Sandbox sb;
  RunResult r = sb.Run({"status", "--dir", sb.root() + "/home", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "NOT_INITIALIZED");
}

}  // namespace
}  // namespace tg::test
