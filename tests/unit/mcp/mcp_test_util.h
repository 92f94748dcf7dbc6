// An in-process MCP server over a temp graph: a fixed clock, sequential ids, and helpers that
// send one JSON-RPC line and parse the answer.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>

#include "app/context.h"
#include "app/graph_ops.h"
#include "mcp/server.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace tg::mcp {

inline const Json kModernMeta = {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                 {"io.modelcontextprotocol/clientCapabilities", Json::object()}};

class McpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store::Init(dir_, {}));
    server_ = MakeServer({});
  }

  std::unique_ptr<Server> MakeServer(Identity who) {
    ServerOptions o;
    o.open_store = [this]() -> Result<std::unique_ptr<store::Store>> {
      if (store_missing_) return Fail(Code::kNotInitialized, "no graph here; run `tg init`");
      return store::Open(dir_, {}, clock_);
    };
    o.ids = &ids_;
    o.identity = std::move(who);
    return std::make_unique<Server>(std::move(o));
  }

  // Sends `line`; the answer parsed, or null when there was none.
  Json Send(std::string_view line, Server* s = nullptr) {
    auto out = (s ? s : server_.get())->Handle(line);
    if (!out) return nullptr;
    EXPECT_EQ(out->find('\n'), std::string::npos) << "one message, one line";
    return Json::parse(*out);
  }
  Json Request(const std::string& method, Json params = nullptr, Json id = 1, Server* s = nullptr) {
    Json m = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) m["params"] = std::move(params);
    return Send(m.dump(), s);
  }
  void Initialize(Server* s = nullptr, const std::string& version = "2025-11-25") {
    Json r = Request("initialize",
                     {{"protocolVersion", version},
                      {"capabilities", Json::object()},
                      {"clientInfo", {{"name", "test"}, {"version", "1"}}}},
                     0, s);
    ASSERT_TRUE(r.contains("result")) << r.dump();
    Send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", s);
  }
  // tools/call on an initialised server: the CallToolResult.
  Json Call(const std::string& tool, Json args = Json::object(), Server* s = nullptr) {
    Json r = Request("tools/call", {{"name", tool}, {"arguments", std::move(args)}}, 7, s);
    EXPECT_TRUE(r.contains("result")) << r.dump();
    return r["result"];
  }

  // The graph as another process sees it: its own store and context.
  struct Other {
    std::unique_ptr<store::Store> store;
    std::unique_ptr<app::Context> ctx;
  };
  Other OtherProcess(const std::string& agent = "other") {
    Other o;
    o.store = std::move(*store::Open(dir_, {}, clock_));
    o.ctx = std::make_unique<app::Context>(app::Context{*o.store, ids_});
    o.ctx->agent = agent;
    o.ctx->agent_explicit = true;
    return o;
  }
  Plan NewPlan(const std::string& title) {
    auto o = OtherProcess();
    return app::CreatePlan(*o.ctx, {title, "", {}, {}})->value;
  }
  Task NewTask(const Plan& p, const std::string& title) {
    auto o = OtherProcess();
    app::TaskFields f;
    f.title = title;
    return app::CreateTask(*o.ctx, p.plan_id, f)->value;
  }

  FixedClock clock_{1'700'000'000'000};
  SequentialIdSource ids_;
  test::TempDir tmp_{"tg-mcp"};
  const std::string& dir_ = tmp_.path();
  bool store_missing_ = false;
  std::unique_ptr<Server> server_;
};

}  // namespace tg::mcp
