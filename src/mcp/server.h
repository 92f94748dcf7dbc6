// The MCP server as a function from one input line to at most one output line, plus the little
// state a session has (whether `initialize` happened, and which version it agreed). No I/O:
// stdio.cc feeds it lines, and the tests call it directly.
//
// Versions (contract section 9): 2025-06-18 and 2025-11-25 through `initialize`; 2026-07-28
// without a handshake, each request naming its version in params._meta. The graph is opened on
// the first tool call and kept open; every call is its own transaction, so writes by other
// processes between calls are seen, and nothing about the graph is remembered here.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "mcp/jsonrpc.h"
#include "mcp/tools.h"
#include "store/store.h"

namespace tg::mcp {

inline constexpr std::string_view kModernVersion = "2026-07-28";
inline constexpr std::string_view kHandshakeVersions[] = {"2025-11-25",
                                                          "2025-06-18"};  // newest first

struct ServerOptions {
  // Finds and opens the graph. Called again on the next tool call while it fails (a graph may be
  // initialised after the server started), never again once it succeeded.
  std::function<Result<std::unique_ptr<store::Store>>()> open_store;
  IdSource* ids = nullptr;
  Identity identity;
  std::string version = "0.1.0";  // tg's, for serverInfo
  std::ostream* log = nullptr;    // stderr: what went wrong outside the protocol
};

class Server {
 public:
  explicit Server(ServerOptions opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Handles one line (without its newline). Returns the answer (one line of JSON, without a
  // newline) or nothing, for notifications, client responses and blank lines. Never throws.
  std::optional<std::string> Handle(std::string_view line);
  // The answer to a line longer than the reader accepts (it was not parsed).
  std::string TooLong(size_t limit) const;

  // Opens the graph now, so the first call does not pay for it; a failure is only logged (the
  // server still answers, and tool calls report the error).
  void Warm() { (void)OpenStore(); }

  // The version `initialize` agreed; empty before it.
  const std::string& negotiated() const { return negotiated_; }

 private:
  std::optional<std::string> Dispatch(const Message& m);
  Json Initialize(const std::string& asked);
  Result<store::Store*> OpenStore();

  ServerOptions opts_;
  std::unique_ptr<store::Store> store_;
  std::string negotiated_;
  std::string last_open_error_;
};

}  // namespace tg::mcp
