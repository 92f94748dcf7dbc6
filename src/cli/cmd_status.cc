// tg status: the summary, --tasks, --projects.
#include <fmt/format.h>

#include <unistd.h>

#include <functional>
#include <sstream>

#include "app/activity.h"
#include "app/views.h"
#include "cli/commands.h"
#include "cli/live.h"
#include "cli/render.h"
#include "cli/spans.h"
#include "cli/table.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

int Width(const Session& s) { return s.io.out_is_tty ? s.io.width : 0; }

void PlanTable(Session& s, std::ostream& out, const std::vector<app::PlanRow>& rows,
               bool with_status) {
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
  t.Print(out, Width(s), "  ");
}

std::string DateLine(Millis now) {
  std::string iso = FormatIso(now);  // 2026-11-26T13:30:00.000Z
  return Cat({iso.substr(0, 10), " ", iso.substr(11, 5), " UTC"});
}

void PrintSummary(Session& s, std::ostream& out, const app::StatusSummary& st,
                  const app::Activity& act) {
  out << "Status at " << DateLine(st.now) << "\n\n";
  out << fmt::format("Completed: {}, {} done, {} canceled\n", Counted(st.completed_plans, "plan"),
                     Counted(st.completed_tasks, "task"), st.canceled_tasks);
  out << "\nActive plans:\n";
  if (st.active_plans.empty()) {
    out << "  none\n";
  } else {
    PlanTable(s, out, st.active_plans, false);
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
  if (act.doing.empty()) {
    out << "  nothing\n";
  } else {
    Table t({"ID", "TITLE", "PLAN", "AGENT", "PHASE", "SINCE", "SEEN", "LEASE"}, 1);
    for (const auto& x : act.doing) {
      const Task& k = x.task;
      t.Add({k.hash_id, k.title, Truncate(k.plan_title, 20), k.claimed_by.value_or("-"),
             x.phase.value_or("-"), k.claimed_at ? FormatShort(*k.claimed_at, st.now) : "-",
             x.last_seen ? FormatAgeShort(st.now - *x.last_seen) + " ago" : "-",
             LeaseText(k, st.now)});
    }
    t.Print(out, Width(s), "  ");
  }
  if (!act.pending_gates.empty()) {
    out << "\nWaiting on a gate:\n";
    Table t({"GATE", "NAME", "TYPE", "TASK", "SINCE"}, 1);
    for (const auto& g : act.pending_gates) {
      t.Add({g.gate.hash_id, g.gate.name, std::string(ToString(g.gate.gate_type)),
             Cat({g.task_hash_id, " ", Truncate(g.task_title, 30)}),
             FormatShort(g.gate.created_at, st.now)});
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
  if (!act.recent_done.empty()) {
    out << "\nRecently done:\n";
    Table t({"ID", "TITLE", "PLAN", "BY", "DONE"}, 1);
    for (const auto& d : act.recent_done) {
      t.Add({d.task.hash_id, d.task.title, Truncate(d.task.plan_title, 20),
             d.agent.empty() ? "-" : d.agent,
             d.task.ended_at ? FormatShort(*d.task.ended_at, st.now) : "-"});
    }
    t.Print(out, Width(s), "  ");
  }
  std::string counts;
  for (const auto& [k, v] : st.status_counts)
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", v, k);
  out << "\nTasks: " << counts << "; " << st.actionable_count << " runnable\n";
}

// One status frame as text.
Result<std::string> StatusText(Session& s, app::Context& ctx, const app::StatusQuery& q) {
  TG_ASSIGN(auto st, app::Summarize(ctx, q));
  app::ActivityQuery aq;
  aq.plan = q.plan;
  TG_ASSIGN(auto act, app::ReadActivity(ctx, aq));
  std::ostringstream out;
  PrintSummary(s, out, st, act);
  return out.str();
}

// status --watch: the summary again after every commit. On a terminal the screen is redrawn
// in place (and every few seconds, for the ages); in a pipe or a log each changed summary is
// appended after a blank line. Ctrl-C ends it with exit 0.
Result<int> WatchStatus(Session& s, app::Context& ctx,
                        const std::function<Result<std::string>()>& frame) {
  constexpr int64_t kForever = int64_t{10} * 365 * 24 * 3'600'000;
  TG_ASSIGN(auto watch, ctx.store.Watch(kForever));
  const bool tty = s.io.out_is_tty;
  LiveLoop loop(*watch, -1, tty ? 5'000 : 0);
  std::string last;
  for (LiveEvent ev{true, false, false, false};; ev = loop.Next()) {
    if (ev.quit) break;
    if (tty && ev.resize) {
      if (auto size = TerminalSize(STDOUT_FILENO)) s.io.width = size->first;
    }
    TG_ASSIGN(std::string text, frame());
    if (text == last && !ev.resize) continue;
    s.io.out.flush();
    if (tty) {
      WriteAll(STDOUT_FILENO, "\x1b[H\x1b[2J");
    } else if (!last.empty()) {
      s.io.out << '\n';
    }
    s.io.out << text << std::flush;
    last = std::move(text);
  }
  return 0;
}

}  // namespace

void AddStatusCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "status")) return;
  struct Opts {
    std::string plan, filter, doc, skill, change_type, stale, as_of;
    bool all = false, tasks = false, projects = false, watch = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("status", "Summarise the graph (--tasks, --projects for lists)");
  sub->add_option("--plan", o->plan, "Only this plan (id or title)");
  sub->add_flag("--all", o->all, "Include canceled tasks and abandoned plans");
  sub->add_flag("--tasks", o->tasks, "List tasks");
  sub->add_flag("--projects", o->projects, "List plans with task counts");
  sub->add_flag("--watch", o->watch,
                "Print the summary again whenever the graph changes (Ctrl-C stops)");
  sub->add_option("--filter", o->filter,
                  "active: unfinished tasks / plans; upcoming: tasks not started / draft plans");
  sub->add_option("--stale-threshold", o->stale, "Hours after which a claim counts as stale");
  sub->add_option("--domain,--doc", o->doc, "Only tasks with this doc slug");
  sub->add_option("--skill", o->skill, "Only tasks with this skill");
  sub->add_option("--change-type", o->change_type, "Only tasks of this change type");
  sub->add_option("--as-of", o->as_of, "The graph as it was after this commit or at this time");
  r.On(sub, [o](Session& s) -> Result<int> {
    s.auto_json = true;
    if (o->watch && !o->as_of.empty()) {
      return Fail(Code::kUsage, "--as-of shows the past, which does not change; drop --watch");
    }
    if (o->watch) s.auto_json = false;  // a live view is for people, piped into a log too
    if (o->watch && (o->tasks || o->projects)) {
      return Fail(Code::kUsage,
                  "status --watch shows the summary; use `tg dashboard --tasks` "
                  "or `--projects` for live lists");
    }
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
    TG_ASSIGN(auto* ctx, s.CtxAt(o->as_of));
    // A live view is text; only an explicit --json asks otherwise (and is refused below).
    bool json_out = o->watch ? s.g.json : s.Json(true);
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
        PlanTable(s, s.io.out, rows, true);
      }
      return 0;
    }
    if (o->watch) {
      if (json_out) return Fail(Code::kUsage, "status --watch prints text; drop --json");
      return WatchStatus(s, *ctx, [&]() { return StatusText(s, *ctx, q); });
    }
    if (json_out) {
      TG_ASSIGN(auto st, app::Summarize(*ctx, q));
      PrintJson(s, api::StatusJson(st));
    } else {
      TG_ASSIGN(std::string text, StatusText(s, *ctx, q));
      s.io.out << text;
    }
    return 0;
  });
}

}  // namespace tg::cli
