// tg import and tg template apply (contract section 5), on small plans written by the tests.
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

const char* kPlan = R"(---
name: Import pipeline
overview: Read plans into the graph.
fileTree: |
  src/plan/parser.cc (create)
risks:
  - description: YAML edge cases
    severity: medium
    mitigation: fuzz it
todos:
  - id: cli
    content: Wire the CLI
    blockedBy: [parser]
  - id: schema
    content: Define the schema
    status: completed
    docs: backend
  - id: parser
    content: Write the parser
    blockedBy: [schema]
    skill: cpp
    changeType: create
    intent: Parse cursor plans.
  - id: docs
    content: Document it
---
Body text is ignored.
)";

json TaskByKey(const Sandbox& sb, const std::string& key) {
  for (const auto& t : sb.Json({"status", "--tasks", "--all"})) {
    if (t["external_key"] == key) return sb.Json({"show", t["hash_id"]});
  }
  ADD_FAILURE() << "no task with key " << key;
  return json();
}

TEST(Import, CreatesPlanTasksEdgesAndStatusesWithForwardReferences) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  json r = sb.Json({"import", f});
  EXPECT_EQ(r["plan_created"], true);
  EXPECT_EQ(r["plan"]["title"], "Import pipeline");
  EXPECT_EQ(r["created"], 4);
  EXPECT_EQ(r["edges_added"], 2);  // cli <- parser is a forward reference: kept
  EXPECT_EQ(TaskByKey(sb, "schema")["status"], "done");
  EXPECT_EQ(TaskByKey(sb, "parser")["status"], "todo");
  json cli = TaskByKey(sb, "cli");
  EXPECT_EQ(cli["status"], "blocked");
  json parser = TaskByKey(sb, "parser");
  EXPECT_EQ(parser["intent"], "Parse cursor plans.");
  EXPECT_EQ(parser["change_type"], "create");
  EXPECT_EQ(parser["skills"], json::array({"cpp"}));
  EXPECT_EQ(sb.Json({"log"}).size(), 1u);                       // one import = one commit
  EXPECT_EQ(sb.Json({"plan", "list"})[0]["status"], "active");  // has done work
}

TEST(Import, ReimportingTheSameFileChangesNothing) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  sb.Ok({"import", f});
  size_t commits = sb.Json({"log"}).size();
  json r = sb.Json({"import", f});
  EXPECT_EQ(r["plan_created"], false);
  EXPECT_EQ(r["created"], 0);
  EXPECT_EQ(r["updated"], 0);
  EXPECT_EQ(r["unchanged"], 4);
  EXPECT_TRUE(r["commit_id"].is_null());
  EXPECT_EQ(sb.Json({"log"}).size(), commits);
  EXPECT_EQ(sb.Json({"plan", "list"}).size(), 1u);
}

// A todo may name the same blocker twice: that is one edge, on a first import (every task new)
// and on a re-import that adds a todo blocked twice by a task that already exists.
TEST(Import, ABlockerListedTwiceIsOneEdge) {
  Sandbox sb;
  const std::string head =
      "---\nname: Twice\ntodos:\n  - id: a\n    content: A\n"
      "  - id: b\n    content: B\n    blockedBy: [a, a]\n";
  std::string f = Write(sb, "plan.md", head + "---\n");
  json r = sb.Json({"import", f});
  EXPECT_EQ(r["edges_added"], 1);
  EXPECT_EQ(TaskByKey(sb, "b")["blockers"].size(), 1u);
  Write(sb, "plan.md", head + "  - id: c\n    content: C\n    blockedBy: [b, a, b]\n---\n");
  r = sb.Json({"import", f});
  EXPECT_EQ(r["created"], 1);
  EXPECT_EQ(r["edges_added"], 2);
  EXPECT_EQ(r["edges_removed"], 0);
  EXPECT_EQ(TaskByKey(sb, "c")["blockers"].size(), 2u);
  EXPECT_EQ(TaskByKey(sb, "b")["blockers"].size(), 1u);
}

TEST(Import, ReimportOnlyMovesTasksForward) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  sb.Ok({"import", f});
  std::string parser = TaskByKey(sb, "parser")["hash_id"];
  std::string docs = TaskByKey(sb, "docs")["hash_id"];
  sb.Ok({"start", docs, "--agent", "alice"});
  // The edited file marks parser and docs completed and reopens schema.
  std::string edited = kPlan;
  edited.replace(edited.find("    status: completed\n"), 22, "    status: pending\n");
  edited.replace(edited.find("    intent: Parse"), 0, "    status: completed\n");
  edited.replace(edited.find("    content: Document it\n"), 24,
                 "    content: Document it\n    status: completed\n");
  Write(sb, "plan.md", edited);
  json r = sb.Json({"import", f});
  EXPECT_EQ(TaskByKey(sb, "schema")["status"], "done");  // never reopened
  EXPECT_EQ(TaskByKey(sb, "parser")["status"], "done");  // moved forward
  EXPECT_EQ(TaskByKey(sb, "cli")["status"], "todo");     // its blocker is done now
  json d = TaskByKey(sb, "docs");
  EXPECT_EQ(d["status"], "doing");  // a claim is never taken away
  EXPECT_EQ(d["claimed_by"], "alice");
  ASSERT_EQ(r["conflicts"].size(), 1u);
  EXPECT_EQ(r["conflicts"][0]["key"], "docs");
  (void)parser;
}

TEST(Import, RemovedTodosNeedForceOrReplace) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  sb.Ok({"import", f});
  std::string fewer = kPlan;
  fewer.erase(fewer.find("  - id: docs\n"),
              std::string("  - id: docs\n    content: Document it\n").size());
  Write(sb, "plan.md", fewer);
  size_t commits = sb.Json({"log"}).size();
  RunResult refused = sb.Run({"import", f, "--json"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_EQ(json::parse(refused.out)["error"]["code"], "IMPORT_CONFLICT");
  EXPECT_NE(refused.err.find("unmatched: docs"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("--force"), std::string::npos);
  EXPECT_EQ(sb.Json({"log"}).size(), commits);
  json kept = sb.Json({"import", f, "--force"});
  EXPECT_EQ(kept["kept_unmatched"], json::array({"docs"}));
  EXPECT_EQ(TaskByKey(sb, "docs")["status"], "todo");
  json replaced = sb.Json({"import", f, "--replace"});
  EXPECT_EQ(replaced["canceled"], 1);
  EXPECT_EQ(TaskByKey(sb, "docs")["status"], "canceled");
  sb.Ok({"import", f});  // canceled tasks no longer count as unmatched
}

TEST(Import, MalformedFileFailsWithLocationAndWritesNothing) {
  Sandbox sb;
  std::string f =
      Write(sb, "bad.md", "---\nname: Bad\ntodos:\n  - id: a\n    content: \"unclosed\n---\n");
  RunResult r = sb.Run({"import", f, "--json"});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "PARSE_FAILED");
  EXPECT_NE(r.err.find("bad.md:"), std::string::npos) << r.err;
  EXPECT_TRUE(sb.Json({"plan", "list"}).empty());
  EXPECT_TRUE(sb.Json({"log"}).empty());
}

TEST(Import, DuplicateKeysIdsCyclesAndUnknownReferencesAreRefused) {
  Sandbox sb;
  struct Case {
    const char* text;
    int exit;
    const char* needle;
  } cases[] = {
      {"---\nname: A\nname: B\n---\n", 6, "name"},
      {"---\ntodos:\n  - id: a\n    content: A\n  - id: a\n    content: B\n---\n", 6, "a"},
      {"---\ntodos:\n  - id: a\n    content: A\n    blockedBy: [b]\n  - id: b\n    content: B\n"
       "    blockedBy: [a]\n---\n",
       4, "->"},
      {"---\ntodos:\n  - id: a\n    content: A\n    blockedBy: [ghost]\n---\n", 6, "ghost"},
  };
  for (const auto& c : cases) {
    std::string f = Write(sb, "case.md", c.text);
    RunResult r = sb.Run({"import", f});
    EXPECT_EQ(r.exit_code, c.exit) << c.text << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("case.md:"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(sb.Json({"plan", "list"}).empty());
}

// kPlan imported from plan.md, plus an edge made by hand: cli blocks docs. Returns the file.
struct HandEdge {
  std::string file, cli, docs;
};
HandEdge ImportWithHandEdge(const Sandbox& sb) {
  HandEdge h{Write(sb, "plan.md", kPlan), "", ""};
  sb.Ok({"import", h.file});
  h.cli = TaskByKey(sb, "cli")["hash_id"];
  h.docs = TaskByKey(sb, "docs")["hash_id"];
  sb.Ok({"edge", "add", h.cli, "blocks", h.docs});
  return h;
}

// The file alone has no cycle; with an edge added by hand it would close one.
TEST(Import, CycleThroughAHandMadeEdgeIsRefusedAndWritesNothing) {
  Sandbox sb;
  auto [f, cli, docs] = ImportWithHandEdge(sb);
  std::string edited = kPlan;  // docs now blocks the schema: schema -> parser -> cli -> docs
  edited.replace(edited.find("    status: completed\n    docs: backend\n"), 0,
                 "    blockedBy: [docs]\n");
  Write(sb, "plan.md", edited);
  size_t commits = sb.Json({"log"}).size();
  RunResult r = sb.Run({"import", f, "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "CYCLE_DETECTED");
  EXPECT_NE(r.err.find(docs), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(cli), std::string::npos) << r.err;
  EXPECT_EQ(sb.Json({"log"}).size(), commits);
  EXPECT_TRUE(TaskByKey(sb, "schema")["blocked_by"].empty());
}

// A cycle through a task the import would create names that task by its todo id: its short id
// was never written.
TEST(Import, CycleThroughANewTaskNamesItsTodo) {
  Sandbox sb;
  auto [f, cli, docs] = ImportWithHandEdge(sb);
  std::string edited = kPlan;  // schema -> parser -> cli -> docs -> review -> schema
  edited.replace(edited.find("    status: completed\n    docs: backend\n"), 0,
                 "    blockedBy: [review]\n");
  edited.replace(edited.find("---\nBody"), 0,
                 "  - id: review\n    content: Review it\n    blockedBy: [docs]\n");
  Write(sb, "plan.md", edited);
  RunResult r = sb.Run({"import", f});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("todo review"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(docs), std::string::npos) << r.err;
  RunResult missing = sb.Run({"show", "review"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(sb.Json({"status", "--tasks", "--all"}).size(), 4u);  // nothing was written
}

// A new todo waiting on an existing, unfinished task starts blocked; one waiting on a finished
// task starts runnable.
TEST(Import, NewTasksStartBlockedOnlyByUnfinishedBlockers) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  sb.Ok({"import", f});
  std::string more = kPlan;
  more.replace(more.find("---\nBody"), 0,
               "  - id: release\n    content: Release it\n    blockedBy: [docs]\n"
               "  - id: announce\n    content: Announce it\n    blockedBy: [schema]\n");
  Write(sb, "plan.md", more);
  json r = sb.Json({"import", f});
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(r["edges_added"], 2);
  EXPECT_EQ(TaskByKey(sb, "release")["status"], "blocked");
  EXPECT_EQ(TaskByKey(sb, "announce")["status"], "todo");
  EXPECT_TRUE(sb.Json({"doctor"})["ok"]);
}

TEST(Import, MissingFileIsFileNotFound) {
  Sandbox sb;
  RunResult r = sb.Run({"import", "nope.md", "--json"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "FILE_NOT_FOUND");
}

TEST(Import, PlanIsFoundByIdTitleOrSourcePath) {
  Sandbox sb;
  std::string f = Write(sb, "plan.md", kPlan);
  json first = sb.Json({"import", f, "--plan", "Renamed"});
  EXPECT_EQ(first["plan"]["title"], "Renamed");
  // No --plan and the frontmatter name differs: the earlier import of this file is found.
  json again = sb.Json({"import", f});
  EXPECT_EQ(again["plan"]["plan_id"], first["plan"]["plan_id"]);
  json by_id = sb.Json({"import", f, "--plan", first["plan"]["hash_id"]});
  EXPECT_EQ(by_id["plan"]["plan_id"], first["plan"]["plan_id"]);
  EXPECT_EQ(sb.Json({"plan", "list"}).size(), 1u);
}

TEST(Import, LegacyFormat) {
  Sandbox sb;
  std::string f = Write(sb, "legacy.txt",
                        "# Legacy plan\nINTENT: old style\nTASK: a\nTITLE: First\nAREA: core\n"
                        "ACCEPTANCE:\n- it works\nTASK: b\nTITLE: Second\nBLOCKED_BY: a\n");
  json r = sb.Json({"import", f, "--format", "legacy"});
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(r["plan"]["title"], "Legacy plan");
  json a = TaskByKey(sb, "a");
  EXPECT_EQ(a["area"], "core");
  EXPECT_EQ(a["acceptance"], json::array({"it works"}));
  EXPECT_EQ(TaskByKey(sb, "b")["status"], "blocked");
}

TEST(Template, ApplySubstitutesVariables) {
  Sandbox sb;
  std::string f = Write(sb, "feature.yaml",
                        "name: \"Feature {{feature}}\"\noverview: \"Build {{feature}}\"\n"
                        "todos:\n  - id: impl\n    content: \"Implement {{feature}}\"\n"
                        "  - id: test\n    content: \"Test {{feature}} ({{missing}})\"\n"
                        "    blockedBy: [impl]\n");
  json r = sb.Json({"template", "apply", f, "--plan", "Login", "--var", "feature=login"});
  EXPECT_EQ(r["plan"]["title"], "Login");
  EXPECT_EQ(r["created"], 2);
  EXPECT_EQ(TaskByKey(sb, "impl")["title"], "Implement login");
  json t = TaskByKey(sb, "test");
  EXPECT_EQ(t["title"], "Test login ({{missing}})");
  EXPECT_EQ(t["status"], "blocked");
  EXPECT_EQ(sb.Run({"template", "apply", f, "--plan", "X", "--var", "novalue"}).exit_code, 6);
}

}  // namespace
}  // namespace tg::test
