// Plan files fail closed (contract section 10): a typo in a key, a todo without its title, or
// a file that holds no plan is refused at file:line:col with nothing written; --lenient imports
// the rest with a warning per skipped piece. Priority, risk, estimate and tests travel both ways.
#include <gtest/gtest.h>

#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

std::string Write(const Sandbox& sb, const std::string& name, const std::string& text) {
  std::string path = sb.root() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

size_t Plans(const Sandbox& sb) { return sb.Json({"plan", "list"}).size(); }

const char* kTypo = R"(---
name: Typos
todos:
  - id: a
    content: First
  - id: b
    content: Second
    blockedby: [a]
---
)";

TEST(PlanStrict, UnknownTodoKeyIsRefusedAtItsPlaceWithTheClosestKey) {
  Sandbox sb;
  RunResult r = sb.Run({"import", Write(sb, "typo.md", kTypo)});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("typo.md:8:5: unknown todo key \"blockedby\"; did you mean \"blockedBy\"?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--lenient"), std::string::npos) << r.err;
  EXPECT_EQ(Plans(sb), 0u);
}

TEST(PlanStrict, LenientImportsTheRestAndWarns) {
  Sandbox sb;
  RunResult r = sb.Run({"import", Write(sb, "typo.md", kTypo), "--lenient"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("typo.md:8: unknown todo key \"blockedby\"; ignored"), std::string::npos)
      << r.err;
  EXPECT_EQ(sb.Json({"status", "--tasks", "--all"}).size(), 2u);
}

TEST(PlanStrict, TitleInsteadOfContentSaysWhereTheTitleGoes) {
  Sandbox sb;
  std::string path =
      Write(sb, "title.md", "---\nname: T\ntodos:\n  - id: a\n    title: First\n---\n");
  RunResult r = sb.Run({"import", path});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("title.md:4:5: a todo's content is missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("content:, not title:"), std::string::npos) << r.err;
  EXPECT_EQ(Plans(sb), 0u);
}

TEST(PlanStrict, UnknownPlanKeyAndWrongTypesAreRefused) {
  Sandbox sb;
  RunResult key = sb.Run({"import", Write(sb, "k.md", "---\nnmae: X\ntodos: []\n---\n")});
  EXPECT_EQ(key.exit_code, 6);
  EXPECT_NE(key.err.find("k.md:2:1: unknown key \"nmae\"; did you mean \"name\"?"),
            std::string::npos)
      << key.err;
  std::string typed =
      "---\nname: X\ntodos:\n  - id: a\n    content: A\n    blockedBy: [{x: 1}]\n---\n";
  RunResult type = sb.Run({"import", Write(sb, "t.md", typed)});
  EXPECT_EQ(type.exit_code, 6);
  EXPECT_NE(type.err.find("t.md:6:17: blockedBy entries must be todo ids"), std::string::npos)
      << type.err;
  EXPECT_EQ(Plans(sb), 0u);
}

TEST(PlanStrict, MarkdownChecklistIsNotAnEmptyPlan) {
  Sandbox sb;
  std::string path = Write(sb, "todo.md", "# Sprint\n\n- [ ] write parser\n- [x] schema\n");
  RunResult r = sb.Run({"import", path});
  EXPECT_EQ(r.exit_code, 6) << r.out;
  EXPECT_NE(r.err.find("todo.md:1:1: no plan in this file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Markdown checklist"), std::string::npos) << r.err;
  EXPECT_EQ(Plans(sb), 0u);
}

TEST(PlanStrict, LegacyKeywordTypoIsRefused) {
  Sandbox sb;
  std::string path =
      Write(sb, "l.txt", "# L\nTASK: a\nTITLE: First\nTASK: b\nTITLE: Second\nBLOCKEDBY: a\n");
  RunResult r = sb.Run({"import", path});
  EXPECT_EQ(r.exit_code, 6) << r.out;
  EXPECT_NE(r.err.find("l.txt:6:1: unknown keyword \"BLOCKEDBY:\"; did you mean \"BLOCKED_BY:\"?"),
            std::string::npos)
      << r.err;
}

const char* kRich = R"(---
name: Rich
todos:
  - id: low
    content: Later
  - id: urgent
    content: First things first
    priority: 1
    risk: high
    estimate: 90m
    tests: ["ctest -R Parser", "tg doctor is clean"]
  - id: plain
    content: Minutes as a number
    estimate: 45
    priority: "2"
---
)";

TEST(PlanStrict, PriorityRiskEstimateAndTestsReachTheTask) {
  Sandbox sb;
  sb.Ok({"import", Write(sb, "rich.md", kRich)});
  json next = sb.Json({"next"});
  ASSERT_GE(next.size(), 3u);
  EXPECT_EQ(next[0]["title"], "First things first");  // priority 1 before unset
  EXPECT_EQ(next[1]["title"], "Minutes as a number");
  std::string urgent = next[0]["hash_id"];
  json show = sb.Json({"show", urgent});
  EXPECT_EQ(show["priority"], 1);
  EXPECT_EQ(show["risk"], "high");
  EXPECT_EQ(show["estimate_mins"], 90);
  EXPECT_EQ(show["tests"], json::array({"ctest -R Parser", "tg doctor is clean"}));
  EXPECT_EQ(sb.Json({"show", next[1]["hash_id"]})["estimate_mins"], 45);
}

TEST(PlanStrict, ContextCarriesTheTodosTestsAndThePlansTests) {
  Sandbox sb;
  std::string text = kRich;
  text.replace(text.find("name: Rich\n"), 11, "name: Rich\ntests: [\"the whole suite passes\"]\n");
  sb.Ok({"import", Write(sb, "rich.md", text)});
  std::string urgent = sb.Json({"next"})[0]["hash_id"];
  json c = sb.Json({"context", urgent});
  EXPECT_EQ(c["tests"], json::array({"ctest -R Parser", "tg doctor is clean"}));
  EXPECT_EQ(c["plan_tests"], json::array({"the whole suite passes"}));
  EXPECT_EQ(c["priority"], 1);
  EXPECT_EQ(c["risk"], "high");
  EXPECT_EQ(c["estimate_mins"], 90);
  std::string human = sb.Ok({"context", urgent, "--human"});
  EXPECT_NE(human.find("Tests:\n  - ctest -R Parser\n"), std::string::npos) << human;
  EXPECT_NE(human.find("Plan tests:\n  - the whole suite passes\n"), std::string::npos) << human;
}

TEST(PlanStrict, ExportWritesTheNewKeysBack) {
  Sandbox sb;
  sb.Ok({"import", Write(sb, "rich.md", kRich)});
  std::string out = sb.root() + "/back.md";
  sb.Ok({"export", "markdown", "--plan", "Rich", "--out", out});
  Sandbox other;
  other.Ok({"import", out});
  json a = sb.Json({"status", "--tasks", "--all"}), b = other.Json({"status", "--tasks", "--all"});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    json sa = sb.Json({"show", a[i]["hash_id"]}), sbb = other.Json({"show", b[i]["hash_id"]});
    for (const char* k : {"title", "priority", "risk", "estimate_mins", "tests"}) {
      EXPECT_EQ(sa[k], sbb[k]) << k << " of " << sa["title"];
    }
  }
}

TEST(PlanStrict, BadValuesOfTheNewKeysAreRefused) {
  Sandbox sb;
  for (auto [value, want] : std::vector<std::pair<std::string, std::string>>{
           {"priority: high", "priority must be a whole number from 0 to 1000000, got \"high\""},
           {"risk: extreme", "unknown risk \"extreme\" (expected low, medium or high)"},
           {"estimate: soon", "estimate must be minutes or a duration"}}) {
    std::string text = "---\nname: V\ntodos:\n  - id: a\n    content: A\n    " + value + "\n---\n";
    RunResult r = sb.Run({"import", Write(sb, "v.md", text)});
    EXPECT_EQ(r.exit_code, 6) << value;
    EXPECT_NE(r.err.find("v.md:6:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(want), std::string::npos) << r.err;
  }
  EXPECT_EQ(Plans(sb), 0u);
}

}  // namespace
}  // namespace tg::test
