// The tools tg serves over MCP (contract section 9): each one's name, one-line description,
// input and output schema, and the use case it runs. Results are the CLI's --json objects from
// src/api/; only the wrapping that MCP needs (structuredContent must be an object) is added here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/json.h"
#include "app/context.h"

namespace tg::mcp {

using Json = api::Json;

struct ToolOutput {
  Json structured;        // always an object
  bool is_error = false;  // a refusal or failure: {"error": {code, message}} or a refused item
};

// Who a call acts as when it names no agent: `tg mcp --agent`, else TG_AGENT (explicit), else
// "default" (not explicit: claims of others are not checked, as for the CLI).
struct Identity {
  std::string agent = "default";
  bool explicit_agent = false;
};

// The "tools" array of tools/list, built once.
const Json& ToolList();
bool HasTool(std::string_view name);

// Runs tool `name` (HasTool) with `args` in one transaction of `store`. Never throws: an
// exception inside is an INTERNAL tool error.
ToolOutput CallTool(std::string_view name, const Json& args, store::Store& store, IdSource& ids,
                    const Identity& who);

// The tool result for an error that happened before a tool could run (the store cannot be
// opened): it validates against every tool's outputSchema.
ToolOutput ErrorOutput(const Error& e);

// The whole JSON-RPC answer carrying the CallToolResult for `out`: structuredContent plus the
// same JSON as one text item (and resultType for a 2026-07-28 request). Written as text
// around one serialisation of the result: building it as a JSON tree copied the result and
// serialised it twice, a third of a tg_next call.
std::string CallReply(const Json& id, const ToolOutput& out, bool modern);

}  // namespace tg::mcp
