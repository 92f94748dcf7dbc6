// tg status: the summary, --tasks, --projects.
#include <fmt/format.h>

#include "app/views.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

int Width(const Session& s) { return s.io.out_is_tty ? s.io.width : 0; }

void PlanTable(Session& s, const std::vector<app::PlanRow>& rows, bool with_status) {
  std::vector<std::string> h{"ID", "PLAN"};
  if (with_status) h.push_back("STATUS");
  for (const char* c : {"PRI", "TODO", "BLOCKED", "DOING", "DONE"}) h.push_back(c);
  Table t(h, 1);
  app::PlanRow total;
  for (const auto& r : rows) {
    std::vector<std::string> row{r.plan.hash_id, r.plan.title};
    if (with_status) row.emplace_back(ToString(r.plan.status));
    row.push_back(r.plan.priority ? std::to_string(*r.plan.priority) : "-");
    for (int n : {r.counts.todo, r.counts.blocked, r.counts.doing, r.counts.done}) {
      row.push_back(std::to_string(n));
    }
    t.Add(row);
    total.counts.todo += r.counts.todo;
    total.counts.blocked += r.counts.blocked;
    total.counts.doing += r.counts.doing;
    total.counts.done += r.counts.done;
  }
  if (rows.size() > 1) {
    std::vector<std::string> row{"", "Total"};
    if (with_status) row.emplace_back("");
    row.emplace_back("");
    for (int n : {total.counts.todo, total.counts.blocked, total.counts.doing, total.counts.done}) {
      row.push_back(std::to_string(n));
    }
    t.Add(row);
  }
  t.Print(s.io.out, Width(s), "  ");
}

void PrintSummary(Session& s, const app::StatusSummary& st) {
  auto& out = s.io.out;
  out << fmt::format("Completed: {} plans, {} tasks done, {} canceled\n", st.completed_plans,
                     st.completed_tasks, st.canceled_tasks);
  out << "\nActive plans:\n";
  if (st.active_plans.empty()) {
    out << "  none\n";
  } else {
    PlanTable(s, st.active_plans, false);
  }
  if (!st.stale_tasks.empty()) {
    out << "\nStale claims (lease expired or claimed long ago):\n";
    Table t({"ID", "TITLE", "AGENT", "AGE"}, 1);
    for (const auto& x : st.stale_tasks) {
      t.Add({x.task.hash_id, x.task.title, x.task.claimed_by.value_or("-"),
             fmt::format("{:.1f}h{}", x.age_hours, x.lease_expired ? " (lease expired)" : "")});
    }
    t.Print(out, Width(s), "  ");
  }
  out << "\nBeing worked on:\n";
  if (st.active_work.empty()) {
    out << "  nothing\n";
  } else {
    Table t({"ID", "TITLE", "PLAN", "AGENT", "SINCE"}, 1);
    for (const auto& x : st.active_work) {
      t.Add({x.hash_id, x.title, Truncate(x.plan_title, 20), x.claimed_by.value_or("-"),
             x.claimed_at ? FormatShort(*x.claimed_at, st.now) : "-"});
    }
    t.Print(out, Width(s), "  ");
  }
  out << "\nNext up:\n";
  if (st.next_tasks.empty()) {
    out << "  nothing runnable\n";
  } else {
    Table t({"ID", "TITLE", "PLAN"}, 1);
    for (const auto& x : st.next_tasks) t.Add({x.hash_id, x.title, Truncate(x.plan_title, 24)});
    t.Print(out, Width(s), "  ");
  }
  std::string counts;
  for (const auto& [k, v] : st.status_counts)
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", v, k);
  out << "\nTasks: " << counts << "; " << st.actionable_count << " runnable\n";
}

}  // namespace

void AddStatusCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "status")) return;
  struct Opts {
    std::string plan, filter, doc, skill, change_type, stale;
    bool all = false, tasks = false, projects = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("status", "Summarise the graph (--tasks, --projects for lists)");
  sub->add_option("--plan", o->plan, "Only this plan (id or title)");
  sub->add_flag("--all", o->all, "Include canceled tasks and abandoned plans");
  sub->add_flag("--tasks", o->tasks, "List tasks");
  sub->add_flag("--projects", o->projects, "List plans with task counts");
  sub->add_option("--filter", o->filter,
                  "active: unfinished tasks / plans; upcoming: tasks not started / draft plans");
  sub->add_option("--stale-threshold", o->stale, "Hours after which a claim counts as stale");
  sub->add_option("--domain,--doc", o->doc, "Only tasks with this doc slug");
  sub->add_option("--skill", o->skill, "Only tasks with this skill");
  sub->add_option("--change-type", o->change_type, "Only tasks of this change type");
  r.On(sub, [o](Session& s) -> Result<int> {
    s.auto_json = true;
    if (o->tasks && o->projects) {
      return Fail(Code::kUsage, "only one of --tasks and --projects is allowed");
    }
    app::StatusQuery q;
    if (!o->plan.empty()) q.plan = o->plan;
    if (!o->doc.empty()) q.doc = o->doc;
    if (!o->skill.empty()) q.skill = o->skill;
    if (!o->change_type.empty()) q.change_type = o->change_type;
    q.all = o->all;
    if (!o->filter.empty()) {
      if (o->filter != "active" && o->filter != "upcoming") {
        return Fail(Code::kValidationFailed,
                    fmt::format("--filter must be 'active' or 'upcoming', not '{}'", o->filter));
      }
      q.active_only = o->filter == "active";
      q.upcoming_only = o->filter == "upcoming";
    }
    if (!o->stale.empty()) {
      TG_ASSIGN(int64_t hours, ParseIntFlag("--stale-threshold", o->stale, kHoursRange));
      q.stale_hours = static_cast<int>(hours);
    }
    TG_ASSIGN(auto* ctx, s.Ctx());
    bool json_out = s.Json(true);
    if (o->tasks) {
      TG_ASSIGN(auto tasks, app::StatusTasks(*ctx, q));
      if (json_out) {
        PrintJson(s, api::TaskArray(tasks));
        return 0;
      }
      Table t({"ID", "TITLE", "PLAN", "STATUS", "AGENT"}, 1);
      for (const auto& x : tasks) {
        std::string status(ToString(x.status));
        if (x.status == TaskStatus::kDoing && !x.blocked_by.empty()) status += " (blocked)";
        t.Add({x.hash_id, x.title, Truncate(x.plan_title, 24), status, x.claimed_by.value_or("")});
      }
      if (t.empty()) {
        s.io.out << "No tasks.\n";
      } else {
        t.Print(s.io.out, Width(s));
      }
      return 0;
    }
    if (o->projects) {
      TG_ASSIGN(auto rows, app::StatusProjects(*ctx, q));
      if (json_out) {
        PrintJson(s, api::Array(rows, api::PlanRowJson));
        return 0;
      }
      if (rows.empty()) {
        s.io.out << "No plans.\n";
      } else {
        PlanTable(s, rows, true);
      }
      return 0;
    }
    TG_ASSIGN(auto st, app::Summarize(*ctx, q));
    if (json_out) {
      PrintJson(s, api::StatusJson(st));
    } else {
      PrintSummary(s, st);
    }
    return 0;
  });
}

}  // namespace tg::cli
