// Cursor-format fields: what each key accepts, aliases, and what is dropped with a warning.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/plan.h"
#include "plan_test_util.h"

namespace tg::plan {
namespace {

using test::ErrorOf;
using test::MustParse;
using Strings = std::vector<std::string>;

// Frontmatter with `yaml` between the fences: file line N is YAML line N - 1.
Plan ParseYaml(const std::string& yaml) { return MustParse("---\n" + yaml + "---\n"); }
// As `tg import --lenient` reads it: what strict mode refuses becomes a warning.
Plan ParseLenient(const std::string& yaml) {
  return MustParse("---\n" + yaml + "---\n", Format::kAuto, /*lenient=*/true);
}
std::string StrictError(const std::string& yaml) { return test::ErrorOf("---\n" + yaml + "---\n"); }

TEST(CursorPlan, ReadsPlanLevelFields) {
  Plan plan = ParseYaml(
      "name: Plan X\n"
      "overview: |\n  Why.\n"
      "fileTree: src/a.cc\n"
      "initiative: '  growth  '\n"
      "benchmark: true\n"
      "isProject: true\n"
      "risks:\n  - description: d\n    severity: low\n    mitigation: m\n"
      "tests: [t1, t2]\n"
      "objectives: [o]\noutcomes: [c]\noutputs: [p]\n");
  EXPECT_EQ(plan.name, "Plan X");
  EXPECT_EQ(plan.overview, "Why.\n");
  EXPECT_EQ(plan.file_tree, "src/a.cc");
  EXPECT_EQ(plan.initiative, "growth");
  EXPECT_EQ(plan.benchmark, true);
  EXPECT_EQ(plan.risks, (std::vector<Risk>{{"d", "low", "m"}}));
  EXPECT_EQ(plan.tests, (Strings{"t1", "t2"}));
  EXPECT_EQ(plan.objectives, Strings{"o"});
  EXPECT_EQ(plan.outcomes, Strings{"c"});
  EXPECT_EQ(plan.outputs, Strings{"p"});
  EXPECT_TRUE(plan.todos.empty());
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(CursorPlan, AbsentFieldsStayEmpty) {
  Plan plan = ParseYaml("todos: []\n");
  EXPECT_FALSE(plan.name || plan.overview || plan.file_tree || plan.initiative);
  EXPECT_FALSE(plan.benchmark.has_value());
  EXPECT_TRUE(plan.todos.empty());
}

TEST(CursorPlan, NullTodosMeansNoTodos) {
  EXPECT_TRUE(ParseYaml("name: x\ntodos:\n").todos.empty());
  EXPECT_TRUE(ParseYaml("name: x\ntodos: ~\n").todos.empty());
}

TEST(CursorPlan, TodosThatIsNotAListIsAnError) {
  EXPECT_EQ(ErrorOf("---\nname: x\ntodos: {id: a}\n---\n"),
            "p.md:3:8: todos must be a list of todos, got a mapping");
  EXPECT_EQ(ErrorOf("---\ntodos: many\n---\n"),
            "p.md:2:8: todos must be a list of todos, got a string");
}

TEST(CursorPlan, WrongTypedPlanFieldsAreRefusedOrWithLenientIgnored) {
  const std::string yaml =
      "overview: [a]\n"
      "benchmark: yes\n"
      "tests: [a, 1]\n"
      "risks:\n  - description: d\n    severity: low\n"
      "initiative: '   '\n";
  EXPECT_EQ(StrictError(yaml),
            "p.md:2:11: overview must be a string, got a list (fix the file, or import with "
            "--lenient to skip this with a warning)");
  Plan plan = ParseLenient(yaml);
  EXPECT_FALSE(plan.overview.has_value());
  EXPECT_FALSE(plan.benchmark.has_value());
  EXPECT_TRUE(plan.tests.empty());
  EXPECT_TRUE(plan.risks.empty());
  EXPECT_FALSE(plan.initiative.has_value());
  EXPECT_EQ(plan.warnings,
            (Strings{"p.md:2: overview must be a string, got a list; ignored",
                     "p.md:3: benchmark must be true or false; ignored",
                     "p.md:4: tests must be a list of strings; ignored",
                     "p.md:6: a risk needs string description, severity and mitigation; "
                     "dropped"}));
}

TEST(CursorPlan, UnknownKeysAreRefusedWithTheClosestKnownOne) {
  EXPECT_EQ(StrictError("name: x\ndependencyGraph: |\n  a -> b\n"),
            "p.md:3:1: unknown key \"dependencyGraph\" (fix the file, or import with --lenient "
            "to skip this with a warning)");
  EXPECT_NE(StrictError("nme: x\n").find("unknown key \"nme\"; did you mean \"name\"?"),
            std::string::npos);
  EXPECT_NE(StrictError("todos:\n  - {id: a, content: A, blockedby: [b]}\n")
                .find("unknown todo key \"blockedby\"; did you mean \"blockedBy\"?"),
            std::string::npos);
  EXPECT_NE(StrictError("todos:\n  - {id: a, content: A, chnageType: fix}\n")
                .find("did you mean \"changeType\"?"),
            std::string::npos);
  // `projects` is a defined key the original never implemented: a warning even when strict.
  Plan plan = ParseYaml("name: x\nprojects: []\n");
  EXPECT_EQ(plan.warnings,
            (Strings{"p.md:3: the multi-project `projects` form is not supported; ignored"}));
  Plan lenient = ParseLenient("name: x\ndependencyGraph: |\n  a -> b\nprojects: []\n");
  EXPECT_EQ(lenient.warnings,
            (Strings{"p.md:3: unknown key \"dependencyGraph\"; ignored",
                     "p.md:5: the multi-project `projects` form is not supported; ignored"}));
}

TEST(CursorPlan, KeysAreComparedAsTextAndComplexKeysAreIgnoredWhenLenient) {
  const std::string yaml = "? [a, b]\n: x\n~: y\n1: z\ntodos:\n  - {id: a, content: A, true: 1}\n";
  EXPECT_NE(StrictError(yaml).find("p.md:2:3: a key that is a list"), std::string::npos);
  Plan plan = ParseLenient(yaml);
  EXPECT_EQ(plan.todos.size(), 1u);
  EXPECT_EQ(plan.warnings,
            (Strings{"p.md:2: a key that is a list; ignored", "p.md:4: a key that is null; ignored",
                     "p.md:5: unknown key \"1\"; ignored",
                     "p.md:7: unknown todo key \"true\"; ignored"}));
}

TEST(CursorPlan, NameIsStringifiedButAMappingIsRefused) {
  EXPECT_EQ(ParseYaml("name: 2026\n").name, "2026");
  EXPECT_EQ(StrictError("name: {{x}}\n"),
            "p.md:2:7: name must be a string, got a mapping (quote the value) (fix the file, or "
            "import with --lenient to skip this with a warning)");
  Plan plan = ParseLenient("name: {{x}}\n");
  EXPECT_FALSE(plan.name.has_value());
  EXPECT_EQ(plan.warnings, Strings{"p.md:2: name must be a string, got a mapping; ignored"});
}

TEST(CursorTodo, ReadsEveryTodoField) {
  Plan plan = ParseYaml(
      "todos:\n"
      "  - id: a\n    content: First\n"
      "  - id: b\n"
      "    content: Second\n"
      "    status: completed\n"
      "    blockedBy: [a]\n"
      "    docs: [schema, cli]\n"
      "    skill: sql\n"
      "    changeType: modify\n"
      "    intent: |\n      Do it.\n"
      "    suggestedChanges: edit x\n"
      "    agent: implementer\n");
  ASSERT_EQ(plan.todos.size(), 2u);
  const Todo& a = plan.todos[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.content, "First");
  EXPECT_EQ(a.status, "");
  EXPECT_EQ(a.line, 3);
  EXPECT_FALSE(a.agent.has_value());
  const Todo& b = plan.todos[1];
  EXPECT_EQ(b.status, "completed");
  EXPECT_EQ(b.blocked_by, Strings{"a"});
  EXPECT_EQ(b.docs, (Strings{"schema", "cli"}));
  EXPECT_EQ(b.skills, Strings{"sql"});
  EXPECT_EQ(b.change_type, "modify");
  EXPECT_EQ(b.intent, "Do it.\n");
  EXPECT_EQ(b.suggested_changes, "edit x");
  EXPECT_EQ(b.agent, "implementer");
  EXPECT_EQ(b.line, 5);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST(CursorTodo, StatusIsKeptRaw) {
  Plan plan = ParseYaml(
      "todos:\n  - {id: a, content: A, status: in_progress}\n"
      "  - {id: b, content: B, status: cancelled}\n  - {id: c, content: C, status: done}\n");
  EXPECT_EQ(plan.todos[0].status, "in_progress");
  EXPECT_EQ(plan.todos[1].status, "cancelled");
  EXPECT_EQ(plan.todos[2].status, "done");
}

TEST(CursorTodo, DependenciesAliasIsUnitedWithBlockedBy) {
  Plan plan = ParseYaml(
      "todos:\n  - {id: a, content: A}\n  - {id: b, content: B}\n"
      "  - id: c\n    content: C\n    dependencies: [b, a]\n    blockedBy: [a]\n");
  EXPECT_EQ(plan.todos[2].blocked_by, (Strings{"b", "a"}));
}

TEST(CursorTodo, BlockedByAsASingleString) {
  Plan plan = ParseYaml("todos:\n  - {id: a, content: A}\n  - {id: b, content: B, blockedBy: a}\n");
  EXPECT_EQ(plan.todos[1].blocked_by, Strings{"a"});
}

TEST(CursorTodo, DocsAcceptsAStringAndDomainIsAnAlias) {
  Plan plan = ParseYaml(
      "todos:\n  - {id: a, content: A, docs: schema}\n"
      "  - {id: b, content: B, domain: [x, y]}\n"
      "  - {id: c, content: C, domain: x, docs: [z]}\n"
      "  - {id: d, content: D, docs: ~, domain: w}\n");
  EXPECT_EQ(plan.todos[0].docs, Strings{"schema"});
  EXPECT_EQ(plan.todos[1].docs, (Strings{"x", "y"}));
  EXPECT_EQ(plan.todos[2].docs, Strings{"z"});
  EXPECT_EQ(plan.todos[3].docs, Strings{"w"});
  EXPECT_EQ(plan.warnings, Strings{"p.md:5: domain ignored: docs is given"});
}

TEST(CursorTodo, SkillsAliasIsUnitedWithSkill) {
  Plan plan = ParseYaml("todos:\n  - {id: a, content: A, skill: s1, skills: [s2, s1]}\n");
  EXPECT_EQ(plan.todos[0].skills, (Strings{"s1", "s2"}));
}

TEST(CursorTodo, WrongTypedTodoFieldsAreDroppedWithWarningsWhenLenient) {
  Plan plan = ParseLenient(
      "todos:\n"
      "  - id: a\n"
      "    content: A\n"
      "    agent: [x, y]\n"
      "    changeType: rewrite\n"
      "    intent: 42\n"
      "    docs: [ok, 7]\n"
      "    colour: red\n");
  const Todo& a = plan.todos[0];
  EXPECT_FALSE(a.agent || a.change_type || a.intent);
  EXPECT_EQ(a.docs, Strings{"ok"});
  EXPECT_EQ(plan.warnings, (Strings{"p.md:5: agent must be a string, got a list; ignored",
                                    "p.md:6: unknown changeType \"rewrite\"; ignored",
                                    "p.md:7: intent must be a string, got a number; ignored",
                                    "p.md:8: an item of docs is a number, not a string; dropped",
                                    "p.md:9: unknown todo key \"colour\"; ignored"}));
  EXPECT_NE(StrictError("todos:\n  - {id: a, content: A, changeType: rewrite}\n")
                .find("unknown changeType \"rewrite\" (expected create, modify, refactor, fix, "
                      "investigate, test or document)"),
            std::string::npos);
}

TEST(CursorTodo, TodosWithoutStringIdOrContentAreDroppedWithWarningsWhenLenient) {
  EXPECT_NE(StrictError("todos:\n  - {content: no id}\n").find("p.md:3:5: a todo's id is missing"),
            std::string::npos);
  Plan plan = ParseLenient(
      "todos:\n"
      "  - {content: no id}\n"
      "  - {id: 12, content: numeric}\n"
      "  - {id: 2026-03-01, content: date}\n"
      "  - {id: true, content: bool}\n"
      "  - {id: ok, content: ~}\n"
      "  - just text\n"
      "  - {id: yes, content: kept}\n"
      "  - {id: '12', content: quoted}\n");
  ASSERT_EQ(plan.todos.size(), 2u);
  EXPECT_EQ(plan.todos[0].id, "yes");
  EXPECT_EQ(plan.todos[1].id, "12");
  EXPECT_EQ(plan.warnings,
            (Strings{"p.md:3: a todo's id is missing; the todo is dropped",
                     "p.md:4: a todo's id is a number, not a string; the todo is dropped",
                     "p.md:5: a todo's id is a date, not a string; the todo is dropped",
                     "p.md:6: a todo's id is a boolean, not a string; the todo is dropped",
                     "p.md:7: a todo's content is null, not a string; the todo is dropped",
                     "p.md:8: a todo is a string, not a mapping; dropped"}));
}

TEST(CursorTodo, ExplicitStringTagMakesAString) {
  Plan plan = ParseYaml("todos:\n  - {id: !!str 12, content: A}\n");
  ASSERT_EQ(plan.todos.size(), 1u);
  EXPECT_EQ(plan.todos[0].id, "12");
}

TEST(CursorTodo, LineIsTheFileLineOfTheTodo) {
  Plan plan = MustParse(
      "---\n\nname: x\ntodos:\n  - id: a\n    content: A\n\n  - id: b\n"
      "    content: B\n---\n");
  EXPECT_EQ(plan.todos[0].line, 5);
  EXPECT_EQ(plan.todos[1].line, 8);
}

TEST(CursorTodo, AnchorsAliasesAndMergeKeysWork) {
  Plan plan = ParseYaml(
      "x-base: &base\n  agent: implementer\n  changeType: fix\n"
      "todos:\n"
      "  - <<: *base\n    id: a\n    content: A\n    changeType: test\n"
      "  - {<<: [*base], id: b, content: B}\n");
  ASSERT_EQ(plan.todos.size(), 2u);
  EXPECT_EQ(plan.todos[0].agent, "implementer");
  EXPECT_EQ(plan.todos[0].change_type, "test");  // explicit keys win over merged ones
  EXPECT_EQ(plan.todos[1].change_type, "fix");
  EXPECT_TRUE(plan.warnings.empty());  // x- keys hold anchors and notes, never data
}

TEST(CursorTodo, MergeKeyNeedsAMapping) {
  EXPECT_EQ(ErrorOf("---\ntodos:\n  - {<<: 3, id: a, content: A}\n---\n"),
            "p.md:3:10: the merge key << needs a mapping or a list of mappings");
}

// libyaml gives a final literal block no line feed when the frontmatter ends inside it
// (js-yaml adds one); tg keeps libyaml's reading, as it kept yaml-cpp's.
TEST(CursorTodo, LiteralBlockEndingTheFrontmatterHasNoFinalNewline) {
  Plan plan = ParseYaml(
      "todos:\n  - id: a\n    content: A\n    intent: |\n      one\n"
      "      two\n    agent: x\n");
  EXPECT_EQ(plan.todos[0].intent, "one\ntwo\n");
  plan = ParseYaml("todos:\n  - id: a\n    content: A\n    intent: |\n      one\n      two\n");
  EXPECT_EQ(plan.todos[0].intent, "one\ntwo");
}

// The escapes \N and \_ decode to U+0085 and U+00A0 as UTF-8 (yaml-cpp produced bare bytes).
TEST(CursorTodo, NbspEscapeDecodesToUtf8) {
  Plan plan = ParseYaml("name: \"a\\_b\\u00e9\"\n");
  EXPECT_EQ(plan.name,
            "a\xC2\xA0"
            "b\xC3\xA9");
}

// Escapes decode to characters the field rules then refuse: NEL (\N, \x85) is a C1 control,
// ESC would reach every reader's terminal, and a line feed has no place in a title.
TEST(CursorTodo, EscapedControlCharactersAreRefusedInTheField) {
  for (const char* name : {"a\\Nb", "c\\x85", "\\e[31mred", "nul\\0x"}) {
    auto plan =
        ParsePlan(std::string("---\nname: \"") + name + "\"\n---\n", "p.md", Format::kCursor);
    ASSERT_FALSE(plan.has_value()) << name;
    EXPECT_EQ(plan.error().code, Code::kParseFailed);
    EXPECT_NE(plan.error().message.find("p.md:2:7: the plan name contains the control character"),
              std::string::npos)
        << plan.error().message;
  }
  auto todo =
      ParsePlan("---\ntodos:\n  - id: a\n    content: \"x\\ny\"\n---\n", "p.md", Format::kCursor);
  ASSERT_FALSE(todo.has_value());
  EXPECT_EQ(
      todo.error().message,
      "p.md:4:14: the content (title) of todo \"a\" contains a line break; it must be one line");
  auto intent = ParsePlan("---\ntodos:\n  - id: a\n    content: x\n    intent: \"1\\n2\"\n---\n",
                          "p.md", Format::kCursor);
  ASSERT_TRUE(intent.has_value()) << intent.error().message;  // multi-line fields hold lines
  EXPECT_EQ(intent->todos[0].intent, "1\n2");
}

TEST(CursorTodo, FeatureAreaAndAcceptanceAreReadForRoundTrips) {
  Plan plan = ParseYaml(
      "todos:\n  - id: a\n    content: A\n    feature: f\n    area: ar\n"
      "    acceptance: [x, y]\n");
  EXPECT_EQ(plan.todos[0].feature, "f");
  EXPECT_EQ(plan.todos[0].area, "ar");
  EXPECT_EQ(plan.todos[0].acceptance, (Strings{"x", "y"}));
}

}  // namespace
}  // namespace tg::plan
