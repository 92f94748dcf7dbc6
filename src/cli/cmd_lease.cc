// Claims that expire: tg heartbeat, tg recover. (`tg next --claim` lives with next.)
#include <fmt/format.h>

#include "api/input.h"
#include "app/leases.h"
#include "cli/commands.h"
#include "cli/render.h"

#include "cli/table.h"

namespace tg::cli {

Result<std::optional<Millis>> LeaseFlag(const std::string& value) {
  return api::ParseLease("--lease", value);
}

namespace {

void AddHeartbeat(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    std::string lease;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("heartbeat", "Extend the lease of tasks you are working on");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_option("--lease", o->lease, "New lease from now (default lease_minutes)");
  sub->add_flag("--force", o->force, "Extend another agent's claim");
  r.On(sub, [o](Session& s) -> Result<int> {
    auto ids = SplitIds(o->ids);
    if (ids.empty()) return Fail(Code::kUsage, "give at least one task id");
    TG_ASSIGN(auto lease, LeaseFlag(o->lease));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Heartbeat(*ctx, ids, lease, o->force));
    return PrintBatch(s, out, "heartbeat", false, /*with_lease=*/true);
  });
}

void AddRecover(CLI::App& app, Registry& r) {
  struct Opts {
    bool dry_run = false;
    std::string threshold;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("recover", "Release claims whose lease expired (one commit)");
  sub->add_flag("--dry-run", o->dry_run, "Only list them");
  sub->add_option("--threshold", o->threshold, "Also claims older than this many hours");
  r.On(sub, [o](Session& s) -> Result<int> {
    app::RecoverOptions opts;
    opts.dry_run = o->dry_run;
    if (!o->threshold.empty()) {
      TG_ASSIGN(int64_t h, ParseIntFlag("--threshold", o->threshold, kHoursRange));
      opts.older_than_hours = static_cast<int>(h);
    }
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Recover(*ctx, opts));
    if (s.Json()) {
      PrintJson(s, api::RecoverJson(out.value, o->dry_run));
      return 0;
    }
    if (out.value.empty()) {
      s.io.out << "No expired claims.\n";
      return 0;
    }
    Table t({"ID", "TITLE", "AGENT", "AGE"}, 1);
    for (const auto& rc : out.value) {
      t.Add({rc.task.hash_id, rc.task.title, rc.task.claimed_by.value_or("-"),
             fmt::format("{:.1f}h", rc.age_hours)});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    s.io.out << (o->dry_run
                     ? fmt::format("Dry run: {} claim(s) would be released.\n", out.value.size())
                     : fmt::format("Released {} claim(s).\n", out.value.size()));
    return 0;
  });
}

}  // namespace

void AddLeaseCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "heartbeat")) AddHeartbeat(app, r);
  if (Wants(want, "recover")) AddRecover(app, r);
}

}  // namespace tg::cli
