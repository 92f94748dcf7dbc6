// WriteCursor: the output format, and that any string survives a write/parse round trip.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "plan/plan.h"
#include "plan_test_util.h"

namespace tg::plan {
namespace {

using test::Comparable;
using test::MustParse;

TEST(WriteCursor, WritesTheCorpusLayout) {
  Plan plan;
  plan.name = "Plan X";
  plan.overview = "Why we do it.\nTwo lines.\n";
  plan.benchmark = true;
  plan.risks = {{"d", "low", "m"}};
  plan.tests = {"unit: a"};
  plan.todos = {
      Todo{.id = "a", .content = "First", .status = "completed", .docs = {"schema"}},
      Todo{.id = "b",
           .content = "Second",
           .blocked_by = {"a"},
           .skills = {"sql", "x y"},
           .change_type = "fix",
           .intent = "Do it.\n",
           .agent = "implementer"},
  };
  EXPECT_EQ(WriteCursor(plan),
            "---\n"
            "name: Plan X\n"
            "overview: |\n"
            "  Why we do it.\n"
            "  Two lines.\n"
            "benchmark: true\n"
            "risks:\n"
            "  - description: d\n"
            "    severity: low\n"
            "    mitigation: m\n"
            "tests:\n"
            "  - \"unit: a\"\n"
            "todos:\n"
            "  - id: a\n"
            "    content: First\n"
            "    status: completed\n"
            "    docs: [schema]\n"
            "  - id: b\n"
            "    content: Second\n"
            "    blockedBy: [a]\n"
            "    skill: [sql, x y]\n"
            "    changeType: fix\n"
            "    intent: |\n"
            "      Do it.\n"
            "    agent: implementer\n"
            "---\n");
}

TEST(WriteCursor, EmptyPlanHasAnEmptyTodoList) {
  EXPECT_EQ(WriteCursor(Plan{}), "---\ntodos: []\n---\n");
  EXPECT_EQ(Comparable(MustParse(WriteCursor(Plan{}))), Plan{});
}

TEST(WriteCursor, FinalClipBlockKeepsItsLineFeed) {
  Plan plan;
  plan.todos = {Todo{.id = "a", .content = "A", .intent = "last\n"}};
  std::string text = WriteCursor(plan);
  EXPECT_TRUE(text.ends_with("    intent: |\n      last\n\n---\n")) << text;
  EXPECT_EQ(MustParse(text).todos[0].intent, "last\n");
}

// Strings that need quoting, escaping or a careful block style.
// clang-format off
const std::vector<std::string> kHardStrings = {
    "", " ", "  two", "trailing ", "yes", "no", "true", "False", "null", "~", "123", "-1",
    "0x1F", "1.5", ".inf", "2026-03-01", "2026-03-01 10:00:00", "- item", "-", "a: b", "a:",
    "a:b", "a #b", "a#b", "#x", "[x]", "{x}", "x,y", "x]", "'q'", "\"q\"", "it's",
    "back\\slash", "line1\nline2", "line1\nline2\n", "two\n\n", "\n", "\nleading",
    "  indented\nx", "x\n  deeper\nback\n", "a\n\n\nb\n", "a\n \nb", "a \nb\n", "tab\there",
    "\ttab start", "x\n\tt\n", "cr\rhere", "crlf\r\nx\n", "\xC3\xBCn\xC3\xAF",
    "emoji \xF0\x9F\x98\x80", "\xE2\x80\xA8", "NEL\xC2\x85", "bom\xEF\xBB\xBF", "\xC2\xA0nbsp",
    "---", "...", "--- x\n---", "a\n---\nb\n", "% dir", "@at", "`tick", "*alias", "&anchor",
    "!tag", "|pipe", ">fold", "? q", ": c", "multi  space", "{{x}}", "<<", "=", "%", "\"", "\\",
    "key: |\n  x", "a\x7F", "ctl\x01", "\x1B[1m", std::string("nul\0x", 5), "\xC2\x9F",
    "x\xEF\xBF\xBF",
    // found by the fuzzer: '?' inside a plain scalar of a flow list breaks yaml-cpp
    "paym?eluded", "a?b", "a ?b", "a? b"};
// clang-format on

// Each field gets the hard string when its rule (core/text.h) admits it, else a stand-in: the
// reader refuses what a field may not hold, and the writer must round-trip everything else.
TEST(WriteCursor, HardStringsRoundTripInEveryField) {
  for (const std::string& s : kHardStrings) {
    auto line = [&](const char* other) {
      return TextProblem(s, TextKind::kSingleLine) ? other : s;
    };
    std::string multi = TextProblem(s, TextKind::kMultiLine) ? "t" : s;
    std::string title = TitleProblem(s) ? "title" : s;
    Plan plan;
    plan.name = title;
    plan.overview = plan.file_tree = multi;
    plan.initiative = "i";
    bool blank = s.find_first_not_of(" \t\r\n") == std::string::npos;
    plan.risks = {{multi, line("high"), multi}};
    plan.tests = plan.objectives = plan.outcomes = plan.outputs = {multi, "x"};
    Todo todo{.id = "t",
              .content = title,
              .status = line("pending"),
              .docs = {line("d")},
              .skills = {line("s"), "k"},
              .change_type = "test",
              .intent = multi,
              .suggested_changes = multi,
              .agent = line("a"),
              .feature = line("f"),
              .area = line("r"),
              .acceptance = {multi}};
    Todo other{.id = blank || TextProblem(s, TextKind::kSingleLine) ? "other" : s,
               .content = "o",
               .blocked_by = {"t"}};
    plan.todos = {todo, other};
    std::string text = WriteCursor(plan);
    auto again = ParsePlan(text, "w.md", Format::kAuto);
    ASSERT_TRUE(again.has_value()) << testing::PrintToString(s) << "\n"
                                   << again.error().message << "\n"
                                   << text;
    EXPECT_TRUE(again->warnings.empty()) << testing::PrintToString(s) << "\n" << text;
    EXPECT_EQ(Comparable(*again), plan) << testing::PrintToString(s) << "\n" << text;
  }
}

TEST(WriteCursor, LegacyPlanRoundTripsThroughTheCursorFormat) {
  Plan legacy = MustParse(
      "# T\nINTENT: i\nTASK: a\nTITLE: A\nFEATURE: f\nAREA: ar\nACCEPTANCE:\n- x\nTASK: b\n"
      "TITLE: B\nBLOCKED_BY: a\n",
      Format::kLegacy);
  EXPECT_EQ(Comparable(MustParse(WriteCursor(legacy))), Comparable(legacy));
}

}  // namespace
}  // namespace tg::plan
