// tg setup: write the files that teach an agent the tg loop into the project.
#include <fmt/format.h>

#include <filesystem>

#include "app/init.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/setup_files.h"
#include "cli/setup_mcp.h"
#include "core/file.h"

namespace tg::cli {

namespace {

// `path` (resolved) is `root` (resolved) or lies below it.
bool Inside(const std::string& path, const std::string& root) {
  return path == root ||
         (path.starts_with(root) && (root.ends_with('/') || path[root.size()] == '/'));
}

// Where `rel` under `root` really is: never in tg's own state, never through a symlink out of
// the project.
Result<std::string> Target(Session& s, const std::string& root, std::string_view rel) {
  std::string named = root + "/" + std::string(rel);
  TG_ASSIGN(std::string path, app::OutputPath(s.env.cwd, s.ExplicitDir(), "setup", named));
  if (!Inside(path, root)) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} resolves to {}, outside the project {} (a symlink); tg setup "
                            "never writes through a symlink out of the project: remove the "
                            "link, or write that file yourself",
                            named, path, root));
  }
  return path;
}

}  // namespace

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
    std::string given = o->path.empty() ? s.env.cwd : o->path;
    TG_ASSIGN(std::string root, app::OutputPath(s.env.cwd, s.ExplicitDir(), "--path", given));
    if (!fs::is_directory(root)) {
      return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root));
    }
    // Every file is checked before any is written, so a refusal leaves the project as it was.
    std::vector<std::pair<const ScaffoldFile*, std::string>> files;
    std::vector<std::string> created, updated, skipped;
    for (const auto& f : ScaffoldFiles()) {
      if (f.cursor_only && !o->cursor) continue;
      TG_ASSIGN(std::string path, Target(s, root, f.path));
      std::error_code ec;
      if (fs::exists(fs::symlink_status(root + "/" + std::string(f.path), ec)) && !o->force) {
        skipped.emplace_back(f.path);
        continue;
      }
      files.emplace_back(&f, path);
    }
    std::vector<std::pair<const McpConfigFile*, std::string>> mcp_files;
    for (const auto& f : McpConfigFiles()) {
      if (!o->mcp) break;
      TG_ASSIGN(std::string path, Target(s, root, f.path));
      mcp_files.emplace_back(&f, path);
    }
    for (const auto& [f, path] : files) {
      std::error_code ec;
      fs::create_directories(fs::path(path).parent_path(), ec);
      TG_TRY(WriteFileAtomically(path, f->content, /*replace=*/true));
      created.emplace_back(f->path);
    }
    for (const auto& [f, path] : mcp_files) {
      TG_ASSIGN(McpWrite w, WriteMcpEntry(path, f->entry, o->force));
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
