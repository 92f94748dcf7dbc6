// The tools of tg mcp, in process: the list and its size, argument checking, each tool's
// result shape, refusals as tool errors, identity, and other writers between calls.
#include "app/claims.h"
#include "unit/mcp/mcp_test_util.h"

namespace tg::mcp {
namespace {

class ToolsTest : public McpTest {
 protected:
  void SetUp() override {
    McpTest::SetUp();
    Initialize();
  }
  // The structuredContent of a successful call.
  Json Ok(const std::string& tool, Json args = Json::object()) {
    Json r = Call(tool, std::move(args));
    EXPECT_EQ(r["isError"], false) << r.dump();
    return r["structuredContent"];
  }
  // The error of a refused call.
  Json Refused(const std::string& tool, Json args = Json::object()) {
    Json r = Call(tool, std::move(args));
    EXPECT_EQ(r["isError"], true) << r.dump();
    return r["structuredContent"]["error"];
  }
};

TEST_F(ToolsTest, ListsExactlyTheContractsTools) {
  Json tools = Request("tools/list")["result"]["tools"];
  std::vector<std::string> names;
  for (const auto& t : tools) names.push_back(t["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"tg_status", "tg_next", "tg_show", "tg_context", "tg_start",
                                      "tg_done", "tg_note", "tg_block", "tg_claim_next",
                                      "tg_heartbeat", "tg_release", "tg_diff", "tg_undo"}));
  for (const auto& t : tools) {
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t["name"];
    EXPECT_EQ(t["outputSchema"]["type"], "object") << t["name"];
    EXPECT_EQ(t["outputSchema"]["properties"]["error"]["type"], "object") << t["name"];
    std::string d = t["description"];
    EXPECT_FALSE(d.empty());
    EXPECT_EQ(d.find('\n'), std::string::npos) << "one line: " << t["name"];
  }
}

TEST_F(ToolsTest, ListFitsTheBudget) {
  // Contract section 9: the whole tools/list answer under 6,144 bytes, compact.
  std::string legacy = *server_->Handle(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  EXPECT_LT(legacy.size(), 6144u) << legacy.size();
  Json modern = {{"jsonrpc", "2.0"},
                 {"id", 1},
                 {"method", "tools/list"},
                 {"params", {{"_meta", kModernMeta}}}};
  EXPECT_LT(server_->Handle(modern.dump())->size(), 6144u);
  std::cerr << "tools/list: " << legacy.size() << " bytes\n";
}

TEST_F(ToolsTest, ArgumentsAreCheckedAgainstTheSchema) {
  Json e = Refused("tg_show", {{"task_id", "tg-1"}});
  EXPECT_EQ(e["code"], "VALIDATION_FAILED");
  EXPECT_NE(e["message"].get<std::string>().find("did you mean 'taskId'"), std::string::npos) << e;
  EXPECT_NE(Refused("tg_show")["message"].get<std::string>().find("taskId is required"),
            std::string::npos);
  EXPECT_NE(Refused("tg_next", {{"limit", "5"}})["message"].get<std::string>().find(
                "limit must be an integer, not a string"),
            std::string::npos);
  EXPECT_NE(Refused("tg_next", {{"limit", 0}})["message"].get<std::string>().find("at least 1"),
            std::string::npos);
  EXPECT_NE(Refused("tg_next", {{"limit", 1e12}})["message"].get<std::string>().find(
                "must be an integer"),
            std::string::npos);
  EXPECT_NE(Refused("tg_next", {{"limit", 99999999999}})["message"].get<std::string>().find(
                "out of range"),
            std::string::npos);
  EXPECT_NE(
      Refused("tg_start", {{"taskId", "x"}, {"force", "yes"}})["message"].get<std::string>().find(
          "force must be a boolean"),
      std::string::npos);
  EXPECT_NE(
      Refused("tg_start", {{"taskId", "x"}, {"lease", "soon"}})["message"].get<std::string>().find(
          "lease must be a duration"),
      std::string::npos);
  EXPECT_EQ(Refused("tg_status", {{"agent", "a"}})["code"], "VALIDATION_FAILED")
      << "reads take no agent";
}

TEST_F(ToolsTest, EveryResultIsStructuredContentPlusTheSameJsonAsText) {
  Plan p = NewPlan("P");
  Task t = NewTask(p, "A");
  for (auto [tool, args] :
       std::vector<std::pair<std::string, Json>>{{"tg_status", Json::object()},
                                                 {"tg_next", Json::object()},
                                                 {"tg_show", {{"taskId", t.hash_id}}},
                                                 {"tg_show", {{"taskId", "tg-ffffff"}}}}) {
    Json r = Call(tool, args);
    ASSERT_TRUE(r["structuredContent"].is_object()) << tool;
    ASSERT_EQ(r["content"].size(), 1u);
    EXPECT_EQ(r["content"][0]["type"], "text");
    EXPECT_EQ(Json::parse(r["content"][0]["text"].get<std::string>()), r["structuredContent"]);
  }
}

TEST_F(ToolsTest, ReadsReturnTheClisObjects) {
  Plan p = NewPlan("Release");
  Task a = NewTask(p, "First"), b = NewTask(p, "Second");
  Json next = Ok("tg_next", {{"planId", "Release"}, {"limit", 1}});
  ASSERT_EQ(next["tasks"].size(), 1u);
  EXPECT_EQ(next["tasks"][0]["hash_id"], a.hash_id);
  EXPECT_EQ(next["tasks"][0]["plan_title"], "Release");
  Json show = Ok("tg_show", {{"taskId", b.hash_id}});
  EXPECT_EQ(show["task_id"], b.task_id);
  EXPECT_TRUE(show["events"].is_array());
  Json ctx = Ok("tg_context", {{"taskId", a.task_id}});
  EXPECT_EQ(ctx["plan_name"], "Release");
  Json status = Ok("tg_status");
  EXPECT_EQ(status["status_counts"]["todo"], 2);
  EXPECT_EQ(Ok("tg_status", {{"plan", "Release"}})["next_tasks"].size(), 2u);
  EXPECT_EQ(Refused("tg_next", {{"planId", "Nope"}})["code"], "PLAN_NOT_FOUND");
}

TEST_F(ToolsTest, DiffShowsTheLastChangeAndUndoTakesBackOnlyTheCallersOwn) {
  Plan p = NewPlan("History");
  Task a = NewTask(p, "A"), b = NewTask(p, "B");
  Ok("tg_note", {{"taskId", a.hash_id}, {"message", "mine"}, {"agent", "ann"}});
  Ok("tg_note", {{"taskId", b.hash_id}, {"message", "theirs"}, {"agent", "ben"}});
  Json diff = Ok("tg_diff");
  ASSERT_EQ(diff["changes"].size(), 1u) << diff.dump();
  EXPECT_EQ(diff["changes"][0]["table"], "events");
  EXPECT_EQ(diff["changes"][0]["op"], "insert");
  EXPECT_EQ(diff["changes"][0]["task"], b.hash_id);
  EXPECT_EQ(Refused("tg_diff", {{"from", "zz"}})["code"], "VALIDATION_FAILED");
  Json dry = Ok("tg_undo", {{"agent", "ann"}, {"dryRun", true}});
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_TRUE(dry["commit_id"].is_null());
  Json undo = Ok("tg_undo", {{"agent", "ann"}});
  EXPECT_FALSE(undo["commit_id"].is_null());
  EXPECT_EQ(Ok("tg_show", {{"taskId", a.hash_id}})["notes"].size(), 0u);
  EXPECT_EQ(Ok("tg_show", {{"taskId", b.hash_id}})["notes"].size(), 1u);
  EXPECT_EQ(Refused("tg_undo", {{"agent", "ann"}})["code"], "VALIDATION_FAILED");
}

TEST_F(ToolsTest, TheAgentLoopOverTools) {
  Plan p = NewPlan("Loop");
  Task a = NewTask(p, "A"), b = NewTask(p, "B");
  Json blocked = Ok("tg_block", {{"taskId", b.hash_id},
                                 {"blockerTaskId", a.hash_id},
                                 {"reason", "needs A"},
                                 {"agent", "alice"}});
  EXPECT_EQ(blocked["status"], "blocked");
  EXPECT_EQ(blocked["blocker_hash_id"], a.hash_id);
  EXPECT_EQ(Refused("tg_block", {{"taskId", a.hash_id}, {"blockerTaskId", b.hash_id}})["code"],
            "CYCLE_DETECTED");

  Json started = Ok("tg_start", {{"taskId", a.hash_id}, {"agent", "alice"}, {"lease", "30m"}});
  EXPECT_EQ(started["id"], a.task_id);
  EXPECT_EQ(started["input"], a.hash_id);
  EXPECT_EQ(started["status"], "doing");
  EXPECT_EQ(started["changed"], true);

  Json r = Call("tg_start", {{"taskId", a.hash_id}, {"agent", "bob"}});
  EXPECT_EQ(r["isError"], true);
  EXPECT_EQ(r["structuredContent"]["error"]["code"], "TASK_ALREADY_CLAIMED");
  EXPECT_EQ(r["structuredContent"]["id"], a.task_id) << "a refused item still names its task";
  EXPECT_NE(r["structuredContent"]["error"]["message"].get<std::string>().find("alice"),
            std::string::npos);

  EXPECT_EQ(
      Ok("tg_note", {{"taskId", a.hash_id}, {"message", "halfway"}, {"agent", "alice"}})["changed"],
      true);
  EXPECT_EQ(Refused("tg_note", {{"taskId", a.hash_id}, {"message", "x"}, {"agent", "bob"}})["code"],
            "TASK_ALREADY_CLAIMED");
  Json beat = Ok("tg_heartbeat", {{"taskId", a.hash_id}, {"agent", "alice"}});
  EXPECT_TRUE(beat["lease_expires_at"].is_string());
  EXPECT_EQ(Refused("tg_done", {{"taskId", a.hash_id}, {"agent", "alice"}})["code"],
            "VALIDATION_FAILED");
  Json done = Ok("tg_done", {{"taskId", a.hash_id},
                             {"evidence", "tests pass"},
                             {"checks", {{"unit", "ok"}}},
                             {"agent", "alice"}});
  EXPECT_EQ(done["status"], "done");
  EXPECT_EQ(done["plan_completed"], false);
  EXPECT_EQ(Ok("tg_show", {{"taskId", b.hash_id}})["status"], "todo") << "unblocked";

  Json claimed = Ok("tg_claim_next", {{"agent", "carol"}, {"planId", "Loop"}});
  EXPECT_EQ(claimed["task"]["hash_id"], b.hash_id);
  EXPECT_EQ(claimed["task"]["claimed_by"], "carol");
  EXPECT_TRUE(Ok("tg_claim_next", {{"agent", "dave"}})["task"].is_null());
  EXPECT_EQ(Ok("tg_release", {{"taskId", b.hash_id}, {"agent", "carol"}})["status"], "todo");
  Json finished = Ok("tg_done", {{"taskId", b.hash_id}, {"evidence", "ok"}, {"force", true}});
  EXPECT_EQ(finished["plan_completed"], true);
}

TEST_F(ToolsTest, RefusalsCarryTheClisCodes) {
  EXPECT_EQ(Refused("tg_show", {{"taskId", "tg-ffffff"}})["code"], "TASK_NOT_FOUND");
  EXPECT_EQ(Refused("tg_start", {{"taskId", "tg-ffffff"}})["code"], "TASK_NOT_FOUND");
  EXPECT_EQ(Refused("tg_context", {{"taskId", "zz"}})["code"], "TASK_NOT_FOUND");
  Plan p = NewPlan("P");
  Task t = NewTask(p, "A");
  EXPECT_EQ(Refused("tg_done", {{"taskId", t.hash_id}, {"evidence", "x"}})["code"],
            "INVALID_TRANSITION");
  EXPECT_EQ(Refused("tg_done", {{"taskId", t.hash_id}, {"evidence", "x"}, {"checks", "{"}})["code"],
            "VALIDATION_FAILED");
}

TEST_F(ToolsTest, TheAgentIsTheArgumentElseTheServersElseDefault) {
  Plan p = NewPlan("P");
  Task a = NewTask(p, "A"), b = NewTask(p, "B"), c = NewTask(p, "C");
  auto named = MakeServer({"server-agent", true});
  Initialize(named.get());
  Call("tg_start", {{"taskId", a.hash_id}}, named.get());
  Call("tg_start", {{"taskId", b.hash_id}, {"agent", "arg-agent"}}, named.get());
  Call("tg_start", {{"taskId", c.hash_id}});
  EXPECT_EQ(Ok("tg_show", {{"taskId", a.hash_id}})["claimed_by"], "server-agent");
  EXPECT_EQ(Ok("tg_show", {{"taskId", b.hash_id}})["claimed_by"], "arg-agent");
  EXPECT_EQ(Ok("tg_show", {{"taskId", c.hash_id}})["claimed_by"], "default");
  // Without any identity, claims are not checked (as for the CLI without --agent/TG_AGENT).
  EXPECT_EQ(Ok("tg_note", {{"taskId", a.hash_id}, {"message", "anyone"}})["changed"], true);
}

// The text and number rules of the command line hold for tool arguments too: the same use
// cases check them, and the server checks who acts.
TEST_F(ToolsTest, ToolArgumentsFollowTheClisTextAndNumberRules) {
  Plan p = NewPlan("P");
  Task t = NewTask(p, "A");
  EXPECT_EQ(Refused("tg_start", {{"taskId", t.hash_id}, {"agent", "a\nb"}})["code"],
            "VALIDATION_FAILED");
  EXPECT_EQ(Refused("tg_start", {{"taskId", t.hash_id}, {"agent", "a\x1b[2J"}})["code"],
            "VALIDATION_FAILED");
  EXPECT_EQ(Refused("tg_start", {{"taskId", t.hash_id}, {"lease", "99999999h"}})["code"],
            "VALIDATION_FAILED");
  EXPECT_EQ(Refused("tg_next", {{"limit", 2000000}})["code"], "VALIDATION_FAILED");
  EXPECT_EQ(Ok("tg_show", {{"taskId", t.hash_id}})["status"], "todo") << "nothing was claimed";
  Ok("tg_start", {{"taskId", t.hash_id}, {"agent", "alice"}});
  EXPECT_EQ(Refused("tg_note",
                    {{"taskId", t.hash_id}, {"message", "bell\x07"}, {"agent", "alice"}})["code"],
            "VALIDATION_FAILED");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_EQ(
      Refused(
          "tg_done",
          {{"taskId", t.hash_id}, {"evidence", "x"}, {"checks", deep}, {"agent", "alice"}})["code"],
      "VALIDATION_FAILED");
  EXPECT_EQ(Ok("tg_show", {{"taskId", t.hash_id}})["status"], "doing");
}

TEST_F(ToolsTest, WritesByOtherProcessesBetweenCallsAreSeen) {
  Plan p = NewPlan("P");
  EXPECT_EQ(Ok("tg_next")["tasks"].size(), 0u);
  Task t = NewTask(p, "Added elsewhere");
  EXPECT_EQ(Ok("tg_next")["tasks"].size(), 1u);
  auto other = OtherProcess("bob");
  ASSERT_TRUE(app::Start(*other.ctx, {t.task_id}, {}));
  EXPECT_EQ(Ok("tg_next")["tasks"].size(), 0u);
  EXPECT_EQ(Refused("tg_start", {{"taskId", t.hash_id}, {"agent", "alice"}})["code"],
            "TASK_ALREADY_CLAIMED");
  EXPECT_TRUE(Ok("tg_claim_next", {{"agent", "alice"}})["task"].is_null());
}

TEST_F(ToolsTest, AMissingGraphIsAToolErrorAndTheServerRecovers) {
  store_missing_ = true;
  auto s = MakeServer({});
  Initialize(s.get());
  Json r = Call("tg_next", Json::object(), s.get());
  EXPECT_EQ(r["isError"], true);
  EXPECT_EQ(r["structuredContent"]["error"]["code"], "NOT_INITIALIZED");
  EXPECT_TRUE(Request("ping", nullptr, 2, s.get())["result"].is_object()) << "still serving";
  store_missing_ = false;  // e.g. `tg init` ran meanwhile
  EXPECT_EQ(Call("tg_next", Json::object(), s.get())["isError"], false);
}

}  // namespace
}  // namespace tg::mcp
