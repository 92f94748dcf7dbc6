// tg setup: write the files that teach an agent the tg loop into the project.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/render.h"
#include "cli/setup_files.h"
#include "cli/setup_mcp.h"

namespace tg::cli {

void AddSetupCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "setup")) return;
  struct Opts {
    std::string path;
    bool force = false, cursor = false, mcp = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("setup", "Write AGENT.md and docs that teach agents the tg loop");
  sub->add_option("--path", o->path, "Project folder to write into (default: here)");
  sub->add_flag("--force", o->force, "Overwrite files (and tg's MCP entries) that already exist");
  sub->add_flag("--cursor", o->cursor, "Also write .cursor/rules/tg-usage.mdc");
  sub->add_flag("--mcp", o->mcp,
                "Also register `tg mcp` in .mcp.json (Claude Code) and .cursor/mcp.json (Cursor)");
  r.On(sub, [o](Session& s) -> Result<int> {
    namespace fs = std::filesystem;
    fs::path root = o->path.empty() ? fs::path(s.env.cwd) : fs::path(o->path);
    if (root.is_relative()) root = fs::path(s.env.cwd) / root;
    if (!fs::is_directory(root)) {
      return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root.string()));
    }
    // Every target is checked before anything is written, so a refusal writes nothing.
    std::vector<std::pair<const ScaffoldFile*, fs::path>> files;
    for (const auto& f : ScaffoldFiles()) {
      if (f.cursor_only && !o->cursor) continue;
      TG_ASSIGN(fs::path p, InsideProject(root, f.path));
      files.emplace_back(&f, p);
    }
    std::vector<std::pair<const McpConfigFile*, fs::path>> mcp_files;
    for (const auto& f : McpConfigFiles()) {
      if (!o->mcp) break;
      TG_ASSIGN(fs::path p, InsideProject(root, f.path));
      mcp_files.emplace_back(&f, p);
    }
    std::vector<std::string> created, updated, skipped;
    for (const auto& [f, p] : files) {
      if (fs::exists(p) && !o->force) {
        skipped.emplace_back(f->path);
        continue;
      }
      std::error_code ec;
      fs::create_directories(p.parent_path(), ec);
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out << f->content;
      out.close();
      if (!out) return Fail(Code::kIoError, fmt::format("cannot write {}", p.string()));
      created.emplace_back(f->path);
    }
    for (const auto& [f, p] : mcp_files) {
      TG_ASSIGN(McpWrite w, WriteMcpEntry(p, f->entry, o->force));
      (w == McpWrite::kCreated   ? created
       : w == McpWrite::kUpdated ? updated
                                 : skipped)
          .emplace_back(f->path);
    }
    if (s.Json()) {
      PrintJson(s, {{"created", created}, {"updated", updated}, {"skipped", skipped}});
      return 0;
    }
    if (!created.empty()) s.io.out << "Created:\n";
    for (const auto& c : created) s.io.out << "  + " << c << '\n';
    if (!updated.empty()) s.io.out << "Added the tg server to:\n";
    for (const auto& c : updated) s.io.out << "  ~ " << c << '\n';
    if (!skipped.empty()) s.io.out << "Skipped (already exists; --force overwrites):\n";
    for (const auto& c : skipped) s.io.out << "  = " << c << '\n';
    if (o->mcp) {
      s.io.out << "MCP: the entries run `tg mcp`, so tg must be on the harness's PATH; set "
                  "TG_AGENT (or --agent) per agent.\n";
    }
    return 0;
  });
}

}  // namespace tg::cli
