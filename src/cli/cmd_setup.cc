// tg setup: write the files that teach an agent the tg loop into the project.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "app/init.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/setup_files.h"
#include "cli/setup_harness.h"
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

Result<std::vector<Harness>> Harnesses(const Session& s, const std::vector<std::string>& named,
                                       bool cursor_flag, const std::string& root) {
  std::vector<Harness> out;
  for (const auto& n : named) {
    auto h = ParseHarness(n);
    if (!h) {
      return Fail(Code::kValidationFailed,
                  fmt::format("--harness must be claude, codex, cursor or generic, not '{}'", n));
    }
    if (std::find(out.begin(), out.end(), *h) == out.end()) out.push_back(*h);
  }
  if (cursor_flag && std::find(out.begin(), out.end(), Harness::kCursor) == out.end()) {
    out.push_back(Harness::kCursor);
  }
  if (!out.empty()) return out;
  std::vector<std::string> present;
  for (const auto& name : HarnessEnvNames()) {
    if (s.env.Get(name)) present.push_back(name);
  }
  return DetectHarnesses(root, present);
}

bool Has(const std::vector<Harness>& hs, Harness h) {
  return std::find(hs.begin(), hs.end(), h) != hs.end();
}

struct Report {
  std::vector<std::string> created, updated, skipped;
  void Add(Merge m, std::string_view path) {
    (m == Merge::kCreated ? created : m == Merge::kUpdated ? updated : skipped).emplace_back(path);
  }
};

}  // namespace

void AddSetupCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "setup") && !Wants(want, "hook")) return;
  struct Opts {
    std::string path;
    std::vector<std::string> harness;
    bool force = false, cursor = false, mcp = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand(
      "setup", "Write AGENTS.md, harness files and docs that teach agents the tg loop");
  sub->add_option("--path", o->path, "Project folder to write into (default: here)");
  sub->add_option("--harness", o->harness,
                  "claude, codex, cursor or generic (repeatable; default: detected)");
  sub->add_flag("--force", o->force, "Overwrite files (and tg's MCP entries) that already exist");
  sub->add_flag("--cursor", o->cursor, "Same as --harness cursor");
  sub->add_flag("--mcp", o->mcp,
                "Also register `tg mcp` in .mcp.json (Claude Code) and .cursor/mcp.json (Cursor)");
  r.On(sub, [o](Session& s) -> Result<int> {
    namespace fs = std::filesystem;
    std::string given = o->path.empty() ? s.env.cwd : o->path;
    TG_ASSIGN(std::string root, app::OutputPath(s.env.cwd, s.ExplicitDir(), "--path", given));
    if (!fs::is_directory(root)) {
      return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", root));
    }
    TG_ASSIGN(auto harnesses, Harnesses(s, o->harness, o->cursor, root));
    // Every target is checked before any file is written, so a refusal (a symlink out of the
    // project) leaves the project as it was.
    std::vector<std::pair<const ScaffoldFile*, std::string>> files;
    Report rep;
    for (const auto& f : ScaffoldFiles()) {
      if (f.only && !Has(harnesses, *f.only)) continue;
      TG_ASSIGN(std::string path, Target(s, root, f.path));
      std::error_code ec;
      if (fs::exists(fs::symlink_status(root + "/" + std::string(f.path), ec)) && !o->force) {
        rep.skipped.emplace_back(f.path);
        continue;
      }
      files.emplace_back(&f, path);
    }
    const bool claude = Has(harnesses, Harness::kClaude);
    std::string claude_md, claude_settings;
    if (claude) {
      TG_ASSIGN(claude_md, Target(s, root, "CLAUDE.md"));
      TG_ASSIGN(claude_settings, Target(s, root, ".claude/settings.json"));
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
      rep.created.emplace_back(f->path);
    }
    if (claude) {
      TG_ASSIGN(Merge m, AddClaudeImport(claude_md));
      rep.Add(m, "CLAUDE.md");
      TG_ASSIGN(Merge h, AddClaudeHook(claude_settings, o->force));
      rep.Add(h, ".claude/settings.json");
    }
    for (const auto& [f, path] : mcp_files) {
      TG_ASSIGN(McpWrite w, WriteMcpEntry(path, f->entry, o->force));
      rep.Add(w == McpWrite::kCreated   ? Merge::kCreated
              : w == McpWrite::kUpdated ? Merge::kUpdated
                                        : Merge::kSkipped,
              f->path);
    }
    std::vector<std::string> names, identity;
    for (Harness h : harnesses) {
      names.emplace_back(ToString(h));
      identity.emplace_back(IdentityAdvice(h));
    }
    if (s.Json()) {
      PrintJson(s, {{"harnesses", names},
                    {"created", rep.created},
                    {"updated", rep.updated},
                    {"skipped", rep.skipped},
                    {"identity", identity}});
      return 0;
    }
    s.io.out << "Harness: " << fmt::format("{}", fmt::join(names, ", ")) << '\n';
    if (!rep.created.empty()) s.io.out << "Created:\n";
    for (const auto& c : rep.created) s.io.out << "  + " << c << '\n';
    if (!rep.updated.empty()) s.io.out << "Added tg to:\n";
    for (const auto& c : rep.updated) s.io.out << "  ~ " << c << '\n';
    if (!rep.skipped.empty()) s.io.out << "Skipped (already there; --force overwrites):\n";
    for (const auto& c : rep.skipped) s.io.out << "  = " << c << '\n';
    s.io.out << "Identity:\n";
    for (const auto& line : identity) s.io.out << "  " << line << '\n';
    if (o->mcp) s.io.out << "MCP: the entries run `tg mcp`, so tg must be on the harness's PATH.\n";
    return 0;
  });
  // Run by Claude Code's SessionStart hook, not by people: names the session's agent.
  auto* hook = app.add_subcommand("hook", "Commands run by harness hooks (see tg setup)");
  hook->group("");
  auto* start = hook->add_subcommand("claude-session-start",
                                     "Name this Claude Code session's agent (SessionStart hook)");
  hook->require_subcommand(1);
  r.On(start, [](Session& s) -> Result<int> {
    if (auto named = s.env.Get("TG_AGENT")) {
      s.io.out << "tg: you are agent " << *named << " (TG_AGENT)\n";
      return 0;
    }
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    TG_ASSIGN(std::string agent,
              RunClaudeSessionHook(input, s.env.Get("CLAUDE_ENV_FILE").value_or("")));
    // A SessionStart hook's stdout becomes context the agent reads.
    s.io.out << "tg: you are agent " << agent << "; tg commands in this session claim as it\n";
    return 0;
  });
}

}  // namespace tg::cli
