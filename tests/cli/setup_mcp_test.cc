// tg setup --mcp: the Claude Code and Cursor entries that start `tg mcp`, merged beside other
// servers, never overwritten without --force, never written through a symlink out of the
// project.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

struct Project {
  Sandbox sb;
  std::string dir = sb.root() + "/proj";
  Project() { fs::create_directories(dir); }
  RunResult Setup(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"setup", "--path", dir, "--mcp", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return sb.Run(args);
  }
  json File(const std::string& rel) const { return json::parse(Read(dir + "/" + rel)); }
};

TEST(SetupMcp, WritesTheClaudeCodeAndCursorEntries) {
  Project p;
  RunResult r = p.Setup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_NE(std::find(out["created"].begin(), out["created"].end(), ".mcp.json"),
            out["created"].end());
  json claude = p.File(".mcp.json")["mcpServers"]["tg"];
  EXPECT_EQ(claude["command"], "tg");
  EXPECT_EQ(claude["args"], json::array({"mcp"}));
  json cursor = p.File(".cursor/mcp.json")["mcpServers"]["tg"];
  EXPECT_EQ(cursor["command"], "tg");
  EXPECT_EQ(cursor["args"], json::array({"mcp", "--dir", "${workspaceFolder}"}));
}

TEST(SetupMcp, WithoutTheFlagNoMcpFileIsWritten) {
  Project p;
  p.sb.Ok({"setup", "--path", p.dir});
  EXPECT_FALSE(fs::exists(p.dir + "/.mcp.json"));
  EXPECT_FALSE(fs::exists(p.dir + "/.cursor/mcp.json"));
}

TEST(SetupMcp, AddsTgBesideTheServersAlreadyThere) {
  Project p;
  std::ofstream(p.dir + "/.mcp.json")
      << R"({"mcpServers":{"github":{"command":"gh-mcp"}},"other":1})";
  RunResult r = p.Setup();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["updated"], json::array({".mcp.json"}));
  json f = p.File(".mcp.json");
  EXPECT_EQ(f["mcpServers"]["github"]["command"], "gh-mcp");
  EXPECT_EQ(f["mcpServers"]["tg"]["command"], "tg");
  EXPECT_EQ(f["other"], 1);
}

TEST(SetupMcp, AnExistingTgEntryIsKeptUnlessForced) {
  Project p;
  std::ofstream(p.dir + "/.mcp.json")
      << R"({"mcpServers":{"tg":{"command":"/opt/tg","args":["mcp","--agent","me"]}}})";
  json out = json::parse(p.Setup().out);
  EXPECT_NE(std::find(out["skipped"].begin(), out["skipped"].end(), ".mcp.json"),
            out["skipped"].end());
  EXPECT_EQ(p.File(".mcp.json")["mcpServers"]["tg"]["command"], "/opt/tg");
  ASSERT_EQ(p.Setup({"--force"}).exit_code, 0);
  EXPECT_EQ(p.File(".mcp.json")["mcpServers"]["tg"]["command"], "tg");
}

TEST(SetupMcp, AFileThatIsNotAServerListIsLeftAloneWithAClearError) {
  Project p;
  std::ofstream(p.dir + "/.mcp.json") << "{ not json";
  RunResult r = p.Setup();
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find(".mcp.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(Read(p.dir + "/.mcp.json"), "{ not json");
  ASSERT_EQ(p.Setup({"--force"}).exit_code, 0);
  EXPECT_EQ(p.File(".mcp.json")["mcpServers"]["tg"]["command"], "tg");
}

TEST(SetupMcp, NeverWritesThroughASymlinkOutOfTheProject) {
  Project p;
  std::string outside = p.sb.root() + "/outside";
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, p.dir + "/.cursor");
  RunResult r = p.Setup();
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("outside the project"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(outside));
  EXPECT_FALSE(fs::exists(p.dir + "/AGENTS.md")) << "a refusal writes nothing";

  fs::remove(p.dir + "/.cursor");
  std::ofstream(outside + "/servers.json") << R"({"mcpServers":{}})";
  fs::create_symlink(outside + "/servers.json", p.dir + "/.mcp.json");
  EXPECT_EQ(p.Setup().exit_code, 6);
  EXPECT_EQ(Read(outside + "/servers.json"), R"({"mcpServers":{}})");
}

TEST(SetupMcp, ASymlinkInsideTheProjectIsFollowed) {
  Project p;
  fs::create_directories(p.dir + "/config/cursor");
  fs::create_directory_symlink(p.dir + "/config/cursor", p.dir + "/.cursor");
  ASSERT_EQ(p.Setup().exit_code, 0);
  EXPECT_TRUE(fs::exists(p.dir + "/config/cursor/mcp.json"));
}

}  // namespace
}  // namespace tg::test
