// tg plan new|list|set-priority
#include <fmt/format.h>

#include "app/agent_context.h"
#include "app/graph_ops.h"
#include "app/heartbeat.h"
#include "app/views.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

std::string PriorityText(const std::optional<int>& p) { return p ? std::to_string(*p) : "-"; }

void AddPlanNew(CLI::App& plan, Registry& r) {
  struct Opts {
    std::string title, intent, source, priority;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = plan.add_subcommand("new", "Create a plan");
  sub->add_option("title", o->title, "The plan's title")->required();
  sub->add_option("--intent", o->intent, "Why the plan exists");
  sub->add_option("--source", o->source, "The plan file it came from");
  sub->add_option("--priority", o->priority, "1 = most important; unset sorts last");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto prio, ParseOptionalIntFlag("--priority", o->priority, kPriorityRange));
    TG_ASSIGN(auto* ctx, s.Ctx());
    app::NewPlan in{o->title, o->intent, std::nullopt, prio};
    if (!o->source.empty()) in.source_path = o->source;
    TG_ASSIGN(auto w, app::CreatePlan(*ctx, in));
    if (s.Json()) {
      PrintJson(s, api::PlanJson(w.value));
    } else {
      s.io.out << "Plan " << w.value.hash_id << " created: " << w.value.title
               << CommitNote(w.commit) << '\n';
    }
    return 0;
  });
}

void AddPlanList(CLI::App& plan, Registry& r) {
  auto abandoned = std::make_shared<bool>(false);
  auto* sub = plan.add_subcommand("list", "List plans, newest first");
  sub->alias("ls");
  sub->add_flag("--abandoned,--cancelled,--canceled", *abandoned, "Only abandoned plans");
  r.On(sub, [abandoned](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto plans, app::ListPlans(*ctx, *abandoned));
    if (s.Json()) {
      PrintJson(s, api::Array(plans, api::PlanJson));
      return 0;
    }
    if (plans.empty()) {
      s.io.out << (*abandoned ? "No abandoned plans.\n" : "No plans yet.\n");
      return 0;
    }
    Table t({"ID", "TITLE", "STATUS", "PRI", "CREATED"}, 1);
    for (const auto& p : plans) {
      t.Add({p.hash_id, p.title, std::string(ToString(p.status)), PriorityText(p.priority),
             FormatIso(p.created_at).substr(0, 10)});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    return 0;
  });
}

void AddSetPriority(CLI::App& plan, Registry& r) {
  struct Opts {
    std::string plan, priority;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = plan.add_subcommand("set-priority", "Set a plan's priority (1 = most important)");
  sub->add_option("plan", o->plan, "Plan id or title")->required();
  sub->add_option("priority", o->priority, "A whole number, or 'unset'")->required();
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto prio, ParseOptionalIntFlag("priority", o->priority, kPriorityRange));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto w, app::SetPlanPriority(*ctx, o->plan, prio));
    if (s.Json()) {
      PrintJson(s, api::PlanJson(w.value));
    } else {
      s.io.out << "Priority of plan " << w.value.hash_id << " (" << w.value.title << ") is now "
               << PriorityText(w.value.priority) << '\n';
    }
    return 0;
  });
}

void AddSummary(CLI::App& plan, Registry& r) {
  auto ref = std::make_shared<std::string>();
  auto* sub = plan.add_subcommand("summary", "What a plan changed, why, notes and deliverables");
  sub->add_option("--plan", *ref, "Plan id or title")->required();
  r.On(sub, [ref](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto sum, app::SummarizePlan(*ctx, *ref));
    if (s.Json()) {
      PrintJson(s, api::PlanSummaryJson(sum));
      return 0;
    }
    auto& out = s.io.out;
    out << "plan: " << sum.plan.title << " — " << Counted(sum.task_count, "task") << '\n';
    if (sum.done.empty()) return 0;
    out << "\n## What changed\n";
    for (const auto& [t, ev] : sum.done) out << "- " << t.title << '\n';
    out << "\n## Why\n"
        << (sum.plan.intent.empty() ? "(No intent recorded)" : sum.plan.intent) << '\n';
    out << "\n## Key insights\n";
    if (sum.notes.empty()) out << "(None)\n";
    for (const auto& n : sum.notes) out << "- " << app::NoteMessage(n) << '\n';
    out << "\n## Deliverables\n";
    for (const auto& [t, ev] : sum.done) out << "- " << t.title << (ev ? ": " + *ev : "") << '\n';
    return 0;
  });
}

}  // namespace

void AddPlanCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "plan")) return;
  auto* plan = app.add_subcommand("plan", "Create and list plans");
  plan->require_subcommand(1);
  AddPlanNew(*plan, r);
  AddPlanList(*plan, r);
  AddSetPriority(*plan, r);
  AddSummary(*plan, r);
}

}  // namespace tg::cli
