// tg agents: who is doing what right now — task, plan, phase and files from the latest
// heartbeat, when it started, its last heartbeat and when its lease runs out.
#include <fmt/format.h>

#include "api/context.h"
#include "app/agent_context.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/duration.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

// "12m ago" for a time past, "in 1h05m" for one to come; "-" for none.
std::string Relative(const nlohmann::json& iso, Millis now) {
  if (!iso.is_string()) return "-";
  auto t = ParseIso(iso.get<std::string>());
  if (!t) return "-";
  return *t <= now ? Cat({FormatSpan(now - *t), " ago"}) : Cat({"in ", FormatSpan(*t - now)});
}

}  // namespace

void AddAgentsCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "agents")) return;
  auto plan = std::make_shared<std::string>();
  auto* sub =
      app.add_subcommand("agents", "Who is doing what: task, phase, files, heartbeat, lease");
  sub->add_option("--plan", *plan, "Only this plan's tasks (id or title)");
  r.On(sub, [plan](Session& s) -> Result<int> {
    s.auto_json = true;
    TG_ASSIGN(auto* ctx, s.Ctx());
    std::optional<std::string> p;
    if (!plan->empty()) p = *plan;
    TG_ASSIGN(auto hive, app::Hive(*ctx, p));
    nlohmann::json j = api::AgentsJson(hive);
    if (s.Json(true)) {
      PrintJson(s, j);
      return 0;
    }
    if (j["agents"].empty()) {
      s.io.out << "No agent is working on a task.\n";
      return 0;
    }
    Table t({"AGENT", "TASK", "TITLE", "PLAN", "PHASE", "FILES", "STARTED", "SEEN", "LEASE"}, 2);
    for (const auto& a : j["agents"]) {
      std::string lease =
          a["lease_expired"].get<bool>() ? "EXPIRED" : Relative(a["lease_expires_at"], hive.as_of);
      t.Add({a["agent"].is_string() ? a["agent"].get<std::string>() : "-",
             a["hash_id"].get<std::string>(), a["task_title"].get<std::string>(),
             Truncate(a["plan_title"].get<std::string>(), 24),
             a["phase"].is_string() ? a["phase"].get<std::string>() : "-",
             std::to_string(a["files"].size()), Relative(a["started_at"], hive.as_of),
             Relative(a["last_seen_at"], hive.as_of), lease});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    return 0;
  });
}

}  // namespace tg::cli
