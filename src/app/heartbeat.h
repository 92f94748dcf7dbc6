// Heartbeat notes (contract section 3): a note whose message is a JSON object with
// "type": "heartbeat" extends the claimant's lease and tells others what phase the work is in
// and which files it touches. Parsed here once, for the lease rule and every view.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace tg::app {

struct HeartbeatNote {
  std::optional<std::string> phase;
  std::vector<std::string> files;
};

// The heartbeat in a note's message; nullopt for any other note. Never fails: a message is
// whatever the agent wrote, and a field of the wrong type is ignored.
std::optional<HeartbeatNote> ParseHeartbeat(std::string_view message);

// The text of a note event: its body's "message", or the body itself when it has none.
std::string NoteMessage(const Event& note);

}  // namespace tg::app
