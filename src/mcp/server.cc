#include "mcp/server.h"

#include <fmt/format.h>

#include <algorithm>

namespace tg::mcp {

namespace {

constexpr std::string_view kVersionKey = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view kCapabilitiesKey = "io.modelcontextprotocol/clientCapabilities";

constexpr std::string_view kInstructions =
    "tg is this project's task graph, shared with other agents. Get work with tg_claim_next "
    "(or tg_next, then tg_start), read it with tg_context, leave notes with tg_note, finish "
    "with tg_done and evidence; tg_release gives a task back. Refusals are tool errors with "
    "a code: TASK_ALREADY_CLAIMED means another agent has it.";

bool IsHandshakeVersion(std::string_view v) {
  return std::find(std::begin(kHandshakeVersions), std::end(kHandshakeVersions), v) !=
         std::end(kHandshakeVersions);
}

// What a request is served as: a handshake session, the 2026-07-28 per-request version, or an
// error about the version it named.
struct Era {
  bool modern = false;
  std::optional<Json> error;
};

Era EraOf(const Json& params) {
  Era e;
  if (!params.is_object()) return e;
  auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) return e;
  auto v = meta->find(kVersionKey);
  // A handshake version named here adds nothing to the session it belongs to.
  if (v == meta->end() || (v->is_string() && IsHandshakeVersion(v->get<std::string>()))) return e;
  e.modern = true;
  if (!v->is_string()) {
    e.error = ErrorObject(
        kInvalidParams, fmt::format("Invalid params: _meta[\"{}\"] must be a string", kVersionKey));
  } else if (*v != kModernVersion) {
    e.error = ErrorObject(
        kUnsupportedProtocolVersion,
        fmt::format("Unsupported protocol version {}: without initialize tg speaks {}; older "
                    "versions ({}, {}) start with initialize",
                    v->dump(), kModernVersion, kHandshakeVersions[0], kHandshakeVersions[1]),
        Json{{"requested", *v}, {"supported", Json::array({kModernVersion})}});
  } else if (auto caps = meta->find(kCapabilitiesKey); caps == meta->end() || !caps->is_object()) {
    e.error = ErrorObject(
        kInvalidParams, fmt::format("Invalid params: a {} request needs _meta[\"{}\"] (an object)",
                                    kModernVersion, kCapabilitiesKey));
  }
  return e;
}

Json Capabilities() { return {{"tools", {{"listChanged", false}}}}; }

}  // namespace

Server::Server(ServerOptions opts) : opts_(std::move(opts)) {}
Server::~Server() = default;

std::string Server::TooLong(size_t limit) const {
  return ErrorReply(
      nullptr, kInvalidRequest,
      fmt::format("Invalid Request: a message longer than {} bytes is refused", limit));
}

std::optional<std::string> Server::Handle(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  if (line.find_first_not_of(" \t") == std::string_view::npos) return std::nullopt;
  Json id;
  try {
    Message m = ParseMessage(line);
    id = m.id;
    return Dispatch(m);
  } catch (const std::exception& e) {
    if (opts_.log) *opts_.log << "tg mcp: internal error: " << e.what() << '\n';
    return ErrorReply(id, kInternalError, fmt::format("Internal error: {}", e.what()));
  } catch (...) {
    return ErrorReply(id, kInternalError, "Internal error");
  }
}

std::optional<std::string> Server::Dispatch(const Message& m) {
  switch (m.kind) {
    case Message::Kind::kInvalid:
      return ErrorReply(m.id, *m.error);
    case Message::Kind::kResponse:
    case Message::Kind::kNotification:
      // notifications/initialized, notifications/cancelled (calls run one at a time and are
      // answered before the next line is read, so there is nothing to cancel) and any other:
      // never answered.
      return std::nullopt;
    case Message::Kind::kRequest:
      break;
  }
  if (!m.params.is_null() && !m.params.is_object()) {
    return ErrorReply(m.id, kInvalidParams, "Invalid params: params must be an object");
  }
  const Json params = m.params.is_null() ? Json::object() : m.params;
  if (m.method == "initialize") {
    auto v = params.find("protocolVersion");
    if (v == params.end() || !v->is_string()) {
      return ErrorReply(m.id, kInvalidParams,
                        "Invalid params: initialize needs protocolVersion (a string)");
    }
    return Reply(m.id, Initialize(v->get<std::string>()));
  }
  Era era = EraOf(params);
  if (era.error) return ErrorReply(m.id, *era.error);
  auto reply = [&](Json result) {
    if (era.modern) result["resultType"] = "complete";
    return Reply(m.id, result);
  };
  if (m.method == "server/discover") {
    return reply({{"supportedVersions", Json::array({kModernVersion})},
                  {"capabilities", Capabilities()},
                  {"serverInfo", {{"name", "tg"}, {"version", opts_.version}}},
                  {"instructions", kInstructions}});
  }
  bool known = m.method == "tools/list" || m.method == "tools/call" ||
               (m.method == "ping" && !era.modern);  // 2026-07-28 removed ping
  if (!known) {
    return ErrorReply(m.id, kMethodNotFound, fmt::format("Method not found: {}", m.method));
  }
  if (m.method == "ping") return reply(Json::object());
  if (!era.modern && negotiated_.empty()) {
    return ErrorReply(
        m.id, kInvalidRequest,
        fmt::format("Invalid Request: {} before initialize; send initialize first (or name "
                    "protocol version {} in params._meta)",
                    m.method, kModernVersion));
  }
  if (m.method == "tools/list") return reply({{"tools", ToolList()}});
  // tools/call
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    return ErrorReply(m.id, kInvalidParams, "Invalid params: tools/call needs a tool name");
  }
  if (!HasTool(name->get<std::string>())) {
    return ErrorReply(m.id, kInvalidParams,
                      fmt::format("Unknown tool: {}; tools/list names them", name->dump()));
  }
  Json args = Json::object();
  if (auto a = params.find("arguments"); a != params.end() && !a->is_null()) {
    if (!a->is_object()) {
      return ErrorReply(m.id, kInvalidParams, "Invalid params: arguments must be an object");
    }
    args = *a;
  }
  auto store = OpenStore();
  ToolOutput out =
      store ? CallTool(name->get<std::string>(), args, **store, *opts_.ids, opts_.identity)
            : ErrorOutput(store.error());
  return CallReply(m.id, out, era.modern);
}

Json Server::Initialize(const std::string& asked) {
  // A version tg does not speak (2026-07-28 included: it has no handshake) is answered with the
  // newest one it does; the client then decides whether it can go on.
  negotiated_ = IsHandshakeVersion(asked) ? asked : std::string(kHandshakeVersions[0]);
  return {{"protocolVersion", negotiated_},
          {"capabilities", Capabilities()},
          {"serverInfo", {{"name", "tg"}, {"version", opts_.version}}},
          {"instructions", kInstructions}};
}

Result<store::Store*> Server::OpenStore() {
  if (store_) return store_.get();
  auto s =
      opts_.open_store
          ? opts_.open_store()
          : Result<std::unique_ptr<store::Store>>(Fail(Code::kInternal, "the server has no store"));
  if (!s) {
    if (opts_.log && s.error().message != last_open_error_) {
      *opts_.log << "tg mcp: " << s.error().message << '\n';
    }
    last_open_error_ = s.error().message;
    return std::unexpected(s.error());
  }
  store_ = std::move(*s);
  return store_.get();
}

}  // namespace tg::mcp
