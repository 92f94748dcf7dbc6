// Plan-wide rules that tg enforces where the original did not (contract section 5): each
// failure is located at the offending spot, in file coordinates.
#include <gtest/gtest.h>

#include <string>

#include "plan/plan.h"
#include "plan_test_util.h"

namespace tg::plan {
namespace {

using test::CodeOf;
using test::ErrorOf;
using test::MustParse;

TEST(PlanValidation, DuplicateTopLevelKeyIsAnError) {
  EXPECT_EQ(ErrorOf("---\nname: a\noverview: o\nname: b\n---\n"),
            "p.md:4:1: duplicate key \"name\" (first at line 2); remove or rename one of them");
  EXPECT_EQ(CodeOf("---\nname: a\nname: b\n---\n"), Code::kParseFailed);
}

TEST(PlanValidation, DuplicateKeyInATodoIsAnError) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: A\n    status: pending\n"
                    "    status: completed\n---\n"),
            "p.md:6:5: duplicate key \"status\" (first at line 5); remove or rename one of them");
}

TEST(PlanValidation, DuplicateKeyInAFlowMappingIsAnError) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - {id: a, content: A, id: b}\n---\n"),
            "p.md:3:25: duplicate key \"id\" (first at line 3); remove or rename one of them");
}

TEST(PlanValidation, DuplicateKeyInAnIgnoredNestedMappingIsAnError) {
  EXPECT_EQ(ErrorOf("---\nextra:\n  deep:\n    k: 1\n    k: 2\n---\n"),
            "p.md:5:5: duplicate key \"k\" (first at line 4); remove or rename one of them");
}

TEST(PlanValidation, QuotedAndPlainSpellingsOfAKeyAreDuplicates) {
  EXPECT_EQ(ErrorOf("---\nname: a\n\"name\": b\n---\n"),
            "p.md:3:1: duplicate key \"name\" (first at line 2); remove or rename one of them");
}

TEST(PlanValidation, DuplicateTodoIdNamesBothLines) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: A\n  - id: b\n    content: B\n"
                    "  - id: a\n    content: C\n---\n"),
            "p.md:7:9: duplicate todo id \"a\" at lines 3 and 7; todo ids must be unique within "
            "a plan");
}

TEST(PlanValidation, UnknownBlockerIsAnError) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: A\n  - id: b\n    content: B\n"
                    "    blockedBy: [a, zz]\n---\n"),
            "p.md:7:20: todo \"b\" is blocked by unknown id \"zz\"; blockedBy must name a todo "
            "of this file (link other plans after import with `tg block`)");
}

TEST(PlanValidation, UnknownDependencyIsAnError) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: A\n    dependencies:\n      - x\n"
                    "---\n"),
            "p.md:6:9: todo \"a\" is blocked by unknown id \"x\"; blockedBy must name a todo of "
            "this file (link other plans after import with `tg block`)");
}

TEST(PlanValidation, ForwardReferencesAreFine) {
  Plan plan = MustParse(
      "---\ntodos:\n  - {id: a, content: A, blockedBy: [b]}\n"
      "  - {id: b, content: B}\n---\n");
  EXPECT_EQ(plan.todos[0].blocked_by, std::vector<std::string>{"b"});
}

TEST(PlanValidation, SelfReferenceIsACycle) {
  const char* text = "---\ntodos:\n  - id: a\n    content: A\n    blockedBy: [a]\n---\n";
  EXPECT_EQ(CodeOf(text), Code::kCycleDetected);
  EXPECT_EQ(ErrorOf(text),
            "p.md:5:17: todo \"a\" is blocked by itself; remove it from its own blockedBy");
}

TEST(PlanValidation, TwoTodoCycleNamesThePath) {
  const char* text =
      "---\ntodos:\n  - {id: a, content: A, blockedBy: [b]}\n"
      "  - {id: b, content: B, blockedBy: [a]}\n---\n";
  EXPECT_EQ(CodeOf(text), Code::kCycleDetected);
  EXPECT_EQ(ErrorOf(text),
            "p.md:3:37: blocking cycle a -> b -> a (each todo is blocked by the next); remove "
            "one of these blockedBy entries");
}

TEST(PlanValidation, LongerCycleBehindAnAcyclicTodo) {
  const char* text =
      "---\ntodos:\n  - {id: start, content: S, blockedBy: [x]}\n"
      "  - {id: x, content: X, blockedBy: [y]}\n  - {id: y, content: Y, blockedBy: [z]}\n"
      "  - {id: z, content: Z, blockedBy: [x]}\n---\n";
  EXPECT_EQ(ErrorOf(text),
            "p.md:4:37: blocking cycle x -> y -> z -> x (each todo is blocked by the next); "
            "remove one of these blockedBy entries");
}

TEST(PlanValidation, TitleLimitIs255Characters) {
  std::string ok(255, 't');
  EXPECT_EQ(MustParse("---\ntodos:\n  - id: a\n    content: " + ok + "\n---\n").todos.size(), 1u);
  std::string accents;
  for (int i = 0; i < 255; ++i) accents += "\xC3\xA9";  // é: 2 bytes, 1 character
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: " + accents + "\n---\n"), "");
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: a\n    content: " + ok + "u\n---\n"),
            "p.md:4:14: the content (title) of todo \"a\" is 256 characters long; titles are "
            "limited to 255 (move detail to the intent)");
}

TEST(PlanValidation, IdLimitIs128Characters) {
  std::string ok(128, 'i');
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: " + ok + "\n    content: A\n---\n"), "");
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: " + ok + "j\n    content: A\n---\n"),
            "p.md:3:9: todo id \"" + std::string(60, 'i') +
                "...\" is 129 characters long; ids are limited to 128");
}

TEST(PlanValidation, EmptyIdIsAnError) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - id: ''\n    content: A\n---\n"),
            "p.md:3:9: todo id is empty");
}

TEST(PlanValidation, MalformedYamlIsLocated) {
  EXPECT_EQ(ErrorOf("---\nname: \"abc\ntodos: []\n---\n"),
            "p.md:3:10: invalid YAML: found unexpected end of stream (a quoted string is not "
            "closed)");
  EXPECT_EQ(ErrorOf("---\nname: x\noverview: a: b\n---\n"),
            "p.md:3:12: invalid YAML: mapping values are not allowed in this context (a value "
            "containing \": \" must be quoted)");
  EXPECT_EQ(ErrorOf("---\ntodos:\n\t- id: a\n---\n"),
            "p.md:3:1: invalid YAML: found character that cannot start any token (check the "
            "indentation; tabs cannot indent YAML, and a value starting with @ or ` must be "
            "quoted)");
}

TEST(PlanValidation, MalformedYamlIsLocatedBelowBlankLinesAfterTheFence) {
  EXPECT_EQ(ErrorOf("---\n\n\nname: x\nname: y\n---\n"),
            "p.md:5:1: duplicate key \"name\" (first at line 4); remove or rename one of them");
}

TEST(PlanValidation, SecondDocumentIsAnError) {
  EXPECT_EQ(ErrorOf("---\nname: a\n...\nname: b\n---\n"),
            "p.md:4:1: a second YAML document starts here; a plan holds exactly one");
}

TEST(PlanValidation, InvalidUtf8IsLocated) {
  EXPECT_EQ(ErrorOf("---\nname: ab\xFF\n---\n"),
            "p.md:2:9: invalid UTF-8 (byte 0xFF); plan files must be UTF-8");
  EXPECT_EQ(ErrorOf("TASK: a\nTITLE: \xC0\xAF\n"),  // overlong '/'
            "p.md:2:8: invalid UTF-8 (byte 0xC0); plan files must be UTF-8");
}

TEST(PlanValidation, ControlCharactersAreRefused) {
  EXPECT_EQ(ErrorOf(std::string("---\nname: a\0b\n---\n", 16)),
            "p.md:2:8: control character U+0000 is not allowed; plan files must be printable "
            "text");
  EXPECT_EQ(ErrorOf("---\nname: \x1B[1m\n---\n"),
            "p.md:2:7: control character U+001B is not allowed; plan files must be printable "
            "text");
}

TEST(PlanValidation, FirstErrorInFileOrderWinsWithinACheck) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - {id: a, content: A, blockedBy: [q]}\n"
                    "  - {id: b, content: B, blockedBy: [r]}\n---\n")
                .substr(0, 10),
            "p.md:3:37:");
}

}  // namespace
}  // namespace tg::plan
