// tg context <id> (what an agent reads before working on a task) and tg context --hive (what
// every agent is doing now).
#include <fmt/format.h>

#include "api/context.h"
#include "app/agent_context.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

std::string Cut(const std::string& s, size_t n) { return s.size() > n ? s.substr(0, n) + "…" : s; }

void PrintContext(Session& s, const json& j) {
  auto& out = s.io.out;
  out << "Task: " << j["title"].get<std::string>() << " (" << j["hash_id"].get<std::string>()
      << ", " << j["status"].get<std::string>() << ")\n";
  if (j["agent"].is_string()) out << "Agent: " << j["agent"].get<std::string>() << '\n';
  if (j["change_type"].is_string())
    out << "Change type: " << j["change_type"].get<std::string>() << '\n';
  std::string overview =
      j["plan_overview"].is_string() ? j["plan_overview"].get<std::string>() : "";
  out << "Plan: " << j["plan_name"].get<std::string>();
  if (!overview.empty()) out << " — " << Cut(overview.substr(0, overview.find('\n')), 120);
  out << '\n';
  if (j["intent"].is_string()) out << "\nIntent:\n" << j["intent"].get<std::string>() << '\n';
  // How to check the work: the todo's own tests and acceptance, then the plan's tests.
  for (auto [key, heading] :
       {std::pair{"acceptance", "Acceptance"}, {"tests", "Tests"}, {"plan_tests", "Plan tests"}}) {
    if (!j[key].is_array() || j[key].empty()) continue;
    out << '\n' << heading << ":\n";
    for (const auto& item : j[key]) {
      out << "  - " << (item.is_string() ? item.get<std::string>() : item.dump()) << '\n';
    }
  }
  for (const auto& d : j["doc_paths"]) out << "Doc: " << d.get<std::string>() << '\n';
  for (const auto& d : j["skill_docs"]) out << "Skill guide: " << d.get<std::string>() << '\n';
  if (j["suggested_changes"].is_string()) {
    out << "\nSuggested changes:\n" << j["suggested_changes"].get<std::string>() << '\n';
  }
  if (j["file_tree"].is_string())
    out << "\nPlan file tree:\n" << j["file_tree"].get<std::string>() << '\n';
  if (j["risks"].is_array() && !j["risks"].empty()) {
    out << "\nPlan risks:\n";
    // Stored JSON is read tolerantly: a risk that is not an object of strings shows as "?".
    auto field = [](const json& r, const char* key, const char* absent) {
      auto it = r.is_object() ? r.find(key) : r.end();
      return it != r.end() && it->is_string() ? it->get<std::string>() : std::string(absent);
    };
    for (const auto& r : j["risks"]) {
      out << "  - " << field(r, "severity", "?") << ": " << field(r, "description", "") << " ("
          << field(r, "mitigation", "") << ")\n";
    }
  }
  if (!j["immediate_blockers"].empty()) {
    out << "\nImmediate blockers:\n";
    for (const auto& b : j["immediate_blockers"]) {
      out << "  " << b["hash_id"].get<std::string>() << "  " << b["title"].get<std::string>()
          << " (" << b["status"].get<std::string>() << ")";
      if (b["evidence"].is_string())
        out << " [evidence: " << b["evidence"].get<std::string>() << "]";
      out << '\n';
    }
  }
  if (!j["notes"].empty()) {
    out << "\nNotes (newest first):\n";
    for (const auto& n : j["notes"]) {
      out << "  " << n["agent"].get<std::string>() << ": " << n["message"].get<std::string>()
          << '\n';
    }
  }
  out << fmt::format("\n[context: ~{} tokens]\n", j["token_estimate"].get<int>());
}

}  // namespace

void AddContextCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "context")) return;
  struct Opts {
    std::string id;
    bool hive = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("context",
                                 "What an agent needs to work on a task (--hive: what "
                                 "every agent is doing)");
  sub->add_option("id", o->id, "Task id");
  sub->add_flag("--hive", o->hive, "Every doing task with its agent's latest heartbeat and notes");
  r.On(sub, [o](Session& s) -> Result<int> {
    s.auto_json = true;
    if (o->hive == !o->id.empty()) {
      return Fail(Code::kUsage, "give a task id, or --hive for every agent's current work");
    }
    TG_ASSIGN(auto* ctx, s.Ctx());
    if (o->hive) {
      TG_ASSIGN(auto hive, app::Hive(*ctx));
      json j = api::HiveJson(hive);
      if (s.Json(true)) {
        PrintJson(s, j);
        return 0;
      }
      s.io.out << "Hive snapshot (" << hive.entries.size() << " doing task(s), as of "
               << j["as_of"].get<std::string>() << ")\n";
      for (const auto& t : j["tasks"]) {
        s.io.out << "  " << t["hash_id"].get<std::string>() << "  " << t["title"].get<std::string>()
                 << "  " << (t["agent_name"].is_string() ? t["agent_name"].get<std::string>() : "—")
                 << "  "
                 << (t["heartbeat_phase"].is_string() ? t["heartbeat_phase"].get<std::string>()
                                                      : "—")
                 << "  " << t["heartbeat_files"].size() << " file(s)\n";
        for (const auto& n : t["recent_notes"]) {
          s.io.out << "    note: " << Cut(n["body_text"].get<std::string>(), 80) << '\n';
        }
      }
      return 0;
    }
    TG_ASSIGN(auto c, app::ContextOf(*ctx, o->id));
    json j = api::ContextJson(c);
    if (s.Json(true)) {
      PrintJson(s, j);
    } else {
      PrintContext(s, j);
    }
    return 0;
  });
}

}  // namespace tg::cli
