// The JSON-RPC side of tg mcp, in process: framing, every error code, notifications, the
// handshake versions and the 2026-07-28 per-request version.
#include "unit/mcp/mcp_test_util.h"

namespace tg::mcp {
namespace {

class ProtocolTest : public McpTest {};

int CodeOf(const Json& reply) { return reply.at("error").at("code").get<int>(); }

TEST_F(ProtocolTest, MalformedJsonIsAParseErrorWithANullId) {
  for (std::string_view line : {"{", "{\"jsonrpc\":\"2.0\",", "nope", "{\"a\":1}}", "\xff\xfe"}) {
    Json r = Send(line);
    EXPECT_EQ(CodeOf(r), kParseError) << line;
    EXPECT_TRUE(r["id"].is_null());
    EXPECT_EQ(r["jsonrpc"], "2.0");
  }
}

TEST_F(ProtocolTest, JsonThatIsNotARequestIsAnInvalidRequest) {
  for (std::string_view line :
       {"[]", R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", "42", "\"ping\"", "null",
        R"({"id":1,"method":"ping"})", R"({"jsonrpc":"1.0","id":1,"method":"ping"})",
        R"({"jsonrpc":"2.0","id":1,"method":7})", R"({"jsonrpc":"2.0","id":1})",
        R"({"jsonrpc":"2.0","id":{"x":1},"method":"ping"})",
        R"({"jsonrpc":"2.0","id":true,"method":"ping"})",
        R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
        R"({"jsonrpc":"2.0","id":1,"method":"ping","params":"x"})"}) {
    EXPECT_EQ(CodeOf(Send(line)), kInvalidRequest) << line;
  }
}

TEST_F(ProtocolTest, AnInvalidRequestKeepsAUsableId) {
  Json r = Send(R"({"jsonrpc":"1.0","id":"abc","method":"ping"})");
  EXPECT_EQ(r["id"], "abc");
  r = Send(R"({"id":5,"method":"ping"})");
  EXPECT_EQ(r["id"], 5);
}

TEST_F(ProtocolTest, BlankLinesAndCarriageReturnsAreFraming) {
  EXPECT_TRUE(Send("").is_null());
  EXPECT_TRUE(Send("   \t").is_null());
  Json r = Send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\r");
  EXPECT_EQ(r["id"], 3);
  EXPECT_TRUE(r["result"].is_object());
}

TEST_F(ProtocolTest, NotificationsAndClientResponsesGetNoAnswer) {
  for (std::string_view line :
       {R"({"jsonrpc":"2.0","method":"notifications/initialized"})",
        R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})",
        R"({"jsonrpc":"2.0","method":"notifications/whatever"})",
        R"({"jsonrpc":"2.0","method":"tools/call","params":{"name":"tg_start"}})",
        R"({"jsonrpc":"2.0","id":9,"result":{}})",
        R"({"jsonrpc":"2.0","id":9,"error":{"code":-1,"message":"x"}})"}) {
    EXPECT_TRUE(Send(line).is_null()) << line;
  }
  Initialize();
  EXPECT_TRUE(Send(R"({"jsonrpc":"2.0","method":"notifications/cancelled"})").is_null());
}

TEST_F(ProtocolTest, UnknownMethodsAreAnsweredAtOnce) {
  for (const char* m : {"resources/list", "prompts/list", "logging/setLevel", "tg_next", ""}) {
    Json r = Request(m, nullptr, "u1");
    EXPECT_EQ(CodeOf(r), kMethodNotFound) << m;
    EXPECT_EQ(r["id"], "u1");
  }
  Initialize();
  EXPECT_EQ(CodeOf(Request("resources/templates/list")), kMethodNotFound);
}

TEST_F(ProtocolTest, RequestsBeforeInitializeAreRefusedNotIgnored) {
  for (const char* m : {"tools/list", "tools/call"}) {
    Json r = Request(m, Json::object(), 11);
    EXPECT_EQ(CodeOf(r), kInvalidRequest) << m;
    EXPECT_NE(r["error"]["message"].get<std::string>().find("initialize"), std::string::npos);
  }
  EXPECT_TRUE(Request("ping")["result"].is_object()) << "ping is allowed at any time";
}

TEST_F(ProtocolTest, InitializeAnswersWithTheClientsVersionWhenSupported) {
  for (const char* v : {"2025-06-18", "2025-11-25"}) {
    auto s = MakeServer({});
    Json r = Request("initialize", {{"protocolVersion", v}, {"capabilities", Json::object()}}, 1,
                     s.get());
    EXPECT_EQ(r["result"]["protocolVersion"], v);
    EXPECT_EQ(s->negotiated(), v);
  }
}

TEST_F(ProtocolTest, InitializeWithAnotherVersionGetsTheNewest) {
  for (const char* v : {"2024-11-05", "2025-03-26", "2026-07-28", "banana"}) {
    auto s = MakeServer({});
    Json r = Request("initialize", {{"protocolVersion", v}}, 1, s.get());
    EXPECT_EQ(r["result"]["protocolVersion"], "2025-11-25") << v;
  }
}

TEST_F(ProtocolTest, InitializeDescribesTheServer) {
  Json r = Request("initialize", {{"protocolVersion", "2025-11-25"}});
  const Json& res = r["result"];
  EXPECT_EQ(res["serverInfo"]["name"], "tg");
  EXPECT_TRUE(res["capabilities"]["tools"].is_object());
  EXPECT_FALSE(res["capabilities"].contains("resources"));
  EXPECT_FALSE(res["instructions"].get<std::string>().empty());
}

TEST_F(ProtocolTest, InvalidParamsAreRefused) {
  EXPECT_EQ(CodeOf(Request("initialize", Json::object())), kInvalidParams);
  EXPECT_EQ(CodeOf(Request("initialize", {{"protocolVersion", 20250618}})), kInvalidParams);
  EXPECT_EQ(CodeOf(Request("initialize", Json::array({"2025-11-25"}))), kInvalidParams);
  Initialize();
  EXPECT_EQ(CodeOf(Request("tools/call", Json::object())), kInvalidParams);
  EXPECT_EQ(CodeOf(Request("tools/call", {{"name", 3}})), kInvalidParams);
  EXPECT_EQ(CodeOf(Request("tools/call", {{"name", "tg_nope"}})), kInvalidParams);
  EXPECT_EQ(CodeOf(Request("tools/call", {{"name", "tg_next"}, {"arguments", "x"}})),
            kInvalidParams);
  EXPECT_EQ(CodeOf(Request("tools/list", Json::array())), kInvalidParams);
}

TEST_F(ProtocolTest, ModernRequestsNeedNoHandshake) {
  Json r = Request("tools/list", {{"_meta", kModernMeta}});
  EXPECT_EQ(r["result"]["resultType"], "complete");
  EXPECT_EQ(r["result"]["tools"].size(), 13u);
  Json c = Request("tools/call",
                   {{"_meta", kModernMeta}, {"name", "tg_next"}, {"arguments", Json::object()}});
  EXPECT_EQ(c["result"]["resultType"], "complete");
  EXPECT_EQ(c["result"]["isError"], false);
  EXPECT_TRUE(server_->negotiated().empty()) << "no session was started";
}

TEST_F(ProtocolTest, DiscoverNamesTheStatelessVersion) {
  for (Json params : {Json{{"_meta", kModernMeta}}, Json()}) {
    Json r = Request("server/discover", params);
    const Json& res = r["result"];
    EXPECT_EQ(res["supportedVersions"], Json::array({"2026-07-28"}));
    EXPECT_TRUE(res["capabilities"]["tools"].is_object());
    EXPECT_EQ(res["serverInfo"]["name"], "tg");
  }
  EXPECT_EQ(Request("server/discover", {{"_meta", kModernMeta}})["result"]["resultType"],
            "complete");
}

TEST_F(ProtocolTest, AnUnsupportedPerRequestVersionSaysWhichAreSupported) {
  Json meta = kModernMeta;
  meta["io.modelcontextprotocol/protocolVersion"] = "2099-01-01";
  Json r = Request("tools/list", {{"_meta", meta}});
  EXPECT_EQ(CodeOf(r), kUnsupportedProtocolVersion);
  EXPECT_EQ(r["error"]["data"]["requested"], "2099-01-01");
  EXPECT_EQ(r["error"]["data"]["supported"], Json::array({"2026-07-28"}));
}

TEST_F(ProtocolTest, AHandshakeVersionInMetaIsServedAsThatSession) {
  Json meta = kModernMeta;
  meta["io.modelcontextprotocol/protocolVersion"] = "2025-11-25";
  EXPECT_EQ(CodeOf(Request("tools/list", {{"_meta", meta}})), kInvalidRequest)
      << "that version starts with initialize";
  Initialize();
  Json r = Request("tools/list", {{"_meta", meta}});
  EXPECT_EQ(r["result"]["tools"].size(), 13u);
  EXPECT_FALSE(r["result"].contains("resultType"));
}

TEST_F(ProtocolTest, AModernRequestNeedsItsCapabilitiesAndAStringVersion) {
  Json meta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"}};
  EXPECT_EQ(CodeOf(Request("tools/list", {{"_meta", meta}})), kInvalidParams);
  meta["io.modelcontextprotocol/protocolVersion"] = 2026;
  meta["io.modelcontextprotocol/clientCapabilities"] = Json::object();
  EXPECT_EQ(CodeOf(Request("tools/list", {{"_meta", meta}})), kInvalidParams);
}

TEST_F(ProtocolTest, PingIsGoneIn20260728) {
  EXPECT_EQ(CodeOf(Request("ping", {{"_meta", kModernMeta}})), kMethodNotFound);
  Initialize();
  EXPECT_TRUE(Request("ping")["result"].is_object());
}

TEST_F(ProtocolTest, TheAnswerCarriesTheRequestsIdExactly) {
  Initialize();
  for (Json id : {Json(0), Json(-4), Json("x-1"), Json(""), Json(9007199254740993ull)}) {
    EXPECT_EQ(Request("ping", nullptr, id)["id"], id);
  }
}

TEST_F(ProtocolTest, DeepNestingIsRefusedBeforeItIsParsed) {
  // A million levels would overflow the stack when the message is copied or serialised.
  for (size_t levels : {size_t{65}, size_t{1'000'000}}) {
    std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":)" +
                       std::string(levels, '[') + std::string(levels, ']') + "}}";
    Json r = Send(deep);
    EXPECT_EQ(CodeOf(r), kInvalidRequest) << levels;
    EXPECT_TRUE(r["id"].is_null());
  }
  EXPECT_EQ(CodeOf(Send(std::string(100000, '['))), kInvalidRequest);
  // Brackets inside strings are text, not nesting.
  Json r = Request("ping", {{"x", std::string(1000, '[') + "\\\"[{"}});
  EXPECT_TRUE(r["result"].is_object()) << r;
  std::string nested =
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"tg_done","arguments":{"taskId":"tg-1","evidence":"e","checks":)";
  for (int i = 0; i < 40; ++i) nested += "{\"a\":";
  // Appended piece by piece: "1" + std::string(...) trips GCC 12's false -Wrestrict at -O3.
  nested += '1';
  nested.append(40, '}');
  nested += "}}}";
  Initialize();
  r = Send(nested);
  EXPECT_EQ(r["result"]["structuredContent"]["error"]["code"], "TASK_NOT_FOUND")
      << "40 levels are fine";
}

TEST_F(ProtocolTest, ALineOverTheLimitIsRefusedWithoutBeingRead) {
  Json r = Json::parse(server_->TooLong(4 << 20));
  EXPECT_EQ(CodeOf(r), kInvalidRequest);
  EXPECT_TRUE(r["id"].is_null());
}

}  // namespace
}  // namespace tg::mcp
