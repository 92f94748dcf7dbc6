#include "mcp/jsonrpc.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/limits.h"

namespace tg::mcp {

Message ParseMessage(std::string_view line) {
  Message m;
  if (JsonDepth(line) > kMaxNesting) {
    m.error = ErrorObject(kInvalidRequest,
                          fmt::format("Invalid Request: JSON nested deeper than {} levels is "
                                      "refused",
                                      kMaxNesting));
    return m;
  }
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    m.error = ErrorObject(kParseError, "Parse error: the line is not valid JSON");
    return m;
  }
  if (j.is_array()) {
    // MCP dropped JSON-RPC batches in 2025-06-18; one line is one message.
    m.error = ErrorObject(kInvalidRequest,
                          "Invalid Request: batches are not supported; send one "
                          "message per line");
    return m;
  }
  if (!j.is_object()) {
    m.error = ErrorObject(kInvalidRequest, "Invalid Request: a message must be a JSON object");
    return m;
  }
  if (auto it = j.find("id"); it != j.end()) {
    if (it->is_string() || it->is_number()) {
      m.id = *it;
    } else if (!it->is_null()) {
      m.error = ErrorObject(kInvalidRequest, "Invalid Request: id must be a string or a number");
      return m;
    }
  }
  bool has_id = j.contains("id") && !m.id.is_null();
  auto version = j.find("jsonrpc");
  if (version == j.end() || *version != "2.0") {
    m.error = ErrorObject(kInvalidRequest, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
    return m;
  }
  auto method = j.find("method");
  if (method == j.end()) {
    if (has_id && (j.contains("result") || j.contains("error"))) {
      m.kind = Message::Kind::kResponse;
      return m;
    }
    m.error = ErrorObject(kInvalidRequest, "Invalid Request: no \"method\"");
    return m;
  }
  if (!method->is_string()) {
    m.error = ErrorObject(kInvalidRequest, "Invalid Request: \"method\" must be a string");
    return m;
  }
  m.method = method->get<std::string>();
  if (auto p = j.find("params"); p != j.end()) {
    if (!p->is_object() && !p->is_array()) {
      m.error = ErrorObject(kInvalidRequest, "Invalid Request: params must be an object");
      return m;
    }
    m.params = std::move(*p);
  }
  if (j.contains("id") && m.id.is_null()) {
    // JSON-RPC reserves a null id; MCP forbids it. Neither request nor notification.
    m.error = ErrorObject(kInvalidRequest, "Invalid Request: id must not be null");
    return m;
  }
  m.kind = has_id ? Message::Kind::kRequest : Message::Kind::kNotification;
  return m;
}

Json ErrorObject(int code, const std::string& message, const Json& data) {
  Json e = {{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = data;
  return e;
}

std::string Compact(const Json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

std::string Reply(const Json& id, const Json& result) {
  return Compact(Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

std::string ErrorReply(const Json& id, const Json& error) {
  return Compact(Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", error}});
}

std::string ErrorReply(const Json& id, int code, const std::string& message, const Json& data) {
  return ErrorReply(id, ErrorObject(code, message, data));
}

}  // namespace tg::mcp
