// tg stats: per-agent throughput (default, --agent), one plan (--plan), the plans' timeline
// (--timeline). Figures come from app::ComputeStats, shapes from api/stats_json.h.
#include <fmt/format.h>

#include "api/stats_json.h"
#include "app/stats.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/spans.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

int StatsWidth(const Session& s) { return s.io.out_is_tty ? s.io.width : 0; }

std::string CountText(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string VelocityText(const app::PlanStats& p) {
  return p.velocity_per_hour ? fmt::format("{:.1f} tasks/h", *p.velocity_per_hour) : "-";
}

void PrintAgents(Session& s, const app::Stats& st) {
  auto& out = s.io.out;
  if (st.agents.empty()) {
    out << "No agent metrics yet: no task has been done.\n";
    return;
  }
  out << "Agents (elapsed: start to done):\n";
  Table t({"AGENT", "DONE", "MEDIAN", "MEAN", "REVIEWS"}, 0);
  for (const auto& a : st.agents) {
    std::string reviews = a.review_pass + a.review_fail
                              ? fmt::format("{} pass, {} fail", a.review_pass, a.review_fail)
                              : "-";
    t.Add({a.agent, std::to_string(a.tasks_done), FormatSpan(a.median_ms), FormatSpan(a.mean_ms),
           reviews});
  }
  t.Print(out, StatsWidth(s), "  ");
  Table tok({"AGENT", "REPORTED", "TOKENS IN", "TOKENS OUT", "TOOL CALLS"}, 0);
  for (const auto& a : st.agents) {
    if (a.reported == 0) continue;
    tok.Add({a.agent, std::to_string(a.reported), std::to_string(a.tokens_in),
             std::to_string(a.tokens_out), std::to_string(a.tool_calls)});
  }
  if (!tok.empty()) {
    out << "\nTokens and tool calls (self-reported with `tg done`):\n";
    tok.Print(out, StatsWidth(s), "  ");
  }
}

void PrintPlan(Session& s, const app::PlanStats& p) {
  auto& out = s.io.out;
  out << fmt::format("Plan: {} ({}, {})\n", p.plan.title, p.plan.hash_id, ToString(p.plan.status));
  out << fmt::format("Duration: {}  Velocity: {}  Tasks: {}/{} done\n", FormatSpan(p.elapsed_ms),
                     VelocityText(p), p.done_count, p.task_count);
  if (p.slowest.empty()) {
    out << "\nNo task of this plan has been done yet.\n";
    return;
  }
  out << "\nCompletions, slowest first:\n";
  Table t({"ID", "TASK", "AGENT", "ELAPSED", "TOKENS IN", "TOKENS OUT", "TOOL CALLS"}, 1);
  for (const auto& x : p.slowest) {
    t.Add({x.hash_id, x.title, x.agent, FormatSpan(x.elapsed_ms), CountText(x.tokens_in),
           CountText(x.tokens_out), CountText(x.tool_calls)});
  }
  t.Print(out, StatsWidth(s), "  ");
}

void PrintTimeline(Session& s, const app::Stats& st) {
  auto& out = s.io.out;
  if (st.plans.empty()) {
    out << "No plans.\n";
    return;
  }
  out << "Plan timeline (newest start first):\n";
  Table t({"STARTED", "PLAN", "STATUS", "TASKS", "DURATION", "VELOCITY"}, 1);
  for (const auto& p : st.plans) {
    t.Add({p.started_at ? FormatShort(*p.started_at, st.now) : "not started", p.plan.title,
           std::string(ToString(p.plan.status)), fmt::format("{}/{}", p.done_count, p.task_count),
           FormatSpan(p.elapsed_ms), VelocityText(p)});
  }
  t.Print(out, StatsWidth(s), "  ");
}

}  // namespace

void AddStatsCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "stats")) return;
  struct Opts {
    std::string agent, plan;
    bool timeline = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub =
      app.add_subcommand("stats", "Throughput and durations: per agent, per plan, timeline");
  sub->add_option("--agent", o->agent, "Only this agent's work");
  sub->add_option("--plan", o->plan, "One plan's duration, velocity and slowest tasks");
  sub->add_flag("--timeline", o->timeline, "One line per plan, newest start first");
  r.On(sub, [o](Session& s) -> Result<int> {
    app::StatsQuery q;
    if (!o->agent.empty()) q.agent = o->agent;
    if (!o->plan.empty()) q.plan = o->plan;
    q.timeline = o->timeline;
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(app::Stats st, app::ComputeStats(*ctx, q));
    bool json_out = s.Json();
    if (q.timeline) {
      if (json_out) {
        PrintJson(s, api::TimelineJson(st));
      } else {
        PrintTimeline(s, st);
      }
    } else if (q.plan) {
      if (json_out) {
        PrintJson(s, api::PlanStatsJson(st.plans.front()));
      } else {
        PrintPlan(s, st.plans.front());
      }
    } else if (json_out) {
      PrintJson(s, api::AgentStatsJson(st));
    } else {
      PrintAgents(s, st);
    }
    return 0;
  });
}

}  // namespace tg::cli
