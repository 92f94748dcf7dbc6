// tg setup --harness: the files each harness reads, the Claude Code hook that names each
// session, links that all resolve, and nothing overwritten (contract section 10).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

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
  json Setup(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"setup", "--path", dir};
    args.insert(args.end(), extra.begin(), extra.end());
    return sb.Json(args);
  }
};

TEST(SetupHarness, GenericWritesAgentsMdAndSaysHowToNameAgents) {
  Project p;
  json r = p.Setup();
  EXPECT_EQ(r["harnesses"], json::array({"generic"}));
  std::string agents = Read(p.dir + "/AGENTS.md");
  EXPECT_NE(agents.find("tg next --claim"), std::string::npos);
  EXPECT_NE(agents.find("TG_AGENT="), std::string::npos);
  EXPECT_FALSE(fs::exists(p.dir + "/CLAUDE.md"));
  EXPECT_FALSE(fs::exists(p.dir + "/.cursor"));
  EXPECT_NE(r["identity"][0].get<std::string>().find("TG_AGENT"), std::string::npos);
}

TEST(SetupHarness, EveryLinkInTheWrittenFilesResolves) {
  Project p;
  p.Setup({"--harness", "claude", "--harness", "cursor", "--harness", "codex"});
  std::regex link(R"(\]\(([^)#]+)\))");
  int links = 0;
  for (const auto& e : fs::recursive_directory_iterator(p.dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".md") continue;
    std::string text = Read(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.starts_with("http")) continue;
      ++links;
      EXPECT_TRUE(fs::exists(e.path().parent_path() / target))
          << e.path() << " links to " << target << ", which tg setup did not create";
    }
  }
  EXPECT_GT(links, 0);
}

TEST(SetupHarness, ClaudeGetsAnImportAndTheSessionHook) {
  Project p;
  std::ofstream(p.dir + "/CLAUDE.md") << "# Mine\n\nKeep this.\n";
  fs::create_directories(p.dir + "/.claude");
  std::ofstream(p.dir + "/.claude/settings.json")
      << R"({"model":"x","hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"echo hi"}]}]}})";
  json r = p.Setup();  // detected from CLAUDE.md and .claude/
  EXPECT_EQ(r["harnesses"], json::array({"claude"}));
  std::string md = Read(p.dir + "/CLAUDE.md");
  EXPECT_TRUE(md.starts_with("# Mine\n\nKeep this.\n")) << md;
  EXPECT_NE(md.find("\n@AGENTS.md\n"), std::string::npos) << md;
  json settings = json::parse(Read(p.dir + "/.claude/settings.json"));
  EXPECT_EQ(settings["model"], "x");
  ASSERT_EQ(settings["hooks"]["SessionStart"].size(), 2u);
  EXPECT_EQ(settings["hooks"]["SessionStart"][1]["hooks"][0]["command"],
            "tg hook claude-session-start");
  // Again: nothing is added twice.
  json again = p.Setup({"--harness", "claude"});
  EXPECT_EQ(Read(p.dir + "/CLAUDE.md"), md);
  EXPECT_EQ(json::parse(Read(p.dir + "/.claude/settings.json")), settings);
  EXPECT_NE(again["skipped"].dump().find("CLAUDE.md"), std::string::npos) << again;
}

TEST(SetupHarness, ABrokenClaudeSettingsFileIsLeftAloneWithAClearError) {
  Project p;
  fs::create_directories(p.dir + "/.claude");
  std::ofstream(p.dir + "/.claude/settings.json") << "{not json";
  RunResult r = p.sb.Run({"setup", "--path", p.dir, "--harness", "claude"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("settings.json is not a JSON object"), std::string::npos) << r.err;
  EXPECT_EQ(Read(p.dir + "/.claude/settings.json"), "{not json");
}

TEST(SetupHarness, TheClaudeHookNamesEachSessionAndTgClaimsAsIt) {
  Project p;
  std::string env_file = p.sb.root() + "/claude.env";
  RunOptions o;
  o.argv = {TgBinary(), "hook", "claude-session-start"};
  o.env = p.sb.Environment({{"TG_AGENT", ""}, {"CLAUDE_ENV_FILE", env_file}});
  o.input = R"({"session_id":"7F3A19C2-0000-4000-8000-000000000001","source":"startup"})";
  RunResult r = RunProcess(o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("you are agent claude-7f3a19c2"), std::string::npos) << r.out;
  EXPECT_EQ(Read(env_file), "export TG_AGENT=claude-7f3a19c2\n");
  // Claude Code sources the file before each Bash command: a claim then carries the name.
  std::string t = p.sb.NewTask(p.sb.NewPlan("Hooked"), "One");
  RunOptions sh;
  sh.argv = {"/bin/sh", "-c", ". \"$CLAUDE_ENV_FILE\" && \"$TG\" start " + t + " --json"};
  sh.env = p.sb.Environment({{"TG_AGENT", ""}, {"CLAUDE_ENV_FILE", env_file}, {"TG", TgBinary()}});
  RunResult claimed = RunProcess(sh);
  ASSERT_EQ(claimed.exit_code, 0) << claimed.err;
  EXPECT_EQ(p.sb.Json({"show", t})["claimed_by"], "claude-7f3a19c2");
  EXPECT_EQ(claimed.err.find("warning"), std::string::npos) << claimed.err;
}

TEST(SetupHarness, TheHookKeepsANameTheUserGave) {
  Project p;
  std::string env_file = p.sb.root() + "/claude.env";
  RunOptions o;
  o.argv = {TgBinary(), "hook", "claude-session-start"};
  o.env = p.sb.Environment({{"TG_AGENT", "reviewer"}, {"CLAUDE_ENV_FILE", env_file}});
  o.input = R"({"session_id":"aaaaaaaa-0000"})";
  RunResult r = RunProcess(o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("you are agent reviewer"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(env_file));
}

TEST(SetupHarness, UnknownHarnessIsRefusedBeforeAnythingIsWritten) {
  Project p;
  RunResult r = p.sb.Run({"setup", "--path", p.dir, "--harness", "vim"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("--harness must be claude, codex, cursor or generic, not 'vim'"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::is_empty(p.dir));
}

TEST(SetupHarness, CursorRuleTeachesClaimingInOneStep) {
  Project p;
  p.Setup({"--harness", "cursor"});
  std::string rule = Read(p.dir + "/.cursor/rules/tg.mdc");
  EXPECT_NE(rule.find("tg next --claim"), std::string::npos) << rule;
  EXPECT_NE(rule.find("alwaysApply: true"), std::string::npos);
}

}  // namespace
}  // namespace tg::test
