// Reading what happened (contract section 10): show's done evidence, gates that record who
// resolved them and why, log lines that name their tasks, todo keys beside short ids, and
// tg agents.
#include <gtest/gtest.h>

#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

std::map<std::string, std::string> At(const std::string& hhmm, const std::string& agent) {
  return {{"TG_NOW", "2026-11-26T" + hhmm + ":00Z"}, {"TG_AGENT", agent}};
}

TEST(ReadWhatHappened, ShowCarriesTheDoneEvidenceChecksAndTokens) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "Write the parser");
  sb.Ok({"start", t}, At("10:00", "alice"));
  sb.Ok({"done", t, "--evidence", "ctest: 42 passed", "--checks", R"({"tests":"pass"})",
         "--tokens-in", "1200", "--tokens-out", "300", "--tool-calls", "14"},
        At("10:30", "alice"));
  json d = sb.Json({"show", t})["done"];
  EXPECT_EQ(d["agent"], "alice");
  EXPECT_EQ(d["created_at"], "2026-11-26T10:30:00.000Z");
  EXPECT_EQ(d["body"]["evidence"], "ctest: 42 passed");
  EXPECT_EQ(d["body"]["checks"]["tests"], "pass");
  EXPECT_EQ(d["body"]["tokens_in"], 1200);
  std::string human = sb.Ok({"show", t, "--human"});
  EXPECT_NE(human.find("Done by alice at 2026-11-26T10:30:00:"), std::string::npos) << human;
  EXPECT_NE(human.find("Evidence: ctest: 42 passed"), std::string::npos) << human;
  EXPECT_NE(human.find("1200 tokens in, 300 tokens out, 14 tool calls"), std::string::npos)
      << human;
  // An open task has none.
  EXPECT_TRUE(sb.Json({"show", sb.NewTask(sb.NewPlan("Q"), "Open")})["done"].is_null());
}

TEST(ReadWhatHappened, GatesRecordWhoResolvedThemAndWhy) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "Ship it");
  json g = sb.Json({"gate", "create", "Security review", "--task", t});
  json r = sb.Json({"gate", "resolve", g["hash_id"], "--reason", "signed off by Dana"},
                   At("11:00", "dana"));
  EXPECT_EQ(r["resolved_by"], "dana");
  EXPECT_EQ(r["reason"], "signed off by Dana");
  EXPECT_EQ(r["resolved_at"], "2026-11-26T11:00:00.000Z");
  json show = sb.Json({"show", t});
  EXPECT_EQ(show["gates"][0]["resolved_by"], "dana");
  bool event = false;
  for (const auto& e : show["events"]) {
    event |= e["kind"] == "gate_resolved" && e["body"]["reason"] == "signed off by Dana";
  }
  EXPECT_TRUE(event) << show["events"];
  EXPECT_NE(
      sb.Ok({"show", t, "--human"}).find("(by dana, 2026-11-26T11:00:00: signed off by Dana)"),
      std::string::npos);
  // A reason is one line, like every other reason.
  std::string t2 = sb.NewTask(sb.NewPlan("Q"), "Other");
  json g2 = sb.Json({"gate", "create", "Review", "--task", t2});
  RunResult bad = sb.Run({"gate", "resolve", g2["hash_id"], "--reason", "two\nlines"});
  EXPECT_EQ(bad.exit_code, 6) << bad.err;
  EXPECT_EQ(sb.Json({"show", t2})["gates"][0]["status"], "pending");
}

TEST(ReadWhatHappened, LogLinesNameTheirTasks) {
  Sandbox sb;
  std::string plan = sb.NewPlan("P");
  std::string a = sb.NewTask(plan, "Write the parser");
  std::string b = sb.NewTask(plan, "Wire the CLI");
  sb.Ok({"start", a, b}, {{"TG_AGENT", "alice"}});
  json log = sb.Json({"log", "--limit", "1"});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["task_count"], 2);
  ASSERT_EQ(log[0]["tasks"].size(), 2u);
  EXPECT_EQ(log[0]["tasks"][0]["title"], "Write the parser");
  EXPECT_EQ(log[0]["tasks"][1]["hash_id"], b);
  std::string human = sb.Ok({"log", "--limit", "1", "--human"});
  EXPECT_NE(human.find(" - Write the parser, Wire the CLI\n"), std::string::npos) << human;
  // A plan-only commit names no task.
  sb.NewPlan("Empty");
  EXPECT_EQ(sb.Json({"log", "--limit", "1"})[0]["tasks"], json::array());
}

TEST(ReadWhatHappened, ShowAndNextPrintTheTodoKeyBesideTheShortId) {
  Sandbox sb;
  std::string path = sb.root() + "/p.md";
  std::ofstream(path)
      << "---\nname: Keys\ntodos:\n  - id: keygen\n    content: Generate keys\n---\n";
  sb.Ok({"import", path});
  json next = sb.Json({"next"});
  std::string id = next[0]["hash_id"];
  EXPECT_NE(sb.Ok({"show", id, "--human"}).find(id + " (keygen)  Generate keys"),
            std::string::npos);
  EXPECT_NE(sb.Ok({"next", "--human"}).find(id + " (keygen)"), std::string::npos)
      << sb.Ok({"next", "--human"});
}

TEST(ReadWhatHappened, AgentsShowsWhoIsDoingWhat) {
  Sandbox sb;
  std::string plan = sb.NewPlan("Import");
  std::string a = sb.NewTask(plan, "Write the parser");
  std::string b = sb.NewTask(plan, "Wire the CLI");
  std::string other = sb.NewTask(sb.NewPlan("Docs"), "Write the manual");
  sb.Ok({"start", b, "--lease", "10m"}, At("10:00", "bob"));
  sb.Ok({"start", a}, At("10:00", "alice"));
  sb.Ok({"start", other}, At("10:05", "carol"));
  sb.Ok({"note", a, "--msg", R"({"type":"heartbeat","phase":"testing","files":["src/p.cc"]})"},
        At("10:15", "alice"));
  json j = sb.Json({"agents"}, At("10:20", "alice"));
  ASSERT_EQ(j["agents"].size(), 3u);
  json alice = j["agents"][0];
  EXPECT_EQ(alice["agent"], "alice");
  EXPECT_EQ(alice["hash_id"], a);
  EXPECT_EQ(alice["task_title"], "Write the parser");
  EXPECT_EQ(alice["plan_title"], "Import");
  EXPECT_EQ(alice["phase"], "testing");
  EXPECT_EQ(alice["files"], json::array({"src/p.cc"}));
  EXPECT_EQ(alice["last_heartbeat_at"], "2026-11-26T10:15:00.000Z");
  EXPECT_EQ(alice["lease_expired"], false);
  EXPECT_EQ(alice["last_seen_at"], "2026-11-26T10:15:00.000Z");  // the heartbeat renewed it
  json bob = j["agents"][1];
  EXPECT_EQ(bob["agent"], "bob");
  EXPECT_EQ(bob["lease_expired"], true);  // 10 minutes from 10:00
  EXPECT_TRUE(bob["last_heartbeat_at"].is_null());
  EXPECT_EQ(bob["last_seen_at"], "2026-11-26T10:00:00.000Z");  // claimed, never heard from since
  EXPECT_EQ(sb.Json({"agents", "--plan", "Docs"}, At("10:20", "x"))["agents"].size(), 1u);
  std::string human = sb.Ok({"agents", "--human"}, At("10:20", "x"));
  EXPECT_NE(human.find("EXPIRED"), std::string::npos) << human;
  EXPECT_NE(human.find("5m ago"), std::string::npos) << human;  // alice's heartbeat
  Sandbox empty;
  EXPECT_NE(empty.Ok({"agents", "--human"}).find("No agent is working"), std::string::npos);
}

}  // namespace
}  // namespace tg::test
