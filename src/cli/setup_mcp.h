// `tg setup --mcp`: the harness entries that start `tg mcp`, merged into the project's MCP
// config files (Claude Code's .mcp.json, Cursor's .cursor/mcp.json) beside the servers already
// there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <optional>

#include "core/error.h"

namespace tg::cli {

struct McpConfigFile {
  std::string_view path;   // relative to the project folder
  std::string_view entry;  // the "tg" entry of its "mcpServers" object, as JSON
};
const std::vector<McpConfigFile>& McpConfigFiles();

enum class McpWrite { kCreated, kUpdated, kSkipped };

// Another program's JSON file in the project, read the way every file tg reads is (bounded,
// never parsed into a stack overflow): nullopt when it does not exist, a discarded value when
// it is not JSON. `what` names it in messages.
Result<std::optional<std::string>> ReadProjectFile(const std::string& path, std::string_view what);
nlohmann::ordered_json ParseProjectJson(const std::string& text);
// Adds the tg entry to the config file at `path` (created if missing). An existing "tg" entry,
// or a file that is not a JSON object with an "mcpServers" object, is left alone unless
// `force` (then the entry, or the unreadable file, is replaced).
Result<McpWrite> WriteMcpEntry(const std::string& path, std::string_view entry, bool force);

}  // namespace tg::cli
