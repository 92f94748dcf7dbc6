// Issue 9, "nothing destroys the store": no output path reaches the store's files, a file that
// is not a tg store is STORE_CORRUPT for every command, and init never leaves a broken config.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string Dir(const Sandbox& sb) { return sb.root() + "/.taskgraph"; }

// `tg export json --out .taskgraph/tg.db` overwrote the live store with exit 0.
TEST(RobustStore, ExportNeverWritesOverTheStoresFilesHoweverSpelled) {
  TG_SKIP_ON_PG("tg.db is SQLite's file");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  const std::string db = Read(Dir(sb) + "/tg.db");
  const std::string config = Read(Dir(sb) + "/config.json");
  fs::create_directories(sb.root() + "/sub");
  fs::create_symlink(Dir(sb) + "/tg.db", sb.root() + "/link.json");
  fs::create_hard_link(Dir(sb) + "/config.json", sb.root() + "/hard.json");
  fs::create_symlink(Dir(sb), sb.root() + "/state");
  for (const std::string& out :
       {std::string(".taskgraph/tg.db"), std::string("sub/../.taskgraph/tg.db"),
        std::string("./.taskgraph/config.json"), std::string(".taskgraph/tg.lock"),
        std::string(".taskgraph/tg.db-wal"), std::string(".taskgraph/new.json"),
        std::string("link.json"), std::string("hard.json"), std::string("state/tg.db"),
        Dir(sb) + "/tg.db", std::string("/proc/self/cwd/.taskgraph/tg.db")}) {
    for (const char* format : {"json", "mermaid"}) {
      RunOptions o;
      o.argv = {TgBinary(), "export", format, "--out", out, "--json"};
      o.env = sb.Environment();
      o.cwd = sb.root();
      RunResult r = RunProcess(o);
      EXPECT_EQ(r.exit_code, 6) << out << ": " << r.out << r.err;
      EXPECT_NE(r.err.find("would overwrite tg's own state"), std::string::npos) << r.err;
    }
  }
  EXPECT_EQ(Read(Dir(sb) + "/tg.db"), db);
  EXPECT_EQ(Read(Dir(sb) + "/config.json"), config);
  EXPECT_FALSE(fs::exists(Dir(sb) + "/new.json"));
  EXPECT_EQ(sb.Run({"doctor"}).exit_code, 0);
  EXPECT_EQ(sb.Json({"show", t})["title"], "T");
  // An ordinary path still works, and the file is written whole.
  RunOptions o;
  o.argv = {TgBinary(), "export", "json", "--out", "sub/graph.json"};
  o.env = sb.Environment();
  o.cwd = sb.root();
  EXPECT_EQ(RunProcess(o).exit_code, 0);
  EXPECT_EQ(json::parse(Read(sb.root() + "/sub/graph.json"))["tasks"].size(), 1u);
}

// `tg setup --force` followed `AGENTS.md -> ~/.bashrc` out of the project.
TEST(RobustStore, SetupNeverWritesThroughASymlinkOutOfTheProject) {
  Sandbox sb;
  std::string outside = sb.home() + "/.bashrc";
  Write(outside, "export PS1='$ '\n");
  fs::create_directories(sb.root() + "/project");
  fs::create_symlink(outside, sb.root() + "/project/AGENTS.md");
  RunResult r = sb.Run({"setup", "--path", sb.root() + "/project", "--force"});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_NE(r.err.find("outside the project"), std::string::npos) << r.err;
  EXPECT_EQ(Read(outside), "export PS1='$ '\n");
  EXPECT_FALSE(fs::exists(sb.root() + "/project/docs")) << "nothing is written on a refusal";
  // A symlinked folder out of the project is refused the same way.
  fs::remove(sb.root() + "/project/AGENTS.md");
  fs::create_directories(sb.home() + "/elsewhere");
  fs::create_directory_symlink(sb.home() + "/elsewhere", sb.root() + "/project/docs");
  RunResult dir = sb.Run({"setup", "--path", sb.root() + "/project"});
  EXPECT_EQ(dir.exit_code, 6) << dir.err;
  EXPECT_TRUE(fs::is_empty(sb.home() + "/elsewhere"));
  // Into the store's folder, or onto a hard link of one of its files: refused.
  RunResult state = sb.Run({"setup", "--path", Dir(sb)});
  EXPECT_EQ(state.exit_code, 6) << state.err;
  fs::remove(sb.root() + "/project/docs");
  // (A PostgreSQL graph keeps no tg.db: its state file is config.json.)
  const std::string state_file = Dir(sb) + (OnPostgres() ? "/config.json" : "/tg.db");
  fs::create_hard_link(state_file, sb.root() + "/project/AGENTS.md");
  std::string db = Read(state_file);
  RunResult hard = sb.Run({"setup", "--path", sb.root() + "/project", "--force"});
  EXPECT_EQ(hard.exit_code, 6) << hard.err;
  EXPECT_EQ(Read(state_file), db);
  // A plain project is set up.
  fs::remove(sb.root() + "/project/AGENTS.md");
  EXPECT_EQ(sb.Run({"setup", "--path", sb.root() + "/project"}).exit_code, 0);
  EXPECT_TRUE(fs::is_regular_file(sb.root() + "/project/AGENTS.md"));
}

// A 0-byte tg.db silently became a fresh empty store, even for a read, and doctor said ok.
TEST(RobustStore, AFileThatIsNotATgStoreIsStoreCorruptForEveryCommand) {
  TG_SKIP_ON_PG("damages tg.db");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  std::string whole = Read(Dir(sb) + "/tg.db");
  const std::vector<std::pair<std::string, std::string>> files = {
      {"empty", ""},
      {"truncated", whole.substr(0, 100)},
      {"garbage", std::string(8192, 'x')},
      {"header only", whole.substr(0, 4096)},
  };
  for (const auto& [name, bytes] : files) {
    for (const char* f : {"tg.db-wal", "tg.db-shm"}) fs::remove(Dir(sb) + "/" + f);
    Write(Dir(sb) + "/tg.db", bytes);
    for (auto args : std::vector<std::vector<std::string>>{{"status", "--json"},
                                                           {"show", t, "--json"},
                                                           {"next", "--json"},
                                                           {"log", "--json"},
                                                           {"doctor", "--json"},
                                                           {"note", t, "--msg", "x", "--json"},
                                                           {"init", "--json"}}) {
      RunResult r = sb.Run(args);
      EXPECT_EQ(r.exit_code, 7) << name << " " << args[0] << ": " << r.out << r.err;
      if (r.exit_code == 7 && args[0] != "doctor") {
        EXPECT_EQ(json::parse(r.out)["error"]["code"], "STORE_CORRUPT") << name << " " << args[0];
      }
    }
    EXPECT_EQ(Read(Dir(sb) + "/tg.db"), bytes) << name << ": init must not replace it";
  }
  // Another program's SQLite database.
  fs::remove(Dir(sb) + "/tg.db");
  sb.Sql("CREATE TABLE notes (x TEXT)");
  for (auto args :
       std::vector<std::vector<std::string>>{{"status", "--json"}, {"init", "--json"}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 7) << "foreign " << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("is not a tg store"), std::string::npos) << r.err;
  }
  // Schema version 0 and negative ones; one too new for this tg.
  for (const char* f : {"tg.db-wal", "tg.db-shm"}) fs::remove(Dir(sb) + "/" + f);
  Write(Dir(sb) + "/tg.db", whole);
  for (auto [version, code] : {std::pair{"0", "STORE_CORRUPT"},
                               {"-1", "STORE_CORRUPT"},
                               {"-2147483648", "STORE_CORRUPT"},
                               {"2147483647", "SCHEMA_TOO_NEW"}}) {
    sb.Sql(Cat({"PRAGMA user_version=", version}));
    for (auto args :
         std::vector<std::vector<std::string>>{{"status", "--json"}, {"init", "--json"}}) {
      RunResult r = sb.Run(args);
      EXPECT_EQ(r.exit_code, 7) << version << " " << args[0] << ": " << r.err;
      EXPECT_EQ(json::parse(r.out)["error"]["code"], code) << version << ": " << r.out;
    }
  }
}

// config.json: a 0-byte or garbage file gives one clear error naming it; a value that would
// wrap ("lease_minutes": 4294967296 became 0, and 16 agents got the same task) is refused; a
// symlink to /dev/zero is not read forever.
TEST(RobustStore, ABadConfigIsOneClearErrorNamingTheFile) {
  Sandbox sb;
  sb.NewPlan("P");
  std::string path = Dir(sb) + "/config.json";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "is empty"},
      {"\n  \n", "is empty"},
      {"{not json", "is not a valid JSON object"},
      {"[1, 2]", "is not a valid JSON object"},
      {R"({"lease_minutes": 4294967296})", "lease_minutes must be a whole number from 1 to 43200"},
      {R"({"lease_minutes": 0})", "lease_minutes must be"},
      {R"({"lease_minutes": -5})", "lease_minutes must be"},
      {R"({"lease_minutes": "120"})", "lease_minutes must be"},
      {R"({"lease_minutes": 1.5})", "lease_minutes must be"},
      {R"({"stale_hours": 99999999999})", "stale_hours must be"},
      {R"({"context_token_budget": 2147483648})", "context_token_budget must be"},
      {std::string(2 * 1024 * 1024, ' '), "larger than 1 MiB"},
  };
  for (const auto& [text, says] : cases) {
    Write(path, text);
    for (auto args :
         std::vector<std::vector<std::string>>{{"status", "--json"}, {"init", "--json"}}) {
      RunResult r = sb.Run(args);
      EXPECT_EQ(r.exit_code, 6) << text.substr(0, 40) << ": " << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
      EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    }
    EXPECT_EQ(Read(path), text) << "init never overwrites a config";
  }
  fs::remove(path);
  fs::create_symlink("/dev/zero", path);
  RunResult zero = sb.Run({"status", "--json"});
  EXPECT_FALSE(zero.timed_out);
  EXPECT_EQ(zero.exit_code, 6) << zero.err;
  EXPECT_NE(zero.err.find("is not a regular file"), std::string::npos) << zero.err;
  fs::remove(path);
  Write(path, R"({"lease_minutes": null, "stale_hours": 3, "context_token_budget": null})");
  EXPECT_EQ(sb.Run({"status"}).exit_code, 0);
}

// `init` on a full disk left a 0-byte config.json that broke every later command. A file size
// limit (prlimit --fsize) makes every write past it fail as a full disk does.
TEST(RobustStore, InitOnAFullDiskLeavesNothingBroken) {
  TG_SKIP_ON_PG("uses the SQLite fault VFS");
  if (access("/usr/bin/prlimit", X_OK) != 0) GTEST_SKIP() << "needs prlimit (util-linux)";
  for (int limit : {0, 1, 60, 200, 4096}) {
    Sandbox sb(/*init=*/false);
    RunOptions o;
    // SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing tg.
    o.argv = {"/usr/bin/prlimit",
              "--fsize=" + std::to_string(limit),
              "--",
              "/bin/sh",
              "-c",
              "trap '' XFSZ; exec \"$0\" init --json",
              TgBinary()};
    o.env = sb.Environment();
    RunResult full = RunProcess(o);
    EXPECT_NE(full.exit_code, 0) << limit << ": " << full.out;
    EXPECT_EQ(full.exit_code, 7) << limit << ": " << full.err;
    for (const char* f : {"config.json", "tg.db", ".gitignore"}) {
      std::string p = Dir(sb) + "/" + f;
      if (fs::exists(p)) {
        EXPECT_GT(fs::file_size(p), 0u) << limit << ": " << f << " left empty";
      }
    }
    // A later init, with room, finishes the job and every command works.
    EXPECT_EQ(sb.Run({"init"}).exit_code, 0) << limit;
    EXPECT_EQ(sb.Run({"status"}).exit_code, 0) << limit;
    EXPECT_EQ(sb.Run({"doctor"}).exit_code, 0) << limit;
  }
}

}  // namespace
}  // namespace tg::test
