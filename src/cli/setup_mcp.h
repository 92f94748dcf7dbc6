// `tg setup --mcp`: the harness entries that start `tg mcp`, merged into the project's MCP
// config files (Claude Code's .mcp.json, Cursor's .cursor/mcp.json) beside the servers already
// there.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tg::cli {

struct McpConfigFile {
  std::string_view path;   // relative to the project folder
  std::string_view entry;  // the "tg" entry of its "mcpServers" object, as JSON
};
const std::vector<McpConfigFile>& McpConfigFiles();

enum class McpWrite { kCreated, kUpdated, kSkipped };
// Adds the tg entry to the config file at `path` (created if missing). An existing "tg" entry,
// or a file that is not a JSON object with an "mcpServers" object, is left alone unless
// `force` (then the entry, or the unreadable file, is replaced).
Result<McpWrite> WriteMcpEntry(const std::string& path, std::string_view entry, bool force);

}  // namespace tg::cli
