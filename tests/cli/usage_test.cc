// Usage errors: unknown commands and flags get "did you mean" and exit 2; --version, --help.
#include <gtest/gtest.h>

#include <regex>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Usage, UnknownCommandSuggestsTheClosest) {
  Sandbox sb;
  RunResult r = sb.Run({"strat", "tg-123456"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'strat'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'start'?"), std::string::npos) << r.err;
}

TEST(Usage, UnknownSubcommandSuggestsTheClosest) {
  Sandbox sb;
  RunResult r = sb.Run({"plan", "lsit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean 'list'?"), std::string::npos) << r.err;
}

TEST(Usage, UnknownFlagSuggestsTheClosest) {
  Sandbox sb;
  RunResult r = sb.Run({"start", "tg-123456", "--forse"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown flag '--forse'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean '--force'?"), std::string::npos) << r.err;
}

TEST(Usage, UnknownFlagInJsonModePrintsAJsonError) {
  Sandbox sb;
  RunResult r = sb.Run({"next", "--limt", "3", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "USAGE");
}

TEST(Usage, MissingRequiredArgumentIsUsage) {
  Sandbox sb;
  RunResult r = sb.Run({"block", "tg-123456"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--on"), std::string::npos) << r.err;
}

TEST(Usage, VersionAndHelp) {
  Sandbox sb;
  RunResult v = sb.Run({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  // The commit is whatever this checkout is at; outside git it says so.
  static const std::regex kVersion(
      R"(tg [0-9]+\.[0-9]+\.[0-9]+ \((commit [0-9a-f]{12}(-dirty)?|unknown commit)\)\n)");
  EXPECT_TRUE(std::regex_match(v.out, kVersion)) << v.out;
  RunResult h = sb.Run({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* cmd : {"init", "next", "start", "done", "note", "status", "log", "gate"}) {
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
  }
  RunResult sh = sb.Run({"done", "--help"});
  EXPECT_EQ(sh.exit_code, 0);
  EXPECT_NE(sh.out.find("--evidence"), std::string::npos);
}

TEST(Usage, GlobalOptionsWorkBeforeAndAfterTheCommand) {
  Sandbox sb;
  sb.NewPlan("P");
  RunResult before = sb.Run({"--json", "plan", "list"});
  RunResult after = sb.Run({"plan", "list", "--json"});
  EXPECT_EQ(before.exit_code, 0);
  EXPECT_EQ(json::parse(before.out), json::parse(after.out));
}

TEST(Usage, JsonAndHumanContradict) {
  Sandbox sb;
  RunResult r = sb.Run({"status", "--json", "--human"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace tg::test
