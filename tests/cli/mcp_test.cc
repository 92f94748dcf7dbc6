// tg mcp as a process, spoken to in raw JSON lines (no SDK): framing, stdout carrying only
// protocol, exit at end of input, the error codes on the wire, identity from --agent and
// TG_AGENT, and a graph that other processes change between calls.
#include <gtest/gtest.h>

#include "core/strings.h"
#include "support/child.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

constexpr const char* kInit =
    R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}})";
constexpr const char* kInitialized = R"({"jsonrpc":"2.0","method":"notifications/initialized"})";

std::string CallLine(int id, const std::string& tool, const json& args) {
  return json{{"jsonrpc", "2.0"},
              {"id", id},
              {"method", "tools/call"},
              {"params", {{"name", tool}, {"arguments", args}}}}
      .dump();
}

// Every stdout line parsed; fails the test on a line that is not a JSON-RPC 2.0 message.
std::vector<json> Replies(const std::string& out) {
  std::vector<json> v;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    json j = json::parse(out.substr(start, nl - start), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "stdout carries only protocol: " << out;
    EXPECT_EQ(j.value("jsonrpc", ""), "2.0");
    v.push_back(j);
  }
  EXPECT_EQ(start, out.size()) << "every message ends with a newline";
  return v;
}

RunResult Serve(const Sandbox& sb, const std::vector<std::string>& lines,
                const std::vector<std::string>& args = {},
                const std::map<std::string, std::string>& env = {}) {
  std::string input;
  for (const auto& l : lines) input += l + "\n";
  std::vector<std::string> argv{TgBinary(), "mcp"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess({argv, sb.Environment(env), sb.root(), input, 30'000});
}

TEST(McpProcess, ExitsZeroAtEndOfInputWithNothingOnStdout) {
  Sandbox sb;
  RunResult r = Serve(sb, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(McpProcess, AnswersEveryErrorCaseOnItsOwnLine) {
  Sandbox sb;
  RunResult r = Serve(
      sb, {
              R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})",  // before init
              "this is not json",
              R"([{"jsonrpc":"2.0","id":2,"method":"ping"}])",
              kInit,
              kInitialized,
              R"({"jsonrpc":"2.0","id":3,"method":"resources/list"})",
              R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{}})",
              R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":3}})",
              R"({"jsonrpc":"2.0","id":5,"method":"ping"})",
          });
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto v = Replies(r.out);
  ASSERT_EQ(v.size(), 7u) << r.out;  // two notifications, no answers
  EXPECT_EQ(v[0]["id"], 1);
  EXPECT_EQ(v[0]["error"]["code"], -32600);
  EXPECT_EQ(v[1]["error"]["code"], -32700);
  EXPECT_TRUE(v[1]["id"].is_null());
  EXPECT_EQ(v[2]["error"]["code"], -32600);
  EXPECT_EQ(v[3]["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(v[4]["error"]["code"], -32601);
  EXPECT_EQ(v[5]["error"]["code"], -32602);
  EXPECT_EQ(v[6]["id"], 5);
  EXPECT_TRUE(v[6]["result"].is_object());
}

TEST(McpProcess, AnswersEachRequestBeforeTheNextArrives) {
  Sandbox sb;
  Child c({{TgBinary(), "mcp"}, sb.Environment(), sb.root(), "", 0});
  c.WriteLine(kInit);
  auto init = c.ReadLine();
  ASSERT_TRUE(init) << "no answer to initialize while stdin stays open";
  EXPECT_EQ(json::parse(*init)["id"], 0);
  c.WriteLine(kInitialized);
  c.WriteLine(R"({"jsonrpc":"2.0","id":"a","method":"tools/list"})");
  auto list = c.ReadLine();
  ASSERT_TRUE(list);
  json l = json::parse(*list);
  EXPECT_EQ(l["id"], "a");
  EXPECT_EQ(l["result"]["tools"].size(), 13u);
  EXPECT_LT(list->size(), 6144u);
  RunResult r = c.Wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(McpProcess, ToolResultsAreTheClisJson) {
  Sandbox sb;
  std::string plan = sb.NewPlan("P");
  std::string a = sb.NewTask(plan, "A");
  json cli_next = sb.Json({"next"});
  RunResult r = Serve(sb, {kInit, kInitialized, CallLine(1, "tg_next", json::object()),
                           CallLine(2, "tg_start", {{"taskId", a}, {"agent", "alice"}}),
                           CallLine(3, "tg_show", {{"taskId", a}})});
  auto v = Replies(r.out);
  ASSERT_EQ(v.size(), 4u) << r.err;
  json mcp_next = v[1]["result"]["structuredContent"]["tasks"];
  ASSERT_EQ(mcp_next.size(), 1u);
  EXPECT_EQ(mcp_next, cli_next) << "tg_next is tg next --json";
  EXPECT_EQ(v[2]["result"]["structuredContent"]["status"], "doing");
  EXPECT_EQ(v[3]["result"]["structuredContent"], sb.Json({"show", a}))
      << "tg_show is tg show --json";
}

TEST(McpProcess, TheAgentComesFromTheArgumentTheFlagOrTgAgent) {
  Sandbox sb;
  std::string plan = sb.NewPlan("P");
  std::string a = sb.NewTask(plan, "A"), b = sb.NewTask(plan, "B"), c = sb.NewTask(plan, "C");
  Serve(sb, {kInit, CallLine(1, "tg_start", {{"taskId", a}})}, {"--agent", "flag-agent"},
        {{"TG_AGENT", "env-agent"}});
  Serve(sb, {kInit, CallLine(1, "tg_start", {{"taskId", b}})}, {}, {{"TG_AGENT", "env-agent"}});
  Serve(sb, {kInit, CallLine(1, "tg_start", {{"taskId", c}, {"agent", "arg-agent"}})},
        {"--agent", "flag-agent"});
  EXPECT_EQ(sb.Json({"show", a})["claimed_by"], "flag-agent");
  EXPECT_EQ(sb.Json({"show", b})["claimed_by"], "env-agent");
  EXPECT_EQ(sb.Json({"show", c})["claimed_by"], "arg-agent");
}

TEST(McpProcess, SeesWhatOtherProcessesWriteBetweenCalls) {
  Sandbox sb;
  std::string plan = sb.NewPlan("P");
  Child c({{TgBinary(), "mcp", "--agent", "alice"}, sb.Environment(), sb.root(), "", 0});
  c.WriteLine(kInit);
  ASSERT_TRUE(c.ReadLine());
  // Each answer is one line; a missing one fails the test instead of being read.
  auto result = [&c] {
    auto line = c.ReadLine();
    EXPECT_TRUE(line) << "no answer from tg mcp";
    return line ? json::parse(*line)["result"] : json::object();
  };
  c.WriteLine(CallLine(1, "tg_next", json::object()));
  EXPECT_EQ(result()["structuredContent"]["tasks"].size(), 0u);
  std::string t = sb.NewTask(plan, "Written by the CLI");
  c.WriteLine(CallLine(2, "tg_next", json::object()));
  EXPECT_EQ(result()["structuredContent"]["tasks"].size(), 1u);
  sb.Ok({"start", t, "--agent", "bob"});
  c.WriteLine(CallLine(3, "tg_start", {{"taskId", t}}));
  json refused = result();
  EXPECT_EQ(refused["isError"], true);
  EXPECT_EQ(refused["structuredContent"]["error"]["code"], "TASK_ALREADY_CLAIMED");
  EXPECT_EQ(c.Wait().exit_code, 0);
}

TEST(McpProcess, WithoutAGraphItServesAndReportsNotInitialized) {
  Sandbox sb(/*init=*/false);
  RunResult r = Serve(sb, {kInit, CallLine(1, "tg_status", json::object())});
  EXPECT_EQ(r.exit_code, 0);
  auto v = Replies(r.out);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1]["result"]["isError"], true);
  EXPECT_EQ(v[1]["result"]["structuredContent"]["error"]["code"], "NOT_INITIALIZED");
  EXPECT_NE(r.err.find("tg mcp:"), std::string::npos) << "the reason is logged on stderr";
}

TEST(McpProcess, ALongLineIsRefusedAndTheNextIsServed) {
  Sandbox sb;
  // Cat(), not operator+ on a literal: GCC 12 reports a false -Wstringop-overflow at -O3.
  std::string huge = Cat({R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":")",
                          std::string(5 << 20, 'a'), "\"}}"});
  RunResult r = Serve(sb, {kInit, huge, R"({"jsonrpc":"2.0","id":2,"method":"ping"})"});
  auto v = Replies(r.out);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1]["error"]["code"], -32600);
  EXPECT_EQ(v[2]["id"], 2);
}

TEST(McpProcess, ABadLockTimeoutIsOneClearLineAndExitSix) {
  Sandbox sb;
  // No input: the process exits before it reads any, and a write to it would be refused.
  RunResult r = Serve(sb, {}, {}, {{"TG_LOCK_TIMEOUT", "soon"}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("TG_LOCK_TIMEOUT"), std::string::npos);
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace tg::test
