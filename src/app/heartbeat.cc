#include "app/heartbeat.h"

#include <nlohmann/json.hpp>

namespace tg::app {

using nlohmann::json;

std::optional<HeartbeatNote> ParseHeartbeat(std::string_view message) {
  auto j = json::parse(message, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto type = j.find("type");
  if (type == j.end() || !type->is_string() || type->get<std::string>() != "heartbeat") {
    return std::nullopt;
  }
  HeartbeatNote h;
  if (auto phase = j.find("phase"); phase != j.end() && phase->is_string()) {
    h.phase = phase->get<std::string>();
  }
  if (auto files = j.find("files"); files != j.end() && files->is_array()) {
    for (const auto& f : *files) {
      if (f.is_string()) h.files.push_back(f.get<std::string>());
    }
  }
  return h;
}

std::string NoteMessage(const Event& note) {
  auto body = json::parse(note.body, nullptr, false);
  if (body.is_object()) {
    auto m = body.find("message");
    if (m != body.end() && m->is_string()) return m->get<std::string>();
  }
  return note.body;
}

}  // namespace tg::app
