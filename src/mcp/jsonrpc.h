// JSON-RPC 2.0 framing for the MCP server: what one line of input is, and the shape of every
// answer. Nothing here knows MCP's methods; server.cc decides what a request means.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/json.h"
#include "core/limits.h"

namespace tg::mcp {

using Json = api::Json;

// JSON-RPC's own error codes, and the one MCP 2026-07-28 adds.
enum RpcCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kUnsupportedProtocolVersion = -32022,
};

struct Message {
  enum class Kind {
    kRequest,       // has an id and a method: exactly one answer
    kNotification,  // a method without an id: never answered
    kResponse,      // a client's answer to a server request: tg sends none, so it is dropped
    kInvalid,       // answered with `error` (id null when the id itself is unusable)
  };
  Kind kind = Kind::kInvalid;
  Json id;  // string or number; null when absent or unusable
  std::string method;
  Json params;                // object, or null when absent
  std::optional<Json> error;  // for kInvalid: {"code", "message"}
};

// Arrays and objects nested deeper than this are refused before parsing (-32600, id null).
// nlohmann-json parses iteratively but copies and serialises recursively, so a line of a
// million '[' would overflow the stack later; no MCP message needs more than a few levels.
// The same bound as for stored JSON; depth is counted by tg::JsonDepth (core/limits.h).
inline constexpr int kMaxNesting = kMaxJsonDepth;

// Reads one line: -32700 when it is not JSON, -32600 when it is JSON but not a JSON-RPC 2.0
// message (a batch, a non-object, a wrong "jsonrpc", a method that is not a string, an id that
// is neither a string nor a number, params that are neither an object nor an array).
Message ParseMessage(std::string_view line);

Json ErrorObject(int code, const std::string& message, const Json& data = nullptr);
std::string Reply(const Json& id, const Json& result);
std::string ErrorReply(const Json& id, const Json& error);
std::string ErrorReply(const Json& id, int code, const std::string& message,
                       const Json& data = nullptr);

// One line of compact JSON. Invalid UTF-8 (never produced by tg, but a message may quote what a
// client sent) is replaced rather than allowed to throw.
std::string Compact(const Json& j);

}  // namespace tg::mcp
