// Shell completion and the man page, generated from the command table: the bash script parses,
// offers commands, flags, task ids and plan titles from the graph, and the man page documents
// every command that --help lists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// Runs `tg completion bash`, sources it in bash and completes `words` (the last one partial),
// returning what COMPREPLY holds, one per line.
std::string BashComplete(const Sandbox& sb, const std::vector<std::string>& words) {
  std::string script = sb.Ok({"completion", "bash"});
  std::string path = sb.root() + "/tg.bash";
  std::ofstream(path) << script;
  std::string array = "tg";
  for (const auto& w : words) array += " '" + w + "'";
  std::string bin_dir = fs::path(TgBinary()).parent_path().string();
  auto r = sb.RunBinary("/bin/bash",
                        {"-c", "source '" + path + "'; COMP_WORDS=(" + array +
                                   "); COMP_CWORD=" + std::to_string(words.size()) +
                                   "; _tg; printf '%s\\n' \"${COMPREPLY[@]}\""},
                        {{"PATH", bin_dir + ":/usr/bin:/bin"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(Completion, BashScriptParses) {
  Sandbox sb;
  std::ofstream(sb.root() + "/tg.bash") << sb.Ok({"completion", "bash"});
  auto r = sb.RunBinary("/bin/bash", {"-n", sb.root() + "/tg.bash"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Completion, CommandsStartingWithWhatWasTyped) {
  Sandbox sb;
  std::string offered = BashComplete(sb, {"st"});
  EXPECT_EQ(offered, "start\nstatus\nstats\n");  // command-table order
  EXPECT_EQ(BashComplete(sb, {"plan", "s"}), "set-priority\nsummary\n");
}

TEST(Completion, FlagsOfTheCommandAndTheGlobalOnes) {
  Sandbox sb;
  std::string offered = BashComplete(sb, {"start", "--"});
  for (const char* flag : {"--force", "--lease", "--json", "--dir", "--agent"}) {
    EXPECT_NE(offered.find(std::string(flag) + "\n"), std::string::npos) << flag << offered;
  }
}

TEST(Completion, TaskIdsAndPlanTitlesComeFromTheGraph) {
  Sandbox sb;
  std::string p = sb.NewPlan("Release 1.2");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  std::string offered = BashComplete(sb, {"done", "tg-"});
  EXPECT_NE(offered.find(a + "\n"), std::string::npos) << offered;
  EXPECT_NE(offered.find(b + "\n"), std::string::npos) << offered;
  EXPECT_EQ(BashComplete(sb, {"done", a.substr(0, 7)}).find(a), 0u);
  EXPECT_EQ(BashComplete(sb, {"next", "--plan", "Rel"}), "Release\\ 1.2\n");
  // A word that is no id offers nothing, and the shell completes files where a file goes.
  EXPECT_EQ(BashComplete(sb, {"show", "zz"}), "\n");  // printf of an empty COMPREPLY
  auto r = sb.Run({"__complete", "--", "import", ""});
  EXPECT_EQ(r.out, ":files\n");
}

TEST(Completion, UnknownShellIsValidationFailed) {
  Sandbox sb(false);
  auto r = sb.Run({"completion", "tcsh"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("bash, zsh or fish"), std::string::npos) << r.err;
}

// The man page and --help come from one table: every command --help lists is in the page.
TEST(ManPage, DocumentsEveryCommandOfTheHelp) {
  Sandbox sb(false);
  std::string man = sb.Ok({"manpage"});
  EXPECT_EQ(man.rfind(".TH TG 1", 0), 0u);
  std::istringstream help(sb.Ok({"--help"}));
  int commands = 0;
  bool in_subcommands = false;
  for (std::string line; std::getline(help, line);) {
    if (line.starts_with("Subcommands:")) {
      in_subcommands = true;
      continue;
    }
    if (!in_subcommands || line.size() < 3 || line[0] != ' ') continue;
    std::string name = line.substr(2, line.find(' ', 2) - 2);
    ++commands;
    EXPECT_NE(man.find(".SS \"tg " + name), std::string::npos) << name;
  }
  EXPECT_GT(commands, 20);
  EXPECT_EQ(man.find("__complete"), std::string::npos);
}

TEST(Version, NamesTheVersionAndTheCommit) {
  Sandbox sb(false);
  std::string v = sb.Ok({"--version"});
  EXPECT_EQ(v.rfind("tg 0.", 0), 0u) << v;
  EXPECT_TRUE(v.find("(commit ") != std::string::npos ||
              v.find("(unknown commit)") != std::string::npos)
      << v;
}

}  // namespace
}  // namespace tg::test
