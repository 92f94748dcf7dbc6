// The legacy TASK:/TITLE: line format (plan-format.md section 6) and its validation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan_test_util.h"

namespace tg::plan {
namespace {

using test::CodeOf;
using test::ErrorOf;
using test::MustParse;
using Strings = std::vector<std::string>;

constexpr const char* kThreeTasks =
    "# Checkout rewrite\n"
    "INTENT: Make checkout fast\n"
    "\n"
    "TASK: cart\n"
    "TITLE: Cart model\n"
    "FEATURE: checkout\n"
    "AREA: backend\n"
    "ACCEPTANCE:\n"
    "- totals are exact\n"
    "  -   taxes included  \n"
    "\n"
    "TASK: pay\n"
    "  TITLE: Payment step\n"
    "  BLOCKED_BY: cart\n"
    "  DOMAIN: payments, api\n"
    "  SKILL: stripe\n"
    "  AGENT: implementer\n"
    "  CHANGE_TYPE: create\n"
    "TASK: ui\n"
    "TITLE: Checkout UI\n"
    "BLOCKED_BY: cart, pay\n"
    "DOCS: ui\n";

TEST(LegacyFormat, ParsesTasksIntoExactTodos) {
  Plan plan = MustParse(kThreeTasks);
  EXPECT_EQ(plan.name, "Checkout rewrite");
  EXPECT_EQ(plan.overview, "Make checkout fast");
  ASSERT_EQ(plan.todos.size(), 3u);
  Todo cart{.id = "cart",
            .content = "Cart model",
            .feature = "checkout",
            .area = "backend",
            .acceptance = {"totals are exact", "taxes included"},
            .line = 4};
  EXPECT_EQ(plan.todos[0], cart);
  Todo pay{.id = "pay",
           .content = "Payment step",
           .blocked_by = {"cart"},
           .docs = {"payments", "api"},
           .skills = {"stripe"},
           .change_type = "create",
           .agent = "implementer",
           .line = 12};
  EXPECT_EQ(plan.todos[1], pay);
  Todo ui{.id = "ui",
          .content = "Checkout UI",
          .blocked_by = {"cart", "pay"},
          .docs = {"ui"},
          .line = 19};
  EXPECT_EQ(plan.todos[2], ui);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(LegacyFormat, AutoDetectsLegacyWhenTextDoesNotStartWithDashes) {
  EXPECT_EQ(MustParse(kThreeTasks, Format::kAuto), MustParse(kThreeTasks, Format::kLegacy));
}

// An empty file, headings only, or a Markdown checklist would become an empty plan named after
// its heading: a file without TASK: lines is no legacy plan.
TEST(LegacyFormat, FilesWithoutTasksAreRefused) {
  for (const char* text : {"", "# First\n# Last\nINTENT: a\nINTENT: b\n",
                           "# Sprint\n\n- [ ] write the parser\n- [x] schema\n"}) {
    EXPECT_NE(ErrorOf(text, Format::kLegacy).find("p.md:1:1: no plan in this file"),
              std::string::npos)
        << text;
  }
}

TEST(LegacyFormat, HeadingAndIntentCountOnlyAtColumnOne) {
  Plan plan =
      MustParse(" # Not a title\n INTENT: no\n#NoSpace\nTASK: a\nTITLE: A\n", Format::kLegacy);
  EXPECT_FALSE(plan.name || plan.overview);
  Plan named = MustParse("# First\n# Last\nINTENT: a\nINTENT: b\nTASK: a\nTITLE: A\n");
  EXPECT_EQ(named.name, "Last");
  EXPECT_EQ(named.overview, "b");
}

TEST(LegacyFormat, AKeywordTypoInATaskIsRefusedWithTheClosestKeyword) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: A\nTASK: b\nTITLE: B\nBLOCKEDBY: a\n"),
            "p.md:5:1: unknown keyword \"BLOCKEDBY:\"; did you mean \"BLOCKED_BY:\"? (fix the "
            "file, or import with --lenient to skip this with a warning)");
  Plan plan = MustParse("TASK: a\nTITLE: A\nNOTES: free text\n", Format::kAuto, true);
  EXPECT_EQ(plan.warnings, Strings{"p.md:3: unknown keyword \"NOTES:\"; read as free text"});
}

TEST(LegacyFormat, KeywordsAreCaseSensitiveAndIgnoredBeforeTheFirstTask) {
  Plan plan =
      MustParse("TITLE: stray\ntask: lower\nTASK: a\nTITLE: A\ntitle: nope\n", Format::kLegacy);
  ASSERT_EQ(plan.todos.size(), 1u);
  EXPECT_EQ(plan.todos[0].content, "A");
}

TEST(LegacyFormat, BlockedByLinesAccumulate) {
  Plan plan = MustParse(
      "TASK: a\nTITLE: A\nTASK: b\nTITLE: B\nTASK: c\nTITLE: C\n"
      "BLOCKED_BY: a\nBLOCKED_BY: b, a\n");
  EXPECT_EQ(plan.todos[2].blocked_by, (Strings{"a", "b"}));
}

TEST(LegacyFormat, AnyOtherLineClosesTheAcceptanceList) {
  Plan plan = MustParse("TASK: a\nTITLE: A\nACCEPTANCE:\n- one\n\n- not an item\n");
  EXPECT_EQ(plan.todos[0].acceptance, Strings{"one"});
}

TEST(LegacyFormat, TaskWithoutTitleIsAnError) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: A\n\nTASK: b\nFEATURE: f\n"),
            "p.md:4:1: task \"b\" has no TITLE: line; add \"TITLE: <title>\" below its TASK: "
            "line");
}

TEST(LegacyFormat, TaskWithoutKeyIsDroppedWithAWarning) {
  Plan plan = MustParse("TASK:\nTITLE: orphan\nTASK: b\nTITLE: B\n", Format::kAuto, true);
  ASSERT_EQ(plan.todos.size(), 1u);
  EXPECT_EQ(plan.warnings, Strings{"p.md:1: TASK: without a key; the task is dropped"});
}

TEST(LegacyFormat, InvalidChangeTypeIsWarnedAbout) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: A\nCHANGE_TYPE: rewrite\n"),
            "p.md:3:1: unknown CHANGE_TYPE \"rewrite\" (fix the file, or import with --lenient to "
            "skip this with a warning)");
  Plan plan = MustParse("TASK: a\nTITLE: A\nCHANGE_TYPE: rewrite\n", Format::kAuto, true);
  EXPECT_FALSE(plan.todos[0].change_type.has_value());
  EXPECT_EQ(plan.warnings, Strings{"p.md:3: unknown CHANGE_TYPE \"rewrite\"; ignored"});
}

TEST(LegacyFormat, DuplicateTaskKeyIsAnError) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: A\nTASK:  a\nTITLE: again\n"),
            "p.md:3:8: duplicate todo id \"a\" at lines 1 and 3; todo ids must be unique within "
            "a plan");
}

TEST(LegacyFormat, UnknownBlockerIsLocatedAtItsColumn) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: A\n  BLOCKED_BY: a,  nope\n"),
            "p.md:3:19: todo \"a\" is blocked by unknown id \"nope\"; blockedBy must name a todo "
            "of this file (link other plans after import with `tg block`)");
}

TEST(LegacyFormat, CycleIsDetected) {
  const char* text = "TASK: a\nTITLE: A\nBLOCKED_BY: b\nTASK: b\nTITLE: B\nBLOCKED_BY: a\n";
  EXPECT_EQ(CodeOf(text), Code::kCycleDetected);
  EXPECT_EQ(ErrorOf(text),
            "p.md:3:13: blocking cycle a -> b -> a (each todo is blocked by the next); remove "
            "one of these blockedBy entries");
}

TEST(LegacyFormat, LongTitleIsAnError) {
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: " + std::string(256, 'x') + "\n"),
            "p.md:2:1: the content (title) of todo \"a\" is 256 characters long; titles are "
            "limited to 255 (move detail to the intent)");
}

TEST(LegacyFormat, CursorFileReadAsLegacyHasNoPlan) {
  EXPECT_NE(ErrorOf("---\nname: x\ntodos: []\n---\n# Body heading\n", Format::kLegacy)
                .find("no plan in this file"),
            std::string::npos);
}

TEST(LegacyFormat, CrlfLinesAreTrimmed) {
  Plan plan = MustParse("TASK: a\r\nTITLE: A\r\nDOCS: x, y\r\n");
  EXPECT_EQ(plan.todos[0].content, "A");
  EXPECT_EQ(plan.todos[0].docs, (Strings{"x", "y"}));
}

}  // namespace
}  // namespace tg::plan
