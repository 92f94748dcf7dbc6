// tg setup: write the files that teach an agent the tg loop into the project.
#include <fmt/format.h>

#include <filesystem>

#include "app/init.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/setup_files.h"
#include "core/file.h"

namespace tg::cli {

namespace {

// `path` (resolved) is `root` (resolved) or lies below it.
bool Inside(const std::string& path, const std::string& root) {
  return path == root ||
         (path.starts_with(root) && (root.ends_with('/') || path[root.size()] == '/'));
}

}  // namespace

void AddSetupCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "setup")) return;
  struct Opts {
    std::string path;
    bool force = false, cursor = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("setup", "Write AGENT.md and docs that teach agents the tg loop");
  sub->add_option("--path", o->path, "Project folder to write into (default: here)");
  sub->add_flag("--force", o->force, "Overwrite files that already exist");
  sub->add_flag("--cursor", o->cursor, "Also write .cursor/rules/tg-usage.mdc");
  r.On(sub, [o](Session& s) -> Result<int> {
    namespace fs = std::filesystem;
    std::string given = o->path.empty() ? s.env.cwd : o->path;
    TG_ASSIGN(std::string root, app::OutputPath(s.env.cwd, s.ExplicitDir(), "--path", given));
    if (!fs::is_directory(root)) {
      return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root));
    }
    // Every file is checked before any is written, so a refusal leaves the project as it was.
    struct Planned {
      const ScaffoldFile* file;
      std::string path;  // resolved, inside the project
    };
    std::vector<Planned> planned;
    std::vector<std::string> created, skipped;
    for (const auto& f : ScaffoldFiles()) {
      if (f.cursor_only && !o->cursor) continue;
      std::string named = root + "/" + std::string(f.path);
      TG_ASSIGN(std::string path, app::OutputPath(s.env.cwd, s.ExplicitDir(), "setup", named));
      if (!Inside(path, root)) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{} resolves to {}, outside the project {} (a symlink); tg setup "
                                "never writes through a symlink out of the project: remove the "
                                "link, or write that file yourself",
                                named, path, root));
      }
      std::error_code ec;
      if (fs::exists(fs::symlink_status(named, ec)) && !o->force) {
        skipped.emplace_back(f.path);
        continue;
      }
      planned.push_back({&f, path});
    }
    for (const auto& p : planned) {
      std::error_code ec;
      fs::create_directories(fs::path(p.path).parent_path(), ec);
      TG_TRY(WriteFileAtomically(p.path, p.file->content, /*replace=*/true));
      created.emplace_back(p.file->path);
    }
    if (s.Json()) {
      PrintJson(s, {{"created", created}, {"skipped", skipped}});
      return 0;
    }
    if (!created.empty()) s.io.out << "Created:\n";
    for (const auto& c : created) s.io.out << "  + " << c << '\n';
    if (!skipped.empty()) s.io.out << "Skipped (already exists; --force overwrites):\n";
    for (const auto& c : skipped) s.io.out << "  = " << c << '\n';
    return 0;
  });
}

}  // namespace tg::cli
