// A real git repository inside a test's sandbox, for the worktree tests. Every git the test
// runs, and every git tg runs for it, reads no global or system configuration
// (GIT_CONFIG_GLOBAL=/dev/null, GIT_CONFIG_NOSYSTEM=1, HOME in the sandbox) and commits as a
// fixed identity. tg runs without TG_DIR, so it discovers the graph from its folder. On
// PostgreSQL it runs without TG_DATABASE_URL too, as a team's clone would: `init` names the
// sandbox's database with --database-url (`init --here` a database of its own), and later
// commands find it in config.json.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/sandbox.h"

namespace tg::test {

class GitRepo {
 public:
  // `main`: the repository's main worktree, inside the sandbox; branch main, one commit.
  explicit GitRepo(const Sandbox& sb, const std::string& name = "repo")
      : sb_(sb), main_(sb.root() + "/" + name) {
    std::filesystem::create_directories(main_);
    GitOk(main_, {"init", "-q", "-b", "main"});
    Write("README.md", "hello\n");
    GitOk(main_, {"add", "README.md"});
    GitOk(main_, {"commit", "-q", "-m", "first"});
  }

  const std::string& main() const { return main_; }

  std::map<std::string, std::string> Env(std::map<std::string, std::string> extra = {}) const {
    std::map<std::string, std::string> env{{"GIT_CONFIG_GLOBAL", "/dev/null"},
                                           {"GIT_CONFIG_NOSYSTEM", "1"},
                                           {"HOME", sb_.home()},
                                           {"GIT_AUTHOR_NAME", "Test Author"},
                                           {"GIT_AUTHOR_EMAIL", "author@test"},
                                           {"GIT_COMMITTER_NAME", "Test Committer"},
                                           {"GIT_COMMITTER_EMAIL", "commit@test"},
                                           {"TG_DIR", ""},
                                           {"TG_DATABASE_URL", ""}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  }

  RunResult Git(const std::string& dir, const std::vector<std::string>& args) const {
    RunOptions o;
    o.argv = {"/usr/bin/git", "-C", dir};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env = sb_.Environment(Env());
    return RunProcess(o);
  }
  // Expects success; returns stdout without its last line break.
  std::string GitOk(const std::string& dir, const std::vector<std::string>& args) const {
    RunResult r = Git(dir, args);
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    EXPECT_EQ(r.exit_code, 0) << "git" << cmd << " in " << dir << ": " << r.err;
    if (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  }

  // tg in `dir` (default: the main worktree).
  RunResult Tg(const std::vector<std::string>& args, const std::string& dir = "",
               const std::map<std::string, std::string>& extra = {}) const {
    RunOptions o;
    o.argv = {TgBinary()};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    if (OnPostgres() && !args.empty() && args[0] == "init" &&
        std::find(args.begin(), args.end(), "--database-url") == args.end()) {
      bool here = std::find(args.begin(), args.end(), "--here") != args.end();
      o.argv.push_back("--database-url");
      o.argv.push_back(here ? sb_.NewDatabaseUrl() : sb_.database_url());
    }
    o.env = sb_.Environment(Env(extra));
    o.cwd = dir.empty() ? main_ : dir;
    return RunProcess(o);
  }
  json TgJson(const std::vector<std::string>& args, const std::string& dir = "",
              const std::map<std::string, std::string>& extra = {}) const {
    std::vector<std::string> a = args;
    a.push_back("--json");
    RunResult r = Tg(a, dir, extra);
    auto j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON: " << r.out << "\nstderr: " << r.err;
    return j;
  }
  std::string TgOk(const std::vector<std::string>& args, const std::string& dir = "",
                   const std::map<std::string, std::string>& extra = {}) const {
    RunResult r = Tg(args, dir, extra);
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    EXPECT_EQ(r.exit_code, 0) << "tg" << cmd << "\nstdout: " << r.out << "\nstderr: " << r.err;
    return r.out;
  }

  // A graph in the main worktree whose settings are tracked, as a team would commit them.
  void InitTrackedGraph() const {
    TgOk({"init"});
    GitOk(main_, {"add", ".taskgraph/config.json", ".taskgraph/.gitignore"});
    GitOk(main_, {"commit", "-q", "-m", "tg settings"});
  }

  void Write(const std::string& rel, const std::string& text, const std::string& dir = "") const {
    std::string path = (dir.empty() ? main_ : dir) + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
  }
  // Writes, stages and commits one file in the checkout `dir`.
  void Commit(const std::string& dir, const std::string& rel, const std::string& text) const {
    Write(rel, text, dir);
    GitOk(dir, {"add", rel});
    GitOk(dir, {"commit", "-q", "-m", "add " + rel});
  }
  // Uncommitted changes in `dir`, as `git status --porcelain` lists them (untracked included).
  std::string Status(const std::string& dir) const { return GitOk(dir, {"status", "--porcelain"}); }
  bool HasBranch(const std::string& b) const {
    return Git(main_, {"rev-parse", "-q", "--verify", "refs/heads/" + b}).exit_code == 0;
  }

 private:
  const Sandbox& sb_;
  std::string main_;
};

}  // namespace tg::test
