// Frontmatter extraction reproduces the original's /^---\s*\n([\s\S]*?)\n---/ exactly.
#include "plan/frontmatter.h"

#include <gtest/gtest.h>

#include "plan_test_util.h"

namespace tg::plan {
namespace {

using test::ErrorOf;
using test::MustParse;

TEST(FindFrontmatter, TakesTextBetweenFences) {
  auto fm = FindFrontmatter("---\nname: x\n---\nbody\n");
  ASSERT_TRUE(fm.has_value());
  EXPECT_EQ(fm->yaml, "name: x");
  EXPECT_EQ(fm->first_line, 2);
}

TEST(FindFrontmatter, NeedsDashesAtByteZero) {
  EXPECT_FALSE(FindFrontmatter(" ---\na: 1\n---\n"));
  EXPECT_FALSE(FindFrontmatter("\n---\na: 1\n---\n"));
  EXPECT_FALSE(FindFrontmatter("\xEF\xBB\xBF---\na: 1\n---\n"));
}

TEST(FindFrontmatter, OpeningLineAllowsOnlyWhitespaceAfterDashes) {
  EXPECT_FALSE(FindFrontmatter("----\na: 1\n---\n"));
  EXPECT_FALSE(FindFrontmatter("--- name: x\n---\n"));
  auto fm = FindFrontmatter("---   \t\na: 1\n---\n");
  ASSERT_TRUE(fm.has_value());
  EXPECT_EQ(fm->yaml, "a: 1");
}

TEST(FindFrontmatter, NeedsAClosingLine) {
  EXPECT_FALSE(FindFrontmatter("---\na: 1\n"));
  EXPECT_FALSE(FindFrontmatter("---\na: 1\n ---\n"));
}

TEST(FindFrontmatter, ClosingLineOnlyHasToStartWithDashes) {
  EXPECT_EQ(FindFrontmatter("---\na: 1\n----\n")->yaml, "a: 1");
  EXPECT_EQ(FindFrontmatter("---\na: 1\n---more\n")->yaml, "a: 1");
  EXPECT_EQ(FindFrontmatter("---\na: 1\n---")->yaml, "a: 1");
}

TEST(FindFrontmatter, BlankLinesAfterOpeningAreSkippedKeepingIndentation) {
  auto fm = FindFrontmatter("---\n\n\n  a: 1\n---\n");
  ASSERT_TRUE(fm.has_value());
  EXPECT_EQ(fm->yaml, "  a: 1");
  EXPECT_EQ(fm->first_line, 4);
}

TEST(FindFrontmatter, AdjacentFencesDoNotMatchButABlankLineBetweenDoes) {
  EXPECT_FALSE(FindFrontmatter("---\n---\n"));
  auto fm = FindFrontmatter("---\n\n---\n");
  ASSERT_TRUE(fm.has_value());
  EXPECT_EQ(fm->yaml, "");
}

TEST(FindFrontmatter, StopsAtTheFirstClosingLine) {
  EXPECT_EQ(FindFrontmatter("---\na: 1\n---\nb: 2\n---\n")->yaml, "a: 1");
}

TEST(FindFrontmatter, ToleratesCarriageReturns) {
  auto fm = FindFrontmatter("---\r\na: 1\r\n---\r\n");
  ASSERT_TRUE(fm.has_value());
  EXPECT_EQ(fm->yaml, "a: 1\r");
  EXPECT_EQ(fm->first_line, 2);
}

TEST(ParsePlanFrontmatter, MissingFrontmatterIsALocatedError) {
  EXPECT_EQ(ErrorOf("---\nname: x\n", Format::kCursor),
            "p.md:1:1: no YAML frontmatter: the file must start with a \"---\" line and the "
            "YAML must end at a line starting with \"---\"");
  EXPECT_EQ(ErrorOf("name: x\n", Format::kCursor), ErrorOf("---\nname: x\n", Format::kCursor));
}

TEST(ParsePlanFrontmatter, ByteOrderMarkIsReportedNotSilentlyLegacy) {
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF---\nname: x\n---\n"),
            "p.md:1:1: the file starts with a UTF-8 byte-order mark; save it without one so "
            "that \"---\" is its first line");
}

TEST(ParsePlanFrontmatter, EmptyFrontmatterIsAnError) {
  EXPECT_EQ(ErrorOf("---\n\n---\n"),
            "p.md:2:1: the YAML frontmatter is empty; expected a mapping with keys such as "
            "name, overview and todos");
  EXPECT_EQ(ErrorOf("---\n# only a comment\n---\n").substr(0, 40),
            "p.md:2:1: the YAML frontmatter is empty;");
}

TEST(ParsePlanFrontmatter, NonMappingFrontmatterIsAnError) {
  EXPECT_EQ(ErrorOf("---\njust text\n---\n"),
            "p.md:2:1: the YAML frontmatter is a string; expected a mapping with keys such as "
            "name, overview and todos");
  EXPECT_EQ(ErrorOf("---\n- a\n- b\n---\n").substr(0, 43),
            "p.md:2:1: the YAML frontmatter is a list; e");
}

TEST(ParsePlanFrontmatter, CrlfFileParsesWithFileLines) {
  Plan plan = MustParse(
      "---\r\nname: x\r\noverview: |\r\n  a\r\n  b\r\ntodos:\r\n  - id: t\r\n    content: T\r\n"
      "---\r\nbody\r\n");
  EXPECT_EQ(plan.name, "x");
  EXPECT_EQ(plan.overview, "a\nb\n");
  ASSERT_EQ(plan.todos.size(), 1u);
  EXPECT_EQ(plan.todos[0].line, 7);
}

TEST(ParsePlanFrontmatter, BodyAndLaterFencesAreIgnored) {
  Plan plan = MustParse("---\nname: x\n---\n# Heading\n---\ntodos: nonsense\n---\n");
  EXPECT_EQ(plan.name, "x");
  EXPECT_TRUE(plan.todos.empty());
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(ParsePlanFrontmatter, ClosingFenceWithoutFinalNewline) {
  Plan plan = MustParse("---\nname: x\nbenchmark: true\ntodos:\n  - id: a\n    content: A\n---");
  EXPECT_EQ(plan.benchmark, true);
  EXPECT_EQ(plan.todos.size(), 1u);
}

}  // namespace
}  // namespace tg::plan
