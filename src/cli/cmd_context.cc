// tg context <id> (what an agent reads before working on a task) and tg context --hive (what
// every agent is doing now).
#include <fmt/format.h>

#include "app/agent_context.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

json Parsed(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = json::parse(*text, nullptr, false);
  return j.is_discarded() ? json(*text) : j;
}

std::string NoteMessage(const Event& e) {
  auto body = json::parse(e.body, nullptr, false);
  if (body.is_object() && body.contains("message") && body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  return e.body;
}

std::string Cut(const std::string& s, size_t n) { return s.size() > n ? s.substr(0, n) + "…" : s; }

int Tokens(const json& j) { return static_cast<int>(j.dump().size() / 4); }

json ContextJson(const app::TaskContext& c) {
  const Task& t = c.task;
  json blockers = json::array();
  for (const auto& b : c.blockers) {
    blockers.push_back({{"task_id", b.task.task_id},
                        {"hash_id", b.task.hash_id},
                        {"title", b.task.title},
                        {"status", ToString(b.task.status)},
                        {"evidence", b.evidence ? json(*b.evidence) : json(nullptr)}});
  }
  json gates = json::array();
  for (const auto& g : c.pending_gates) gates.push_back(GateJson(g));
  json notes = json::array();
  for (const auto& n : c.notes) {
    notes.push_back(
        {{"agent", n.agent}, {"message", NoteMessage(n)}, {"created_at", FormatIso(n.created_at)}});
  }
  json doc_paths = json::array(), skill_docs = json::array();
  for (const auto& d : c.docs) doc_paths.push_back("docs/" + d + ".md");
  for (const auto& s : c.skills) skill_docs.push_back("docs/skills/" + s + ".md");
  json j = {{"task_id", t.task_id},
            {"hash_id", t.hash_id},
            {"title", t.title},
            {"status", ToString(t.status)},
            {"claimed_by", t.claimed_by ? json(*t.claimed_by) : json(nullptr)},
            {"agent", t.agent ? json(*t.agent) : json(nullptr)},
            {"intent", t.intent ? json(*t.intent) : json(nullptr)},
            {"change_type", t.change_type ? json(*t.change_type) : json(nullptr)},
            {"suggested_changes", t.suggested_changes ? json(*t.suggested_changes) : json(nullptr)},
            {"acceptance", Parsed(t.acceptance)},
            {"plan_id", c.plan.plan_id},
            {"plan_name", c.plan.title},
            {"plan_overview", c.plan.overview         ? json(*c.plan.overview)
                              : c.plan.intent.empty() ? json(nullptr)
                                                      : json(c.plan.intent)},
            {"docs", c.docs},
            {"skills", c.skills},
            {"doc_paths", doc_paths},
            {"skill_docs", skill_docs},
            {"file_tree", c.plan.file_tree ? json(*c.plan.file_tree) : json(nullptr)},
            {"risks", Parsed(c.plan.risks)},
            {"immediate_blockers", blockers},
            {"blocked_by", t.blocked_by},
            {"pending_gates", gates},
            {"notes", notes},
            {"compacted", json::array()}};
  j["token_estimate"] = Tokens(j);
  return j;
}

// Shrinks the context until it fits the budget, cheapest losses first.
void Compact(json& j, int budget) {
  auto fits = [&] {
    j["token_estimate"] = Tokens(j);
    return j["token_estimate"].get<int>() <= budget;
  };
  if (budget <= 0 || fits()) return;
  auto step = [&](const char* name, auto&& f) {
    if (fits()) return;
    std::string before = j.dump();
    f();
    if (j.dump() != before) j["compacted"].push_back(name);
  };
  step("blocker_evidence", [&] {
    for (auto& b : j["immediate_blockers"]) {
      if (b["evidence"].is_string()) b["evidence"] = Cut(b["evidence"].get<std::string>(), 100);
    }
  });
  step("notes", [&] {
    json keep = json::array();
    for (size_t i = 0; i < j["notes"].size() && i < 3; ++i) {
      json n = j["notes"][i];
      n["message"] = Cut(n["message"].get<std::string>(), 200);
      keep.push_back(n);
    }
    j["notes"] = keep;
  });
  step("file_tree_truncated", [&] {
    if (j["file_tree"].is_string()) j["file_tree"] = Cut(j["file_tree"].get<std::string>(), 500);
  });
  step("file_tree", [&] { j["file_tree"] = nullptr; });
  step("suggested_changes", [&] {
    if (j["suggested_changes"].is_string()) {
      j["suggested_changes"] = Cut(j["suggested_changes"].get<std::string>(), 500);
    }
  });
  fits();
}

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
  for (const auto& d : j["doc_paths"]) out << "Doc: " << d.get<std::string>() << '\n';
  for (const auto& d : j["skill_docs"]) out << "Skill guide: " << d.get<std::string>() << '\n';
  if (j["suggested_changes"].is_string()) {
    out << "\nSuggested changes:\n" << j["suggested_changes"].get<std::string>() << '\n';
  }
  if (j["file_tree"].is_string())
    out << "\nPlan file tree:\n" << j["file_tree"].get<std::string>() << '\n';
  if (j["risks"].is_array() && !j["risks"].empty()) {
    out << "\nPlan risks:\n";
    for (const auto& r : j["risks"]) {
      out << "  - " << r.value("severity", "?") << ": " << r.value("description", "") << " ("
          << r.value("mitigation", "") << ")\n";
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

json HiveJson(const std::vector<app::HiveEntry>& hive, Millis now) {
  json tasks = json::array();
  for (const auto& h : hive) {
    json hb = nullptr;
    std::string phase;
    json files = json::array();
    if (h.heartbeat) {
      auto msg = json::parse(NoteMessage(*h.heartbeat), nullptr, false);
      if (msg.is_object()) {
        if (msg.contains("phase") && msg["phase"].is_string()) phase = msg["phase"];
        if (msg.contains("files") && msg["files"].is_array()) files = msg["files"];
      }
      hb = FormatIso(h.heartbeat->created_at);
    }
    json notes = json::array();
    for (const auto& n : h.recent_notes) {
      notes.push_back({{"body_text", NoteMessage(n)},
                       {"agent", n.agent},
                       {"created_at", FormatIso(n.created_at)}});
    }
    const Task& t = h.task;
    tasks.push_back({{"task_id", t.task_id},
                     {"hash_id", t.hash_id},
                     {"title", t.title},
                     {"agent_name", t.claimed_by ? json(*t.claimed_by) : json(nullptr)},
                     {"plan_name", t.plan_title},
                     {"change_type", t.change_type ? json(*t.change_type) : json(nullptr)},
                     {"claimed_at", TimeJson(t.claimed_at)},
                     {"started_at", TimeJson(t.started_at)},
                     {"lease_expires_at", TimeJson(t.lease_expires_at)},
                     {"heartbeat_at", hb},
                     {"heartbeat_phase", phase.empty() ? json(nullptr) : json(phase)},
                     {"heartbeat_files", files},
                     {"recent_notes", notes}});
  }
  return {{"as_of", FormatIso(now)}, {"doing_count", hive.size()}, {"tasks", tasks}};
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
      json j = HiveJson(hive, ctx->clock.Now());
      if (s.Json(true)) {
        PrintJson(s, j);
        return 0;
      }
      s.io.out << "Hive snapshot (" << hive.size() << " doing task(s), as of "
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
    json j = ContextJson(c);
    if (c.token_budget) Compact(j, *c.token_budget);
    if (s.Json(true)) {
      PrintJson(s, j);
    } else {
      PrintContext(s, j);
    }
    return 0;
  });
}

}  // namespace tg::cli
