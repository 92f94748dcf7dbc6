// Permissions: a read-only .taskgraph/ (reads work, writes fail READ_ONLY) and an unwritable
// HOME (everything works). Root ignores file permissions, so as root these tests run tg as
// nobody through setpriv(1); otherwise as the current user.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

constexpr int kNobody = 65534;

class Permissions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() == 0 && !fs::exists("/usr/bin/setpriv")) {
      GTEST_SKIP() << "running as root without setpriv(1): permissions cannot be tested";
    }
  }
  // Runs tg as an unprivileged user.
  RunResult Run(const Sandbox& sb, const std::vector<std::string>& args) const {
    RunOptions o;
    if (geteuid() == 0) {
      o.argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    o.argv.push_back(TgBinary());
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env = sb.Environment();
    o.cwd = "/";
    return RunProcess(o);
  }
  static void Own(const std::string& path) {
    if (geteuid() != 0) return;
    for (const auto& e : fs::recursive_directory_iterator(path)) {
      ASSERT_EQ(lchown(e.path().c_str(), kNobody, kNobody), 0);
    }
    ASSERT_EQ(lchown(path.c_str(), kNobody, kNobody), 0);
  }
};

TEST_F(Permissions, ReadOnlyStoreStillReadsButRefusesWrites) {
  TG_SKIP_ON_PG("file modes of tg.db; a PostgreSQL user's privileges are the server's");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"note", t, "--msg", "before"});
  std::string dir = sb.root() + "/.taskgraph";
  fs::permissions(sb.root(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
  for (const auto& e : fs::directory_iterator(dir)) {
    fs::permissions(e.path(),
                    fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  }
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                           fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  RunResult show = Run(sb, {"show", t, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["notes"][0]["body"]["message"], "before");
  EXPECT_EQ(Run(sb, {"next", "--json"}).exit_code, 0);
  EXPECT_EQ(Run(sb, {"status", "--json"}).exit_code, 0);
  RunResult write = Run(sb, {"note", t, "--msg", "after", "--json"});
  EXPECT_EQ(write.exit_code, 7) << write.err;
  EXPECT_EQ(json::parse(write.out)["error"]["code"], "READ_ONLY");
  EXPECT_NE(write.err.find("permissions"), std::string::npos) << write.err;
  fs::permissions(dir, fs::perms::owner_all);
  for (const auto& e : fs::directory_iterator(dir)) fs::permissions(e.path(), fs::perms::owner_all);
  EXPECT_EQ(sb.Json({"show", t})["notes"].size(), 1u);  // nothing was written
}

TEST_F(Permissions, UnwritableHomeDoesNotMatter) {
  Sandbox sb(false);
  fs::permissions(sb.root(), fs::perms::all);  // the graph's folder is writable for tg
  fs::permissions(sb.home(), fs::perms::owner_read | fs::perms::owner_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(sb.root() + "/tmp", fs::perms::all);
  RunResult init = Run(sb, {"init"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  Own(sb.root() + "/.taskgraph");
  RunResult plan = Run(sb, {"plan", "new", "P", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  RunResult task = Run(sb, {"task", "new", "T", "--plan", "P", "--json"});
  ASSERT_EQ(task.exit_code, 0) << task.err;
  std::string t = json::parse(task.out)["hash_id"];
  EXPECT_EQ(Run(sb, {"start", t}).exit_code, 0);
  EXPECT_EQ(Run(sb, {"done", t, "--evidence", "ok"}).exit_code, 0);
  EXPECT_EQ(Run(sb, {"doctor"}).exit_code, 0);
  EXPECT_TRUE(fs::is_empty(sb.home()));
}

}  // namespace
}  // namespace tg::test
