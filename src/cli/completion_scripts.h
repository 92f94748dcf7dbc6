// The shell completion scripts `tg completion` prints. Each only passes the words typed so far
// to `tg __complete` and offers what it answers, so the logic lives once, in C++, on the
// command table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tg::cli {

// The script for `shell` (bash, zsh or fish); nullopt for any other shell.
std::optional<std::string> CompletionScript(std::string_view shell);

}  // namespace tg::cli
