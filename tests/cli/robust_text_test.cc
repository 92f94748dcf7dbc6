// Issue 9, "nothing crashes": every text input is checked where it enters, stored text that
// an older tg let in keeps every command working, and human output never hands a terminal a
// raw control character.
#include <gtest/gtest.h>

#include <set>

#include "support/sandbox.h"

namespace tg::test {
namespace {

size_t Commits(const Sandbox& sb) { return sb.Json({"log", "--limit", "100000"}).size(); }

bool HasRawControl(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return true;
  }
  return s.find("\xC2\x9B") != std::string::npos;
}

// The issue's repro, for every field: `task update T --title $'x\xff'` used to store the bytes
// and then abort `next --json`, `status --json` and `show --json` for every agent (exit 134);
// through --commit-msg it broke `log --json` for good. Each field is refused up front, naming
// it, and nothing is written.
TEST(RobustText, InvalidUtf8InAnyTextInputIsRefusedNamingTheField) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"start", t, "--agent", "a"});
  const std::string bad = "x\xff";
  struct Case {
    std::vector<std::string> args;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{"task", "update", t, "--title", bad}, "task title"},
      {{"task", "update", t, "--intent", bad}, "intent"},
      {{"task", "update", t, "--area", bad}, "area"},
      {{"task", "update", t, "--feature", bad}, "feature key"},
      {{"task", "update", t, "--doc", bad}, "doc slug"},
      {{"task", "update", t, "--skill", bad}, "skill slug"},
      {{"task", "new", bad, "--plan", p}, "task title"},
      {{"plan", "new", bad}, "plan title"},
      {{"plan", "new", "Q", "--intent", bad}, "plan intent"},
      {{"note", t, "--msg", bad, "--agent", "a"}, "note"},
      {{"done", t, "--evidence", bad, "--agent", "a"}, "evidence"},
      {{"reopen", t, "--reason", bad}, "reason"},
      {{"cancel", t, "--reason", bad}, "reason"},
      {{"edge", "add", t, "relates", t, "--reason", bad}, "reason"},
      {{"gate", "create", bad, "--task", t}, "gate name"},
      {{"split", t, "--into", bad + "|B"}, "task title"},
      {{"note", t, "--msg", "m", "--agent", bad}, "agent name"},
      {{"--commit-msg", bad, "plan", "new", "Q"}, "commit message"},
  };
  size_t commits = Commits(sb);
  for (const auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("--json");
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 6) << c.args[0] << " " << c.field << ": " << r.err;
    ASSERT_FALSE(r.out.empty()) << c.field;
    json j = json::parse(r.out);
    EXPECT_EQ(j["error"]["code"], "VALIDATION_FAILED") << r.out;
    EXPECT_NE(r.err.find("the " + c.field + " is not valid UTF-8"), std::string::npos) << r.err;
  }
  RunResult env = sb.Run({"note", t, "--msg", "m", "--json"}, {{"TG_AGENT", bad}});
  EXPECT_EQ(env.exit_code, 6) << env.err;
  EXPECT_EQ(Commits(sb), commits);
  for (auto args : std::vector<std::vector<std::string>>{
           {"next", "--json"}, {"status", "--json"}, {"show", t, "--json"}, {"log", "--json"}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded()) << args[0];
  }
}

// Single-line fields hold no line break or control character; multi-line ones (notes,
// evidence, intents) may hold line feeds, but no escape sequences.
TEST(RobustText, ControlCharactersAreRefusedByTheFieldsRule) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  RunResult title = sb.Run({"task", "update", t, "--title", "two\nlines"});
  EXPECT_EQ(title.exit_code, 6);
  EXPECT_NE(title.err.find("the task title contains a line break"), std::string::npos) << title.err;
  RunResult esc = sb.Run({"task", "update", t, "--area", "\x1b[31mred"});
  EXPECT_EQ(esc.exit_code, 6);
  EXPECT_NE(esc.err.find("the area contains the control character U+001B at character 1"),
            std::string::npos)
      << esc.err;
  RunResult reason = sb.Run({"cancel", t, "--reason", "a\nb"});
  EXPECT_EQ(reason.exit_code, 6) << reason.err;
  RunResult nul_note = sb.Run({"note", t, "--msg", "bell\x07"});
  EXPECT_EQ(nul_note.exit_code, 6) << nul_note.err;
  sb.Ok({"note", t, "--msg", "line one\nline two\tand a tab"});
  sb.Ok({"task", "update", t, "--intent", "why\nand how"});
  json show = sb.Json({"show", t});
  EXPECT_EQ(show["intent"], "why\nand how");
  EXPECT_EQ(show["notes"][0]["body"]["message"], "line one\nline two\tand a tab");
}

// A store an older tg filled with invalid bytes and escape sequences (written here behind tg's
// back): JSON output replaces the bytes, human output shows the controls escaped, and doctor
// names the rows.
TEST(RobustText, StoredBadTextKeepsEveryCommandWorking) {
  TG_SKIP_ON_PG("writes bad bytes with the sqlite3 shell");
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"start", t, "--agent", "alice"});
  sb.Ok({"note", t, "--msg", "hello", "--agent", "alice"});
  const std::string evil = "'evil' || char(27) || ']0;pwned' || char(7) || cast(x'ff' as text)";
  sb.Sql("UPDATE tasks SET title = " + evil + ", area = " + evil + " WHERE hash_id = '" + t + "'");
  sb.Sql("UPDATE plans SET title = 'P' || char(27) || '[2J' WHERE hash_id = '" + p + "'");
  sb.Sql("UPDATE commits SET message = 'm' || cast(x'fe' as text), author = 'a' || char(27)");
  sb.Sql(
      "UPDATE events SET body = json_object('message', 'n' || char(27) || '[31m') "
      "WHERE kind = 'note'");
  for (auto args : std::vector<std::vector<std::string>>{{"next", "--json"},
                                                         {"status", "--json"},
                                                         {"status", "--tasks", "--json"},
                                                         {"show", t, "--json"},
                                                         {"log", "--json"},
                                                         {"context", t, "--json"},
                                                         {"context", "--hive", "--json"},
                                                         {"export", "json"},
                                                         {"plan", "list", "--json"}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    json j;
    EXPECT_NO_THROW(j = json::parse(r.out)) << args[0] << ": " << r.out;
    EXPECT_FALSE(HasRawControl(r.out)) << args[0];
  }
  EXPECT_EQ(sb.Json({"show", t})["title"], "evil\x1b]0;pwned\x07\xEF\xBF\xBD");
  for (auto args : std::vector<std::vector<std::string>>{{"status", "--human"},
                                                         {"status", "--tasks", "--human"},
                                                         {"show", t},
                                                         {"log"},
                                                         {"context", t, "--human"},
                                                         {"context", "--hive", "--human"},
                                                         {"plan", "list"},
                                                         {"export", "mermaid"}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_FALSE(HasRawControl(r.out)) << args[0] << ": " << r.out;
  }
  RunResult show = sb.Run({"show", t});
  EXPECT_NE(show.out.find("evil\\u001b]0;pwned\\u0007\xEF\xBF\xBD"), std::string::npos) << show.out;
  RunResult doctor = sb.Run({"doctor", "--json"});
  EXPECT_EQ(doctor.exit_code, 7);
  std::set<std::string> checks;
  json report = json::parse(doctor.out);
  for (const auto& f : report["findings"]) {
    checks.insert(f["check"].get<std::string>());
  }
  EXPECT_TRUE(checks.contains("text")) << doctor.out;
  EXPECT_TRUE(checks.contains("title")) << doctor.out;
  EXPECT_NE(doctor.out.find("tasks.title of 'tg-"), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find("the message of commit"), std::string::npos) << doctor.out;
}

// A note body is whatever JSON an agent or an older tool stored: every reader takes any type.
// `{"type":5}` from a claimant used to abort, and then broke `tg context --hive` for everyone.
TEST(RobustText, NoteBodiesOfAnyJsonTypeAreReadTolerantly) {
  TG_SKIP_ON_PG("writes rows with the sqlite3 shell");
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  sb.Ok({"start", t, "--agent", "alice"});
  for (const char* msg : {R"({"type":5})", R"({"type":"heartbeat","phase":5,"files":"x"})",
                          R"({"type":"heartbeat","files":[1,null,"a.cc"]})", "5", "[1,2]", "null",
                          R"("just a string")", R"({"message":{"nested":true}})"}) {
    sb.Ok({"note", t, "--msg", msg, "--agent", "alice"});
  }
  // Bodies tg itself never writes, as another tool might leave them.
  for (const char* body : {"5", "'[1]'", "'\"text\"'", "'null'", "'{\"message\":5}'"}) {
    sb.Sql(std::string("INSERT INTO events (event_id, task_id, kind, body, agent, created_at) "
                       "SELECT lower(hex(randomblob(16))), task_id, 'note', ") +
           body + ", 'bob', '2026-01-01T00:00:00.000Z' FROM tasks WHERE hash_id = '" + t + "'");
  }
  sb.Sql("UPDATE plans SET risks = '[5, \"x\", {\"severity\": 3}]' WHERE hash_id = '" + p + "'");
  for (auto args : std::vector<std::vector<std::string>>{{"show", t, "--json"},
                                                         {"show", t},
                                                         {"context", t, "--json"},
                                                         {"context", t, "--human"},
                                                         {"context", "--hive", "--json"},
                                                         {"context", "--hive", "--human"},
                                                         {"plan", "summary", "--plan", p},
                                                         {"export", "markdown", "--plan", p}}) {
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }
  json hive = sb.Json({"context", "--hive"});
  ASSERT_EQ(hive["tasks"].size(), 1u);
  EXPECT_EQ(hive["tasks"][0]["heartbeat_files"], json::array({"a.cc"}));
}

// --checks nested 2,000 deep was INTERNAL (SQLite's json_valid refused it at the insert).
TEST(RobustText, DeeplyNestedJsonIsValidationFailed) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t});
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  RunResult checks = sb.Run({"done", t, "--evidence", "e", "--checks", deep, "--json"});
  EXPECT_EQ(checks.exit_code, 6) << checks.err;
  EXPECT_EQ(json::parse(checks.out)["error"]["code"], "VALIDATION_FAILED");
  EXPECT_NE(checks.err.find("--checks nests 2000 levels deep; at most 64"), std::string::npos)
      << checks.err;
  RunResult acceptance = sb.Run({"task", "update", t, "--acceptance", deep});
  EXPECT_EQ(acceptance.exit_code, 6) << acceptance.err;
  std::string ok = std::string(64, '[') + std::string(64, ']');
  sb.Ok({"done", t, "--evidence", "e", "--checks", ok});
}

// Every error is one line on stderr; a list belongs in the JSON error's details
// (AMBIGUOUS_ID printed five lines).
TEST(RobustText, ErrorsAreOneLineWithTheirListInDetails) {
  Sandbox sb;
  for (int i = 0; i < 7; ++i) sb.NewPlan("Same");
  RunResult r = sb.Run({"plan", "set-priority", "Same", "1", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("matches 7 plans: p-"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" and 2 more; use a plan id"), std::string::npos) << r.err;
  json e = json::parse(r.out)["error"];
  EXPECT_EQ(e["code"], "AMBIGUOUS_ID");
  ASSERT_EQ(e["details"].size(), 7u);
  EXPECT_EQ(e["details"][0]["title"], "Same");
  EXPECT_TRUE(e["details"][0]["hash_id"].get<std::string>().starts_with("p-"));
  RunResult typed = sb.Run({"show", "no\nsuch\ntask"});
  EXPECT_EQ(typed.exit_code, 3);
  EXPECT_EQ(std::count(typed.err.begin(), typed.err.end(), '\n'), 1) << typed.err;
}

}  // namespace
}  // namespace tg::test
