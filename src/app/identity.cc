#include "app/identity.h"

#include <cctype>

namespace tg::app {

namespace {

struct HarnessVar {
  std::string var;
  std::string prefix;
};

// Codex exports its thread id into every shell command it runs. Claude Code gives shell commands
// no session id; its SessionStart hook (written by `tg setup --harness claude`) sets TG_AGENT
// through CLAUDE_ENV_FILE instead, so it needs no entry here. Cursor gives none that is per agent
// (CURSOR_TRACE_ID is set for a person's terminal too).
const std::vector<HarnessVar>& Vars() {
  static const std::vector<HarnessVar> v{{"CODEX_THREAD_ID", "codex-"}};
  return v;
}

// The first eight letters and digits of a session id: short enough to read in `tg agents`,
// enough to keep concurrent sessions apart.
std::string ShortSession(std::string_view id) {
  std::string s;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (s.size() == 8) break;
  }
  return s;
}

}  // namespace

const std::vector<std::string>& HarnessIdentityVars() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& v : Vars()) n.push_back(v.var);
    return n;
  }();
  return names;
}

std::optional<std::string> HarnessAgent(const EnvLookup& env) {
  for (const auto& v : Vars()) {
    auto value = env(v.var);
    if (!value) continue;
    std::string id = ShortSession(*value);
    if (!id.empty()) return v.prefix + id;
  }
  return std::nullopt;
}

std::optional<std::string> ResolveAgent(std::string_view flag, const EnvLookup& env) {
  if (!flag.empty()) return std::string(flag);
  if (auto a = env("TG_AGENT")) return a;
  return HarnessAgent(env);
}

}  // namespace tg::app
