// tg setup: write the files that teach an agent the tg loop into the project.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/render.h"
#include "cli/setup_files.h"

namespace tg::cli {

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
    fs::path root = o->path.empty() ? fs::path(s.env.cwd) : fs::path(o->path);
    if (root.is_relative()) root = fs::path(s.env.cwd) / root;
    if (!fs::is_directory(root)) {
      return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root.string()));
    }
    std::vector<std::string> created, skipped;
    for (const auto& f : ScaffoldFiles()) {
      if (f.cursor_only && !o->cursor) continue;
      fs::path p = root / f.path;
      if (fs::exists(p) && !o->force) {
        skipped.emplace_back(f.path);
        continue;
      }
      std::error_code ec;
      fs::create_directories(p.parent_path(), ec);
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out << f.content;
      out.close();
      if (!out) return Fail(Code::kIoError, fmt::format("cannot write {}", p.string()));
      created.emplace_back(f.path);
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
