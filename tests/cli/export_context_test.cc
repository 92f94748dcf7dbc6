// tg export, tg context (+ --hive), tg plan summary, tg setup.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

struct TwoPlans {
  Sandbox sb;
  std::string p, q, a, b, c, x;
  TwoPlans() {
    p = sb.NewPlan("Parser");
    q = sb.NewPlan("Other");
    a = sb.NewTask(p, "Schema \"v2\"");
    b = sb.NewTask(p, "Parser");
    c = sb.NewTask(p, "CLI");
    x = sb.NewTask(q, "Elsewhere");
    sb.Ok({"edge", "add", a, "blocks", b});
    sb.Ok({"edge", "add", b, "relates", c});
    sb.Ok({"edge", "add", x, "blocks", c});  // crosses plans
  }
};

TEST(Export, DotIsAcceptedByGraphviz) {
  TwoPlans g;
  RunResult r = g.sb.Run({"export", "dot"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\\\"v2\\\""), std::string::npos);  // quotes escaped
  if (!fs::exists("/usr/bin/dot")) GTEST_SKIP() << "graphviz not installed (scripts/deps.sh)";
  RunOptions o;
  o.argv = {"/usr/bin/dot", "-Tsvg"};
  o.input = r.out;
  o.env = {"PATH=/usr/bin:/bin"};
  RunResult svg = RunProcess(o);
  EXPECT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
}

TEST(Export, PlanFilterFiltersEdgesToo) {
  TwoPlans g;
  std::string all = g.sb.Ok({"export", "mermaid"});
  std::string one = g.sb.Ok({"export", "mermaid", "--plan", "Parser"});
  auto count = [](const std::string& s, const std::string& needle) {
    size_t n = 0;
    for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count(all, "-->"), 2u);
  EXPECT_EQ(count(one, "-->"), 1u);  // the cross-plan edge is gone with its node
  EXPECT_EQ(count(one, "-.-"), 1u);
  EXPECT_EQ(one.find("Elsewhere"), std::string::npos);
  EXPECT_NE(one.find("#quot;v2#quot;"), std::string::npos);
  json j = g.sb.Json({"export", "json", "--plan", g.p});
  EXPECT_EQ(j["tasks"].size(), 3u);
  EXPECT_EQ(j["edges"].size(), 2u);
}

TEST(Export, MarkdownWritesAFileThatImportsBack) {
  TwoPlans g;
  g.sb.Ok({"done", g.a, "--evidence", "x", "--force"});
  std::string out = g.sb.root() + "/out/parser.md";
  g.sb.Ok({"export", "markdown", "--plan", "Parser", "--out", out});
  ASSERT_TRUE(fs::exists(out));
  Sandbox copy;
  json r = copy.Json({"import", out});
  EXPECT_EQ(r["created"], 3);
  EXPECT_EQ(r["edges_added"], 1);
  json tasks = copy.Json({"status", "--tasks", "--all"});
  std::map<std::string, std::string> status;
  for (const auto& t : tasks) status[t["title"]] = t["status"];
  EXPECT_EQ(status["Schema \"v2\""], "done");
  EXPECT_EQ(status["Parser"], "todo");
  EXPECT_EQ(g.sb.Run({"export", "markdown"}).exit_code, 2);  // --plan is required
}

TEST(Context, CarriesPlanDocsBlockersEvidenceAndNotes) {
  Sandbox sb;
  std::ofstream(sb.root() + "/plan.md") << "---\nname: P\noverview: The big picture.\n"
                                           "fileTree: |\n  src/a.cc\nrisks:\n  - description: d\n"
                                           "    severity: high\n    mitigation: m\ntodos:\n"
                                           "  - id: a\n    content: A\n  - id: b\n    content: B\n"
                                           "    blockedBy: [a]\n    docs: [backend]\n"
                                           "    skill: cpp\n    intent: Do B.\n---\n";
  sb.Ok({"import", sb.root() + "/plan.md"});
  json tasks = sb.Json({"status", "--tasks"});
  std::string a = tasks[0]["hash_id"], b = tasks[1]["hash_id"];
  sb.Ok({"start", a});
  sb.Ok({"done", a, "--evidence", "schema merged in #12"});
  sb.Ok({"note", b, "--msg", "watch the encoding", "--agent", "alice"});
  json c = sb.Json({"context", b});
  EXPECT_EQ(c["title"], "B");
  EXPECT_EQ(c["intent"], "Do B.");
  EXPECT_EQ(c["plan_overview"], "The big picture.");
  EXPECT_EQ(c["doc_paths"], json::array({"docs/backend.md"}));
  EXPECT_EQ(c["skill_docs"], json::array({"docs/skills/cpp.md"}));
  EXPECT_EQ(c["file_tree"], "src/a.cc\n");
  EXPECT_EQ(c["risks"][0]["severity"], "high");
  EXPECT_EQ(c["immediate_blockers"][0]["evidence"], "schema merged in #12");
  EXPECT_EQ(c["notes"][0]["message"], "watch the encoding");
  EXPECT_GT(c["token_estimate"].get<int>(), 0);
  RunResult human = sb.Run({"context", b, "--human"});
  EXPECT_NE(human.out.find("[evidence: schema merged in #12]"), std::string::npos);
  EXPECT_EQ(sb.Run({"context"}).exit_code, 2);
}

TEST(Context, CompactsToTheTokenBudget) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  sb.Ok({"done", a, "--force", "--evidence", std::string(4000, 'e')});
  json full = sb.Json({"context", b});
  EXPECT_TRUE(full["compacted"].empty());
  std::ofstream(sb.root() + "/.taskgraph/config.json") << "{\"context_token_budget\": 300}\n";
  json small = sb.Json({"context", b});
  EXPECT_LE(small["token_estimate"].get<int>(), 300);
  EXPECT_EQ(small["compacted"][0], "blocker_evidence");
  EXPECT_LT(small["immediate_blockers"][0]["evidence"].get<std::string>().size(), 200u);
}

TEST(Context, HiveShowsEachAgentsWorkAndHeartbeat) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"start", a, "--agent", "alice"});
  sb.Ok({"start", b, "--agent", "bob"});
  sb.Ok({"note", a, "--agent", "alice", "--msg",
         R"({"type":"heartbeat","phase":"mid-work","files":["src/a.cc"]})"});
  json h = sb.Json({"context", "--hive"});
  EXPECT_EQ(h["doing_count"], 2);
  std::map<std::string, json> by_agent;
  for (const auto& t : h["tasks"]) by_agent[t["agent_name"]] = t;
  EXPECT_EQ(by_agent["alice"]["heartbeat_phase"], "mid-work");
  EXPECT_EQ(by_agent["alice"]["heartbeat_files"], json::array({"src/a.cc"}));
  EXPECT_TRUE(by_agent["bob"]["heartbeat_phase"].is_null());
}

TEST(PlanSummary, ListsDeliverablesWithEvidence) {
  Sandbox sb;
  std::string p = sb.NewPlan("Ship it");
  std::string a = sb.NewTask(p, "Build"), b = sb.NewTask(p, "Test");
  sb.Ok({"note", a, "--msg", "faster than expected"});
  sb.Ok({"done", a, "--force", "--evidence", "binary built"});
  RunResult r = sb.Run({"plan", "summary", "--plan", "Ship it"});
  EXPECT_NE(r.out.find("plan: Ship it — 2 tasks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- Build: binary built"), std::string::npos);
  EXPECT_NE(r.out.find("- faster than expected"), std::string::npos);
  json j = sb.Json({"plan", "summary", "--plan", p});
  EXPECT_EQ(j["done_tasks"].size(), 1u);
  (void)b;
}

TEST(Setup, WritesTheAgentFilesWithoutOverwriting) {
  Sandbox sb;
  fs::create_directories(sb.root() + "/proj");
  json first = sb.Json({"setup", "--path", sb.root() + "/proj"});
  EXPECT_TRUE(fs::exists(sb.root() + "/proj/AGENTS.md"));
  EXPECT_TRUE(fs::exists(sb.root() + "/proj/docs/skills/README.md"));
  EXPECT_FALSE(fs::exists(sb.root() + "/proj/.cursor"));
  std::ofstream(sb.root() + "/proj/AGENTS.md") << "mine\n";
  json second = sb.Json({"setup", "--path", sb.root() + "/proj", "--cursor"});
  EXPECT_EQ(second["created"], json::array({".cursor/rules/tg.mdc"}));
  EXPECT_EQ(second["skipped"].size(), first["created"].size());
  std::ifstream in(sb.root() + "/proj/AGENTS.md");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "mine\n");
  sb.Ok({"setup", "--path", sb.root() + "/proj", "--force"});
  std::ifstream in2(sb.root() + "/proj/AGENTS.md");
  std::string replaced((std::istreambuf_iterator<char>(in2)), {});
  EXPECT_NE(replaced.find("tg next"), std::string::npos);
}

}  // namespace
}  // namespace tg::test
