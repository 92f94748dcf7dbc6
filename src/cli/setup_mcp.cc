#include "cli/setup_mcp.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/limits.h"

namespace tg::cli {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

const std::vector<McpConfigFile>& McpConfigFiles() {
  // Claude Code starts a project's servers in the project, where tg finds .taskgraph/ by
  // walking up. Cursor does not promise which folder it starts a server in, so its entry names
  // the workspace (Cursor expands ${workspaceFolder} in mcp.json).
  static const std::vector<McpConfigFile> files{
      {".mcp.json", R"({"type":"stdio","command":"tg","args":["mcp"],"env":{}})"},
      {".cursor/mcp.json", R"({"command":"tg","args":["mcp","--dir","${workspaceFolder}"]})"},
  };
  return files;
}

Result<std::optional<std::string>> ReadProjectFile(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::optional<std::string>();
  TG_ASSIGN(std::string text, ReadBoundedFile(path, {.what = what,
                                                     .max_bytes = kMaxConfigBytes,
                                                     .missing = Code::kFileNotFound,
                                                     .refused = Code::kValidationFailed}));
  return std::optional<std::string>(std::move(text));
}

ojson ParseProjectJson(const std::string& text) {
  // A value nested deeper than kMaxJsonDepth is treated as unreadable, never recursed into.
  return JsonDepth(text) > kMaxJsonDepth ? ojson(ojson::value_t::discarded)
                                         : ojson::parse(text, nullptr, /*allow_exceptions=*/false);
}

Result<McpWrite> WriteMcpEntry(const std::string& path, std::string_view entry, bool force) {
  ojson doc = ojson::object();
  McpWrite what = McpWrite::kCreated;
  std::error_code ec;
  TG_ASSIGN(auto text, ReadProjectFile(path, "MCP config"));
  if (text) {
    what = McpWrite::kUpdated;
    doc = ParseProjectJson(*text);
    bool usable = doc.is_object() && (!doc.contains("mcpServers") || doc["mcpServers"].is_object());
    if (!usable) {
      if (!force) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{} is not a JSON object with an \"mcpServers\" object; fix it, "
                                "or use --force to replace it",
                                path));
      }
      doc = ojson::object();
    }
    if (doc.contains("mcpServers") && doc["mcpServers"].contains("tg") && !force) {
      return McpWrite::kSkipped;
    }
  }
  doc["mcpServers"]["tg"] = ojson::parse(entry);
  fs::create_directories(fs::path(path).parent_path(), ec);
  TG_TRY(WriteFileAtomically(path, doc.dump(2) + "\n", /*replace=*/true));
  return what;
}

}  // namespace tg::cli
