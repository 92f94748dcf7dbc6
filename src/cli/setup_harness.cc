#include "cli/setup_harness.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cli/setup_mcp.h"
#include "core/file.h"
#include "core/strings.h"

namespace tg::cli {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

constexpr std::string_view kHookCommand = "tg hook claude-session-start";
constexpr std::string_view kImport = "@AGENTS.md";

bool Exists(const std::string& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

}  // namespace

std::string_view ToString(Harness h) {
  switch (h) {
    case Harness::kClaude:
      return "claude";
    case Harness::kCodex:
      return "codex";
    case Harness::kCursor:
      return "cursor";
    case Harness::kGeneric:
      break;
  }
  return "generic";
}

std::optional<Harness> ParseHarness(std::string_view s) {
  for (Harness h : {Harness::kClaude, Harness::kCodex, Harness::kCursor, Harness::kGeneric}) {
    if (s == ToString(h)) return h;
  }
  return std::nullopt;
}

const std::vector<std::string>& HarnessEnvNames() {
  // CLAUDECODE=1 in Claude Code's shells; CODEX_THREAD_ID in Codex's; CURSOR_AGENT in the
  // Cursor agent's terminal.
  static const std::vector<std::string> names{"CLAUDECODE", "CODEX_THREAD_ID", "CURSOR_AGENT"};
  return names;
}

std::vector<Harness> DetectHarnesses(const std::string& root,
                                     const std::vector<std::string>& env_names) {
  auto has_env = [&](std::string_view n) {
    return std::find(env_names.begin(), env_names.end(), n) != env_names.end();
  };
  std::vector<Harness> out;
  if (has_env("CLAUDECODE") || Exists(root + "/.claude") || Exists(root + "/CLAUDE.md")) {
    out.push_back(Harness::kClaude);
  }
  if (has_env("CODEX_THREAD_ID") || Exists(root + "/.codex")) out.push_back(Harness::kCodex);
  if (has_env("CURSOR_AGENT") || Exists(root + "/.cursor")) out.push_back(Harness::kCursor);
  if (out.empty()) out.push_back(Harness::kGeneric);
  return out;
}

std::string_view IdentityAdvice(Harness h) {
  switch (h) {
    case Harness::kClaude:
      return "Claude Code: the SessionStart hook in .claude/settings.json names each session "
             "claude-<session> (tg must be on Claude Code's PATH)";
    case Harness::kCodex:
      return "Codex: each session is codex-<thread> from CODEX_THREAD_ID, nothing to set";
    case Harness::kCursor:
      return "Cursor: gives its agents no identity; start each agent with its own "
             "TG_AGENT=<name> (e.g. in the terminal profile), or pass --agent";
    case Harness::kGeneric:
      break;
  }
  return "set TG_AGENT=<name> for each agent (or pass --agent <name>): without it every agent "
         "is `default`, and any of them may finish the others' tasks";
}

Result<Merge> AddClaudeImport(const std::string& path) {
  TG_ASSIGN(auto text, ReadProjectFile(path, "CLAUDE.md"));
  if (!text) {
    TG_TRY(WriteFileAtomically(path,
                               fmt::format("# Claude Code\n\nThis project's agent instructions "
                                           "(the tg task loop) are in AGENTS.md:\n\n{}\n",
                                           kImport),
                               /*replace=*/false));
    return Merge::kCreated;
  }
  for (size_t at = text->find(kImport); at != std::string::npos; at = text->find(kImport, at + 1)) {
    bool line_start = at == 0 || (*text)[at - 1] == '\n';
    size_t end = at + kImport.size();
    bool line_end = end == text->size() || (*text)[end] == '\n' || (*text)[end] == '\r';
    if (line_start && line_end) return Merge::kSkipped;
  }
  std::string out = *text;
  if (!out.empty() && !out.ends_with('\n')) out += '\n';
  out += fmt::format("\n## Task graph (tg)\n\n{}\n", kImport);
  TG_TRY(WriteFileAtomically(path, out, /*replace=*/true));
  return Merge::kUpdated;
}

Result<Merge> AddClaudeHook(const std::string& path, bool force) {
  ojson doc = ojson::object();
  Merge what = Merge::kCreated;
  TG_ASSIGN(auto text, ReadProjectFile(path, "Claude Code settings"));
  if (text) {
    what = Merge::kUpdated;
    doc = ParseProjectJson(*text);
    bool usable = doc.is_object() && (!doc.contains("hooks") || doc["hooks"].is_object()) &&
                  (!doc.contains("hooks") || !doc["hooks"].contains("SessionStart") ||
                   doc["hooks"]["SessionStart"].is_array());
    if (!usable) {
      if (!force) {
        return Fail(Code::kValidationFailed,
                    fmt::format("{} is not a JSON object whose \"hooks\".\"SessionStart\" is a "
                                "list; fix it, or use --force to replace it",
                                path));
      }
      doc = ojson::object();
    }
    // Already there (by this exact command, in any matcher group): nothing to do.
    for (const auto& group : doc["hooks"].value("SessionStart", ojson::array())) {
      if (!group.is_object() || !group.contains("hooks") || !group["hooks"].is_array()) continue;
      for (const auto& h : group["hooks"]) {
        if (h.is_object() && h.value("command", "") == kHookCommand) return Merge::kSkipped;
      }
    }
  }
  ojson hook = {{"type", "command"}, {"command", kHookCommand}};
  doc["hooks"]["SessionStart"].push_back({{"hooks", ojson::array({hook})}});
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  TG_TRY(WriteFileAtomically(path, doc.dump(2) + "\n", /*replace=*/true));
  return what;
}

Result<std::string> RunClaudeSessionHook(std::string_view input, const std::string& env_file) {
  ojson in = ParseProjectJson(std::string(input));
  std::string session = in.is_object() ? in.value("session_id", "") : "";
  std::string id;
  for (char c : session) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (id.size() == 8) break;
  }
  if (id.size() < 8) {
    return Fail(Code::kValidationFailed,
                "the SessionStart hook input has no session_id; this command is run by Claude "
                "Code's SessionStart hook (tg setup --harness claude writes it)");
  }
  if (env_file.empty()) {
    return Fail(Code::kValidationFailed,
                "CLAUDE_ENV_FILE is not set: Claude Code sets it for SessionStart hooks only; "
                "outside them set TG_AGENT yourself");
  }
  std::string agent = Cat({"claude-", id});
  std::ofstream f(env_file, std::ios::app);
  f << "export TG_AGENT=" << agent << '\n';
  f.flush();
  if (!f) {
    return Fail(Code::kIoError, fmt::format("could not append to CLAUDE_ENV_FILE {}", env_file));
  }
  return agent;
}

}  // namespace tg::cli
