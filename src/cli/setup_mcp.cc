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

Result<McpWrite> WriteMcpEntry(const std::string& path, std::string_view entry, bool force) {
  ojson doc = ojson::object();
  McpWrite what = McpWrite::kCreated;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    what = McpWrite::kUpdated;
    // Another program's file: bounded like every file tg reads, and never parsed into a stack
    // overflow (a value nested deeper than kMaxJsonDepth is treated as unreadable).
    TG_ASSIGN(std::string text, ReadBoundedFile(path, {.what = "MCP config",
                                                       .max_bytes = kMaxConfigBytes,
                                                       .missing = Code::kFileNotFound,
                                                       .refused = Code::kValidationFailed}));
    doc = JsonDepth(text) > kMaxJsonDepth ? ojson(nullptr)
                                          : ojson::parse(text, nullptr, /*allow_exceptions=*/false);
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
