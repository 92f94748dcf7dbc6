// `tg setup --harness`: which coding-agent harnesses a project uses, and the harness files
// that are merged into rather than written whole (CLAUDE.md, .claude/settings.json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tg::cli {

enum class Harness { kClaude, kCodex, kCursor, kGeneric };
std::string_view ToString(Harness h);
std::optional<Harness> ParseHarness(std::string_view s);

// The harnesses this command runs under (their environment variables) or the project already
// has files for (.claude/, CLAUDE.md, .cursor/, .codex/); generic when none.
std::vector<Harness> DetectHarnesses(const std::string& root,
                                     const std::vector<std::string>& env_names);
// The environment variables DetectHarnesses looks at.
const std::vector<std::string>& HarnessEnvNames();

// How an agent of this harness gets its identity, as one line for `tg setup`'s report.
std::string_view IdentityAdvice(Harness h);

enum class Merge { kCreated, kUpdated, kSkipped };

// CLAUDE.md imports AGENTS.md (`@AGENTS.md`): created with the import, or the import appended
// to an existing file that lacks it (appending loses nothing). kSkipped when it has it.
Result<Merge> AddClaudeImport(const std::string& path);

// The SessionStart hook that names each Claude Code session (`tg hook claude-session-start`),
// added to .claude/settings.json beside the user's own settings and hooks. A file that is not
// a JSON object is refused unless `force` replaces it.
Result<Merge> AddClaudeHook(const std::string& path, bool force);

// The hook itself: `input` is the SessionStart JSON Claude Code sends on stdin. Appends
// `export TG_AGENT=claude-<8 hex>` to `env_file` (CLAUDE_ENV_FILE, which Claude Code sources
// before every Bash command of the session) and returns the agent name.
Result<std::string> RunClaudeSessionHook(std::string_view input, const std::string& env_file);

}  // namespace tg::cli
