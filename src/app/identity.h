// Who acts (contract section 10): --agent, else TG_AGENT, else an identity the harness running
// this command gives its shell commands, else "default". A harness identity is stable for one
// agent session and distinct between sessions, so two agents never share a name by accident.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tg::app {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// The environment variables a harness sets for the commands its agent runs, in the order they
// are tried. Front ends read exactly these (and nothing else) for identity.
const std::vector<std::string>& HarnessIdentityVars();

// "codex-1a2b3c4d" for a Codex thread, and so on; nullopt when no supported harness says who
// this is.
std::optional<std::string> HarnessAgent(const EnvLookup& env);

// The acting agent by the contract's order; nullopt means "default" (nobody said).
std::optional<std::string> ResolveAgent(std::string_view flag, const EnvLookup& env);

}  // namespace tg::app
