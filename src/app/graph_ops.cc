#include "app/graph_ops.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/resolve.h"
#include "app/rules.h"

namespace tg::app {

namespace {

using nlohmann::json;

void Apply(const TaskFields& f, Task& t) {
  if (f.title) t.title = *f.title;
  if (f.intent) t.intent = *f.intent;
  if (f.area) t.area = *f.area;
  if (f.feature_key) t.feature_key = *f.feature_key;
  if (f.change_type) t.change_type = *f.change_type;
  if (f.acceptance)
    t.acceptance = json::parse(*f.acceptance, nullptr, false)
                       .dump(-1, ' ', false, json::error_handler_t::replace);
  if (f.priority) t.priority = *f.priority;
  if (f.estimate_mins) t.estimate_mins = *f.estimate_mins;
  if (f.risk) t.risk = *f.risk;
}

Status SetLabels(store::Writer& w, const TaskFields& f, const std::string& task_id) {
  if (f.docs) TG_TRY(w.SetTaskDocs(task_id, *f.docs));
  if (f.skills) TG_TRY(w.SetTaskSkills(task_id, *f.skills));
  return Ok();
}

Result<Task> NewTask(Context& ctx, store::Writer& w, const Plan& plan, std::string title) {
  const Millis now = w.Now();
  Task t;
  t.task_id = ctx.ids.NewUuid();
  TG_ASSIGN(t.hash_id, w.AllocateShortId(store::Entity::kTask, t.task_id));
  t.plan_id = plan.plan_id;
  t.plan_title = plan.title;
  t.title = std::move(title);
  t.created_at = now;
  t.updated_at = now;
  return t;
}

}  // namespace

Result<Written<Plan>> CreatePlan(Context& ctx, const NewPlan& in) {
  TG_TRY(CheckTitle("plan title", in.title));
  TG_TRY(CheckText("plan intent", in.intent, TextKind::kMultiLine));
  TG_TRY(CheckTextIfSet("source path", in.source_path, TextKind::kSingleLine));
  if (in.priority) TG_TRY(CheckRange("the priority", *in.priority, kPriorityRange));
  return WriteTxn<Plan>(ctx, [&](store::Writer& w, Plan& p, std::string& msg) -> Status {
    const Millis now = w.Now();
    p.plan_id = ctx.ids.NewUuid();
    TG_ASSIGN(p.hash_id, w.AllocateShortId(store::Entity::kPlan, p.plan_id));
    p.title = in.title;
    p.intent = in.intent;
    p.source_path = in.source_path;
    p.priority = in.priority;
    p.created_at = p.updated_at = now;
    TG_TRY(w.InsertPlan(p));
    msg = fmt::format("plan: create {} {}", p.hash_id, p.title);
    return Ok();
  });
}

Result<Written<Plan>> SetPlanPriority(Context& ctx, const std::string& plan_ref,
                                      std::optional<int> priority) {
  if (priority) TG_TRY(CheckRange("the priority", *priority, kPriorityRange));
  return WriteTxn<Plan>(ctx, [&](store::Writer& w, Plan& p, std::string& msg) -> Status {
    const Millis now = w.Now();
    TG_ASSIGN(p, ResolvePlan(w, plan_ref));
    if (p.priority == priority) return Ok();
    p.priority = priority;
    p.updated_at = now;
    TG_TRY(w.UpdatePlan(p));
    msg = fmt::format("plan: set-priority {} -> {}", p.hash_id,
                      priority ? std::to_string(*priority) : "unset");
    return Ok();
  });
}

Status ValidateTaskFields(const TaskFields& f) {
  if (f.title) TG_TRY(CheckTitle("task title", *f.title));
  TG_TRY(CheckTextIfSet("intent", f.intent, TextKind::kMultiLine));
  TG_TRY(CheckTextIfSet("area", f.area, TextKind::kSingleLine));
  TG_TRY(CheckTextIfSet("feature key", f.feature_key, TextKind::kSingleLine));
  TG_TRY(CheckTextIfSet("change type", f.change_type, TextKind::kSingleLine));
  if (f.change_type && !IsChangeType(*f.change_type)) {
    return Fail(Code::kValidationFailed, fmt::format("unknown change type '{}'; use one of {}",
                                                     *f.change_type, ChangeTypeList()));
  }
  if (f.acceptance) TG_TRY(CheckJson("--acceptance", *f.acceptance));
  if (f.priority && *f.priority) TG_TRY(CheckRange("the priority", **f.priority, kPriorityRange));
  if (f.estimate_mins && *f.estimate_mins) {
    TG_TRY(CheckRange("the estimate (minutes)", **f.estimate_mins, kEstimateMinutesRange));
  }
  for (const auto* labels : {&f.docs, &f.skills}) {
    if (!*labels) continue;
    for (const auto& label : **labels) {
      TG_TRY(
          CheckText(labels == &f.docs ? "doc slug" : "skill slug", label, TextKind::kSingleLine));
    }
  }
  return Ok();
}

Result<Written<Task>> CreateTask(Context& ctx, const std::string& plan_ref, const TaskFields& f) {
  if (!f.title) return Fail(Code::kUsage, "a task needs a title");
  TG_TRY(ValidateTaskFields(f));
  return WriteTxn<Task>(ctx, [&](store::Writer& w, Task& t, std::string& msg) -> Status {
    TG_ASSIGN(Plan plan, ResolvePlan(w, plan_ref));
    if (plan.status == PlanStatus::kAbandoned) {
      return Fail(Code::kInvalidTransition,
                  fmt::format("plan {} is abandoned; add tasks to an active plan", plan.hash_id));
    }
    TG_ASSIGN(t, NewTask(ctx, w, plan, *f.title));
    Apply(f, t);
    TG_TRY(w.InsertTask(t));
    TG_TRY(SetLabels(w, f, t.task_id));
    TG_TRY(AddEvent(w, ctx.ids, t.task_id, "created", {{"title", t.title}}, ctx.agent));
    TG_TRY(SettlePlan(w, plan.plan_id));  // a done plan gains work: active again
    msg = fmt::format("task: create {} {}", t.hash_id, t.title);
    return Ok();
  });
}

Result<Written<Task>> UpdateTask(Context& ctx, const std::string& task_ref, const TaskFields& f) {
  TG_TRY(ValidateTaskFields(f));
  return WriteTxn<Task>(ctx, [&](store::Writer& w, Task& t, std::string& msg) -> Status {
    const Millis now = w.Now();
    TG_ASSIGN(t, ResolveTask(w, task_ref));
    Task before = t;
    Apply(f, t);
    if (!(t == before)) {
      t.updated_at = now;
      TG_TRY(w.UpdateTask(t));
    }
    TG_TRY(SetLabels(w, f, t.task_id));
    msg = fmt::format("task: update {}", t.hash_id);
    return Ok();
  });
}

Result<Written<EdgeOutcome>> AddEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                     const std::string& to_ref,
                                     const std::optional<std::string>& reason) {
  TG_TRY(CheckTextIfSet("reason", reason, TextKind::kSingleLine));
  return WriteTxn<EdgeOutcome>(
      ctx, [&](store::Writer& w, EdgeOutcome& e, std::string& msg) -> Status {
        const Millis now = w.Now();
        TG_ASSIGN(e.from, ResolveTask(w, from_ref));
        TG_ASSIGN(e.to, ResolveTask(w, to_ref));
        e.type = type;
        e.reason = reason;
        if (type == EdgeType::kBlocks) {
          TG_TRY(CheckNoCycle(w, e.from, e.to));
        } else if (e.from.task_id == e.to.task_id) {
          return Fail(Code::kValidationFailed,
                      fmt::format("{} cannot relate to itself", e.from.hash_id));
        }
        TG_ASSIGN(bool exists, w.EdgeExists(e.from.task_id, e.to.task_id, type));
        if (exists) return Ok();
        TG_TRY(w.InsertEdge(Edge{e.from.task_id, e.to.task_id, type, reason, now}));
        if (type == EdgeType::kBlocks) {
          TG_TRY(SyncBlocked(w, ctx.ids, e.to.task_id, ctx.agent));
          TG_ASSIGN(auto to, w.GetTask(e.to.task_id));
          e.to = *to;
        }
        e.changed = true;
        msg = fmt::format("edge: add {} {} {}", e.from.hash_id, ToString(type), e.to.hash_id);
        return Ok();
      });
}

Result<Written<EdgeOutcome>> RemoveEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                        const std::string& to_ref) {
  return WriteTxn<EdgeOutcome>(
      ctx, [&](store::Writer& w, EdgeOutcome& e, std::string& msg) -> Status {
        TG_ASSIGN(e.from, ResolveTask(w, from_ref));
        TG_ASSIGN(e.to, ResolveTask(w, to_ref));
        e.type = type;
        TG_ASSIGN(e.changed, w.DeleteEdge(e.from.task_id, e.to.task_id, type));
        if (!e.changed) return Ok();
        if (type == EdgeType::kBlocks) {
          TG_TRY(SyncBlocked(w, ctx.ids, e.to.task_id, ctx.agent));
          TG_ASSIGN(auto to, w.GetTask(e.to.task_id));
          e.to = *to;
        }
        msg = fmt::format("edge: remove {} {} {}", e.from.hash_id, ToString(type), e.to.hash_id);
        return Ok();
      });
}

Result<Written<SplitOutcome>> Split(Context& ctx, const std::string& task_ref,
                                    const SplitOptions& opts) {
  if (opts.titles.empty()) {
    return Fail(Code::kValidationFailed, "--into needs at least one title, e.g. --into 'A|B'");
  }
  for (const auto& title : opts.titles) {
    TaskFields f;
    f.title = title;
    TG_TRY(ValidateTaskFields(f));
  }
  return WriteTxn<SplitOutcome>(
      ctx, [&](store::Writer& w, SplitOutcome& s, std::string& msg) -> Status {
        const Millis now = w.Now();
        TG_ASSIGN(s.original, ResolveTask(w, task_ref));
        const Task& o = s.original;
        if (IsTerminal(o.status)) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("task {} is {}; only open tasks can be split", o.hash_id,
                                  ToString(o.status)));
        }
        TG_ASSIGN(auto plan, w.GetPlan(o.plan_id));
        TG_ASSIGN(auto docs, w.TaskDocs(o.task_id));
        TG_ASSIGN(auto skills, w.TaskSkills(o.task_id));
        TG_ASSIGN(auto blockers, w.Blockers(o.task_id));
        TG_ASSIGN(auto dependents, w.Dependents(o.task_id));
        json created = json::array();
        for (const auto& title : opts.titles) {
          TG_ASSIGN(Task t, NewTask(ctx, w, *plan, title));
          t.intent = o.intent;
          t.feature_key = o.feature_key;
          t.area = o.area;
          t.acceptance = o.acceptance;
          t.priority = o.priority;
          t.risk = o.risk;
          t.change_type = o.change_type;
          t.suggested_changes = o.suggested_changes;
          t.agent = o.agent;
          TG_TRY(w.InsertTask(t));
          TG_TRY(w.SetTaskDocs(t.task_id, docs));
          TG_TRY(w.SetTaskSkills(t.task_id, skills));
          TG_TRY(AddEvent(w, ctx.ids, t.task_id, "created",
                          {{"title", t.title}, {"split_from", o.task_id}}, ctx.agent));
          // The parts wait for what the whole waited for.
          for (const auto& b : blockers) {
            TG_TRY(w.InsertEdge(
                Edge{b.task_id, t.task_id, EdgeType::kBlocks, "inherited from split", now}));
          }
          if (opts.keep_original) {
            Edge link{o.task_id, t.task_id, EdgeType::kRelates, "split dependency", now};
            if (opts.new_to_original) std::swap(link.from_task_id, link.to_task_id);
            TG_TRY(w.InsertEdge(link));
          } else {
            // The original goes away, so what it blocked must now wait for every part.
            for (const auto& d : dependents) {
              if (d.type != EdgeType::kBlocks) continue;
              TG_TRY(w.InsertEdge(
                  Edge{t.task_id, d.task_id, EdgeType::kBlocks, "inherited from split", now}));
            }
          }
          TG_TRY(SyncBlocked(w, ctx.ids, t.task_id, ctx.agent));
          TG_ASSIGN(auto stored, w.GetTask(t.task_id));
          s.created.push_back(*stored);
          created.push_back({{"task_id", t.task_id}, {"title", t.title}});
        }
        TG_TRY(AddEvent(w, ctx.ids, o.task_id, "split", {{"new_tasks", created}}, ctx.agent));
        if (!opts.keep_original) {
          Task c = o;
          TG_TRY(EndClaim(w, c, TaskStatus::kCanceled));
          TG_TRY(AddEvent(w, ctx.ids, c.task_id, "canceled", {{"reason", "split"}}, ctx.agent));
          TG_TRY(SyncDependents(w, ctx.ids, c.task_id, ctx.agent));
        }
        TG_TRY(SettlePlan(w, o.plan_id));
        TG_ASSIGN(auto orig, w.GetTask(o.task_id));
        s.original = *orig;
        std::vector<std::string> names;
        for (const auto& t : s.created) names.push_back(t.hash_id);
        msg = fmt::format("task: split {} into {}", o.hash_id,
                          fmt::format("{}", fmt::join(names, ", ")));
        return Ok();
      });
}

Result<Written<GateOutcome>> CreateGate(Context& ctx, const std::string& name,
                                        const std::string& task_ref, GateType type) {
  TG_TRY(CheckTitle("gate name", name));
  return WriteTxn<GateOutcome>(
      ctx, [&](store::Writer& w, GateOutcome& g, std::string& msg) -> Status {
        const Millis now = w.Now();
        TG_ASSIGN(g.task, ResolveTask(w, task_ref));
        if (IsTerminal(g.task.status)) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("task {} is {}; a gate on it would never matter", g.task.hash_id,
                                  ToString(g.task.status)));
        }
        g.gate.gate_id = ctx.ids.NewUuid();
        TG_ASSIGN(g.gate.hash_id, w.AllocateShortId(store::Entity::kGate, g.gate.gate_id));
        g.gate.name = name;
        g.gate.gate_type = type;
        g.gate.task_id = g.task.task_id;
        g.gate.created_at = now;
        TG_TRY(w.InsertGate(g.gate));
        TG_TRY(SyncBlocked(w, ctx.ids, g.task.task_id, ctx.agent));
        TG_ASSIGN(auto t, w.GetTask(g.task.task_id));
        g.task = *t;
        msg = fmt::format("gate: create {} ({}) for {}", g.gate.hash_id, name, g.task.hash_id);
        return Ok();
      });
}

Result<Written<GateOutcome>> ResolveGateCmd(Context& ctx, const std::string& gate_ref,
                                            const std::optional<std::string>& reason) {
  if (reason) TG_TRY(CheckText("reason", *reason, TextKind::kSingleLine));
  return WriteTxn<GateOutcome>(
      ctx, [&](store::Writer& w, GateOutcome& g, std::string& msg) -> Status {
        const Millis now = w.Now();
        TG_ASSIGN(g.gate, ResolveGate(w, gate_ref));
        if (g.gate.status == GateStatus::kResolved) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("gate {} is already resolved", g.gate.hash_id));
        }
        g.gate.status = GateStatus::kResolved;
        g.gate.resolved_at = now;
        g.gate.resolved_by = ctx.agent;
        g.gate.reason = reason;
        TG_TRY(w.UpdateGate(g.gate));
        nlohmann::json body{{"gate", g.gate.hash_id}, {"name", g.gate.name}, {"agent", ctx.agent}};
        if (reason) body["reason"] = *reason;
        TG_TRY(AddEvent(w, ctx.ids, g.gate.task_id, "gate_resolved", body, ctx.agent));
        TG_TRY(SyncBlocked(w, ctx.ids, g.gate.task_id, ctx.agent));
        TG_ASSIGN(auto t, w.GetTask(g.gate.task_id));
        g.task = *t;
        msg = fmt::format("gate: resolve {} ({})", g.gate.hash_id, g.gate.name);
        return Ok();
      });
}

}  // namespace tg::app
