#include "cli/setup_mcp.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

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

Result<fs::path> InsideProject(const fs::path& root, const fs::path& rel) {
  std::error_code ec;
  fs::path base = fs::canonical(root, ec);
  if (ec) return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root.string()));
  fs::path real = fs::weakly_canonical(base / rel, ec);
  if (ec) {
    return Fail(Code::kIoError,
                fmt::format("cannot resolve {}: {}", (base / rel).string(), ec.message()));
  }
  auto [b, r] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
  if (b != base.end()) {
    return Fail(Code::kValidationFailed,
                fmt::format("refusing to write {}: it leads to {}, outside the project (a "
                            "symlink); remove the link or write the file yourself",
                            rel.string(), real.string()));
  }
  return real;
}

Result<McpWrite> WriteMcpEntry(const fs::path& path, std::string_view entry, bool force) {
  ojson doc = ojson::object();
  McpWrite what = McpWrite::kCreated;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    what = McpWrite::kUpdated;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    doc = ojson::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    bool usable = doc.is_object() && (!doc.contains("mcpServers") || doc["mcpServers"].is_object());
    if (!usable) {
      if (!force) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{} is not a JSON object with an \"mcpServers\" object; fix it, "
                                "or use --force to replace it",
                                path.string()));
      }
      doc = ojson::object();
    }
    if (doc.contains("mcpServers") && doc["mcpServers"].contains("tg") && !force) {
      return McpWrite::kSkipped;
    }
  }
  doc["mcpServers"]["tg"] = ojson::parse(entry);
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << doc.dump(2) << '\n';
  out.close();
  if (!out) return Fail(Code::kIoError, fmt::format("cannot write {}", path.string()));
  return what;
}

}  // namespace tg::cli
