// ReadPlanFile: file errors are FILE_NOT_FOUND; parse errors carry the path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plan/plan.h"
#include "support/temp_dir.h"

namespace tg::plan {
namespace {

namespace fs = std::filesystem;

// A private directory per test, so that parallel test processes never share files.
class ReadPlanFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }

  tg::test::TempDir tmp_{"tg-plan-test"};
  const fs::path dir_{tmp_.path()};
};

TEST_F(ReadPlanFileTest, ReadsAndParsesAFile) {
  auto plan = ReadPlanFile(Write("p.md", "---\nname: x\ntodos:\n  - {id: a, content: A}\n---\n"),
                           Format::kAuto);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->name, "x");
  EXPECT_EQ(plan->todos.size(), 1u);
}

TEST_F(ReadPlanFileTest, MissingFileIsFileNotFound) {
  std::string path = (dir_ / "absent.md").string();
  auto plan = ReadPlanFile(path, Format::kAuto);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, Code::kFileNotFound);
  EXPECT_EQ(plan.error().message, "cannot read plan file " + path + ": No such file or directory");
}

TEST_F(ReadPlanFileTest, DirectoryIsFileNotFound) {
  auto plan = ReadPlanFile(dir_.string(), Format::kAuto);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, Code::kFileNotFound);
  EXPECT_EQ(plan.error().message, "cannot read plan file " + dir_.string() + ": it is a directory");
}

TEST_F(ReadPlanFileTest, ParseErrorsNameThePath) {
  std::string path = Write("bad.md", "---\nname: a\nname: b\n---\n");
  auto plan = ReadPlanFile(path, Format::kAuto);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, Code::kParseFailed);
  EXPECT_EQ(plan.error().message,
            path + ":3:1: duplicate key \"name\" (first at line 2); remove or rename one of them");
}

TEST_F(ReadPlanFileTest, ExplicitFormatOverridesDetection) {
  std::string path = Write("p.md", "---\nname: x\n---\nTASK: a\nTITLE: A\n");
  auto plan = ReadPlanFile(path, Format::kLegacy);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_FALSE(plan->name.has_value());
  auto cursor = ReadPlanFile(Write("l.md", "TASK: a\nTITLE: A\n"), Format::kCursor);
  ASSERT_FALSE(cursor.has_value());
  EXPECT_EQ(cursor.error().message.find(":1:1: no YAML frontmatter"),
            cursor.error().message.find(':'));
}

}  // namespace
}  // namespace tg::plan
