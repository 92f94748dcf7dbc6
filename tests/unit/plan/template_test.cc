// Templates (plan-format.md sections 10 and 12): {{name}} substitution in string values
// after YAML loading, then the same conversion and validation as a cursor frontmatter.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace tg::plan {
namespace {

using Vars = std::map<std::string, std::string>;
using Strings = std::vector<std::string>;

TEST(SubstitutePlaceholders, ReplacesKnownNames) {
  EXPECT_EQ(SubstitutePlaceholders("Add {{feature}} now", {{"feature", "search"}}),
            "Add search now");
}

TEST(SubstitutePlaceholders, LeavesUnknownNamesIntact) {
  EXPECT_EQ(SubstitutePlaceholders("{{a}} and {{b}}", {{"a", "x"}}), "x and {{b}}");
}

TEST(SubstitutePlaceholders, ReplacesRepeatedPlaceholders) {
  EXPECT_EQ(SubstitutePlaceholders("{{a}}-{{a}}{{a}}", {{"a", "x"}}), "x-xx");
}

TEST(SubstitutePlaceholders, EmptyVarSetChangesNothing) {
  EXPECT_EQ(SubstitutePlaceholders("{{a}} b", {}), "{{a}} b");
}

TEST(SubstitutePlaceholders, NamesMayHoldDigitsAndUnderscores) {
  EXPECT_EQ(SubstitutePlaceholders("{{v2}} {{a_b}} {{_}}", {{"v2", "1"}, {"a_b", "2"}, {"_", "3"}}),
            "1 2 3");
}

TEST(SubstitutePlaceholders, OnlyWordNamesWithoutSpacesAreReplaced) {
  Vars vars{{"a", "x"}, {"a-b", "y"}, {" a ", "z"}};
  EXPECT_EQ(SubstitutePlaceholders("{{ a }} {{a-b}} {{}} {a} {{a}", vars),
            "{{ a }} {{a-b}} {{}} {a} {{a}");
}

TEST(SubstitutePlaceholders, IsNotRecursive) {
  EXPECT_EQ(SubstitutePlaceholders("{{x}}", {{"x", "{{y}}"}, {"y", "no"}}), "{{y}}");
}

TEST(SubstitutePlaceholders, ExtraBracesAroundAPlaceholder) {
  EXPECT_EQ(SubstitutePlaceholders("{{{a}}}", {{"a", "x"}}), "{x}");
}

constexpr const char* kFeatureTemplate = R"(name: "Feature: {{feature}}"
overview: "Implement {{feature}} end to end."
fileTree: |
  src/{{feature}}/
risks:
  - description: "{{feature}} breaks existing flows"
    severity: medium
    mitigation: "Flag {{feature}} off by default"
tests:
  - "{{feature}} unit tests"
benchmark: false
todos:
  - id: "{{feature}}-schema"
    content: "Schema for {{feature}}"
    changeType: create
    intent: |
      Design the {{feature}} schema ({{unknown}} stays).
    docs: ["{{feature}}", schema]
  - id: "{{feature}}-impl"
    content: "Implement {{feature}}"
    blockedBy: ["{{feature}}-schema"]
    estimate: 3
)";

TEST(ParseTemplate, SubstitutesEveryStringValue) {
  auto plan = ParseTemplate(kFeatureTemplate, "feature.yaml", {{"feature", "search"}});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->name, "Feature: search");
  EXPECT_EQ(plan->overview, "Implement search end to end.");
  EXPECT_EQ(plan->file_tree, "src/search/\n");
  ASSERT_EQ(plan->risks.size(), 1u);
  EXPECT_EQ(plan->risks[0].description, "search breaks existing flows");
  EXPECT_EQ(plan->risks[0].mitigation, "Flag search off by default");
  EXPECT_EQ(plan->tests, Strings{"search unit tests"});
  EXPECT_EQ(plan->benchmark, false);  // non-strings are untouched
  ASSERT_EQ(plan->todos.size(), 2u);
  EXPECT_EQ(plan->todos[0].id, "search-schema");
  EXPECT_EQ(plan->todos[0].content, "Schema for search");
  EXPECT_EQ(plan->todos[0].intent, "Design the search schema ({{unknown}} stays).\n");
  EXPECT_EQ(plan->todos[0].docs, (Strings{"search", "schema"}));
  EXPECT_EQ(plan->todos[1].blocked_by, Strings{"search-schema"});
  EXPECT_EQ(plan->todos[1].estimate_mins, 3);
  EXPECT_TRUE(plan->warnings.empty());
}

TEST(ParseTemplate, MappingKeysAreNotSubstituted) {
  auto plan = ParseTemplate("name: x\n\"{{k}}\": v\n", "t.yaml", {{"k", "overview"}});
  ASSERT_FALSE(plan.has_value());  // the key stays "{{k}}", which no plan defines
  EXPECT_NE(plan.error().message.find("t.yaml:2:1: unknown key \"{{k}}\""), std::string::npos)
      << plan.error().message;
}

TEST(ParseTemplate, ValidatesAfterSubstitution) {
  const char* text = "todos:\n  - {id: \"{{a}}\", content: A}\n  - {id: \"{{b}}\", content: B}\n";
  auto plan = ParseTemplate(text, "t.yaml", {{"a", "same"}, {"b", "same"}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "t.yaml:3:10: duplicate todo id \"same\" at lines 2 and 3; todo ids must be unique "
            "within a plan");
}

TEST(ParseTemplate, TodosMustBeAList) {
  auto plan = ParseTemplate("name: x\ntodos: nope\n", "t.yaml", {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, Code::kParseFailed);
  EXPECT_EQ(plan.error().message, "t.yaml:2:8: todos must be a list of todos, got a string");
}

TEST(ParseTemplate, UnquotedPlaceholderBecomesAMapping) {
  auto plan = ParseTemplate("name: {{x}}\n", "t.yaml", {{"x", "y"}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().message.find("t.yaml:1:7: name must be a string, got a mapping (quote "
                                      "the value)"),
            std::string::npos)
      << plan.error().message;
}

TEST(ParseTemplate, UnquotedPlaceholderFollowedByTextIsASyntaxError) {
  auto plan = ParseTemplate("name: {{x}} rollout\n", "t.yaml", {{"x", "y"}});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "t.yaml:1:13: invalid YAML: did not find expected key (check this line's indentation "
            "against the lines above)");
}

TEST(ParseTemplate, MarkdownPlanWithFencesIsRejected) {
  auto plan = ParseTemplate("---\nname: x\n---\n# Body\n", "t.yaml", {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "t.yaml:3:1: a second YAML document starts here; a plan holds exactly one");
}

TEST(ParseTemplate, LeadingDocumentMarkerIsFine) {
  auto plan = ParseTemplate("---\nname: x\n", "t.yaml", {});
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->name, "x");
}

TEST(ParseTemplate, EmptyTemplateIsAnError) {
  auto plan = ParseTemplate("# nothing\n", "t.yaml", {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "t.yaml:1:1: the template is empty; expected a mapping with keys such as name, "
            "overview and todos");
}

}  // namespace
}  // namespace tg::plan
