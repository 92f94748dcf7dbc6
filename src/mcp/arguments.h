// A tool's arguments checked against its own inputSchema, so the names, types and required
// arguments are written once (in tools.cc) and both advertised and enforced from there. Only
// the part of JSON Schema that the tools use: an object of string, boolean and integer
// properties (integers with a minimum), some required, no others allowed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/json.h"
#include "core/error.h"

namespace tg::mcp {

using Json = api::Json;

// VALIDATION_FAILED naming the tool and the argument: unknown (with a suggestion for a near
// miss such as task_id for taskId), of the wrong type, below its minimum, or missing.
Status CheckArguments(std::string_view tool, const Json& schema, const Json& args);

// Typed reads of checked arguments; nullopt when absent (or null).
std::optional<std::string> String(const Json& args, std::string_view name);
bool Flag(const Json& args, std::string_view name);
std::optional<int> Integer(const Json& args, std::string_view name);

}  // namespace tg::mcp
