#include "app/graph_ops.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/resolve.h"
#include "app/rules.h"
#include "store/queries.h"

namespace tg::app {

namespace {

using nlohmann::json;

constexpr size_t kMaxTitle = 500;

// Runs `body` in one write transaction and commits with the message it returns.
template <class T, class F>
Result<Written<T>> Write(Context& ctx, F&& body) {
  TG_ASSIGN(auto txn, store::WriteTxn::Begin(ctx.store, ctx.holder));
  Millis now = ctx.clock.Now();
  Written<T> out;
  std::string message;
  TG_TRY(body(txn->db(), now, out.value, message));
  TG_ASSIGN(out.commit, txn->Finish(ctx.agent, message, now, ctx.ids, ctx.commit));
  return out;
}

void Apply(const TaskFields& f, Task& t) {
  if (f.title) t.title = *f.title;
  if (f.intent) t.intent = *f.intent;
  if (f.area) t.area = *f.area;
  if (f.feature_key) t.feature_key = *f.feature_key;
  if (f.change_type) t.change_type = *f.change_type;
  if (f.acceptance) t.acceptance = json::parse(*f.acceptance).dump();
  if (f.priority) t.priority = *f.priority;
  if (f.estimate_mins) t.estimate_mins = *f.estimate_mins;
  if (f.risk) t.risk = *f.risk;
}

Status SetLabels(store::Db& db, const TaskFields& f, const std::string& task_id) {
  if (f.docs) TG_TRY(store::SetTaskDocs(db, task_id, *f.docs));
  if (f.skills) TG_TRY(store::SetTaskSkills(db, task_id, *f.skills));
  return Ok();
}

Result<Task> NewTask(Context& ctx, store::Db& db, const Plan& plan, std::string title, Millis now) {
  Task t;
  t.task_id = ctx.ids.NewUuid();
  TG_ASSIGN(t.hash_id, store::AllocateShortId(db, store::Entity::kTask, t.task_id));
  t.plan_id = plan.plan_id;
  t.plan_title = plan.title;
  t.title = std::move(title);
  t.created_at = now;
  t.updated_at = now;
  return t;
}

}  // namespace

Result<Written<Plan>> CreatePlan(Context& ctx, const NewPlan& in) {
  if (in.title.find_first_not_of(" \t") == std::string::npos || in.title.size() > kMaxTitle) {
    return Fail(Code::kValidationFailed,
                fmt::format("a plan title must be 1 to {} characters", kMaxTitle));
  }
  return Write<Plan>(ctx, [&](store::Db& db, Millis now, Plan& p, std::string& msg) -> Status {
    p.plan_id = ctx.ids.NewUuid();
    TG_ASSIGN(p.hash_id, store::AllocateShortId(db, store::Entity::kPlan, p.plan_id));
    p.title = in.title;
    p.intent = in.intent;
    p.source_path = in.source_path;
    p.priority = in.priority;
    p.created_at = p.updated_at = now;
    TG_TRY(store::InsertPlan(db, p));
    msg = fmt::format("plan: create {} {}", p.hash_id, p.title);
    return Ok();
  });
}

Result<Written<Plan>> SetPlanPriority(Context& ctx, const std::string& plan_ref,
                                      std::optional<int> priority) {
  return Write<Plan>(ctx, [&](store::Db& db, Millis now, Plan& p, std::string& msg) -> Status {
    TG_ASSIGN(p, ResolvePlan(db, plan_ref));
    if (p.priority == priority) return Ok();
    p.priority = priority;
    p.updated_at = now;
    TG_TRY(store::UpdatePlan(db, p));
    msg = fmt::format("plan: set-priority {} -> {}", p.hash_id,
                      priority ? std::to_string(*priority) : "unset");
    return Ok();
  });
}

Status ValidateTaskFields(const TaskFields& f) {
  if (f.title &&
      (f.title->find_first_not_of(" \t") == std::string::npos || f.title->size() > kMaxTitle)) {
    return Fail(Code::kValidationFailed,
                fmt::format("a task title must be 1 to {} characters", kMaxTitle));
  }
  if (f.change_type && !IsChangeType(*f.change_type)) {
    return Fail(Code::kValidationFailed,
                fmt::format("unknown change type '{}'; use one of create, modify, refactor, fix, "
                            "investigate, test, document",
                            *f.change_type));
  }
  if (f.acceptance && json::parse(*f.acceptance, nullptr, false).is_discarded()) {
    return Fail(Code::kValidationFailed,
                fmt::format("--acceptance is not valid JSON: {}", *f.acceptance));
  }
  if (f.estimate_mins && *f.estimate_mins && **f.estimate_mins < 0) {
    return Fail(Code::kValidationFailed, "--estimate must be a non-negative number of minutes");
  }
  return Ok();
}

Result<Written<Task>> CreateTask(Context& ctx, const std::string& plan_ref, const TaskFields& f) {
  if (!f.title) return Fail(Code::kUsage, "a task needs a title");
  TG_TRY(ValidateTaskFields(f));
  return Write<Task>(ctx, [&](store::Db& db, Millis now, Task& t, std::string& msg) -> Status {
    TG_ASSIGN(Plan plan, ResolvePlan(db, plan_ref));
    if (plan.status == PlanStatus::kAbandoned) {
      return Fail(Code::kInvalidTransition,
                  fmt::format("plan {} is abandoned; add tasks to an active plan", plan.hash_id));
    }
    TG_ASSIGN(t, NewTask(ctx, db, plan, *f.title, now));
    Apply(f, t);
    TG_TRY(store::InsertTask(db, t));
    TG_TRY(SetLabels(db, f, t.task_id));
    TG_TRY(AddEvent(db, ctx.ids, t.task_id, "created", {{"title", t.title}}, ctx.agent, now));
    TG_TRY(SettlePlan(db, plan.plan_id, now));  // a done plan gains work: active again
    msg = fmt::format("task: create {} {}", t.hash_id, t.title);
    return Ok();
  });
}

Result<Written<Task>> UpdateTask(Context& ctx, const std::string& task_ref, const TaskFields& f) {
  TG_TRY(ValidateTaskFields(f));
  return Write<Task>(ctx, [&](store::Db& db, Millis now, Task& t, std::string& msg) -> Status {
    TG_ASSIGN(t, ResolveTask(db, task_ref));
    Task before = t;
    Apply(f, t);
    if (!(t == before)) {
      t.updated_at = now;
      TG_TRY(store::UpdateTask(db, t));
    }
    TG_TRY(SetLabels(db, f, t.task_id));
    msg = fmt::format("task: update {}", t.hash_id);
    return Ok();
  });
}

Result<Written<EdgeOutcome>> AddEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                     const std::string& to_ref,
                                     const std::optional<std::string>& reason) {
  return Write<EdgeOutcome>(
      ctx, [&](store::Db& db, Millis now, EdgeOutcome& e, std::string& msg) -> Status {
        TG_ASSIGN(e.from, ResolveTask(db, from_ref));
        TG_ASSIGN(e.to, ResolveTask(db, to_ref));
        e.type = type;
        e.reason = reason;
        if (type == EdgeType::kBlocks) {
          TG_TRY(CheckNoCycle(db, e.from, e.to));
        } else if (e.from.task_id == e.to.task_id) {
          return Fail(Code::kValidationFailed,
                      fmt::format("{} cannot relate to itself", e.from.hash_id));
        }
        TG_ASSIGN(bool exists, store::EdgeExists(db, e.from.task_id, e.to.task_id, type));
        if (exists) return Ok();
        TG_TRY(store::InsertEdge(db, Edge{e.from.task_id, e.to.task_id, type, reason, now}));
        if (type == EdgeType::kBlocks) {
          TG_TRY(SyncBlocked(db, ctx.ids, e.to.task_id, ctx.agent, now));
          TG_ASSIGN(auto to, store::GetTask(db, e.to.task_id));
          e.to = *to;
        }
        e.changed = true;
        msg = fmt::format("edge: add {} {} {}", e.from.hash_id, ToString(type), e.to.hash_id);
        return Ok();
      });
}

Result<Written<EdgeOutcome>> RemoveEdge(Context& ctx, const std::string& from_ref, EdgeType type,
                                        const std::string& to_ref) {
  return Write<EdgeOutcome>(
      ctx, [&](store::Db& db, Millis now, EdgeOutcome& e, std::string& msg) -> Status {
        TG_ASSIGN(e.from, ResolveTask(db, from_ref));
        TG_ASSIGN(e.to, ResolveTask(db, to_ref));
        e.type = type;
        TG_ASSIGN(e.changed, store::DeleteEdge(db, e.from.task_id, e.to.task_id, type));
        if (!e.changed) return Ok();
        if (type == EdgeType::kBlocks) {
          TG_TRY(SyncBlocked(db, ctx.ids, e.to.task_id, ctx.agent, now));
          TG_ASSIGN(auto to, store::GetTask(db, e.to.task_id));
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
  return Write<SplitOutcome>(
      ctx, [&](store::Db& db, Millis now, SplitOutcome& s, std::string& msg) -> Status {
        TG_ASSIGN(s.original, ResolveTask(db, task_ref));
        const Task& o = s.original;
        if (IsTerminal(o.status)) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("task {} is {}; only open tasks can be split", o.hash_id,
                                  ToString(o.status)));
        }
        TG_ASSIGN(auto plan, store::GetPlan(db, o.plan_id));
        TG_ASSIGN(auto docs, store::TaskDocs(db, o.task_id));
        TG_ASSIGN(auto skills, store::TaskSkills(db, o.task_id));
        TG_ASSIGN(auto blockers, store::Blockers(db, o.task_id));
        TG_ASSIGN(auto dependents, store::Dependents(db, o.task_id));
        json created = json::array();
        for (const auto& title : opts.titles) {
          TG_ASSIGN(Task t, NewTask(ctx, db, *plan, title, now));
          t.intent = o.intent;
          t.feature_key = o.feature_key;
          t.area = o.area;
          t.acceptance = o.acceptance;
          t.priority = o.priority;
          t.risk = o.risk;
          t.change_type = o.change_type;
          t.suggested_changes = o.suggested_changes;
          t.agent = o.agent;
          TG_TRY(store::InsertTask(db, t));
          TG_TRY(store::SetTaskDocs(db, t.task_id, docs));
          TG_TRY(store::SetTaskSkills(db, t.task_id, skills));
          TG_TRY(AddEvent(db, ctx.ids, t.task_id, "created",
                          {{"title", t.title}, {"split_from", o.task_id}}, ctx.agent, now));
          // The parts wait for what the whole waited for.
          for (const auto& b : blockers) {
            TG_TRY(store::InsertEdge(
                db, Edge{b.task_id, t.task_id, EdgeType::kBlocks, "inherited from split", now}));
          }
          if (opts.keep_original) {
            Edge link{o.task_id, t.task_id, EdgeType::kRelates, "split dependency", now};
            if (opts.new_to_original) std::swap(link.from_task_id, link.to_task_id);
            TG_TRY(store::InsertEdge(db, link));
          } else {
            // The original goes away, so what it blocked must now wait for every part.
            for (const auto& d : dependents) {
              if (d.type != EdgeType::kBlocks) continue;
              TG_TRY(store::InsertEdge(
                  db, Edge{t.task_id, d.task_id, EdgeType::kBlocks, "inherited from split", now}));
            }
          }
          TG_TRY(SyncBlocked(db, ctx.ids, t.task_id, ctx.agent, now));
          TG_ASSIGN(auto stored, store::GetTask(db, t.task_id));
          s.created.push_back(*stored);
          created.push_back({{"task_id", t.task_id}, {"title", t.title}});
        }
        TG_TRY(AddEvent(db, ctx.ids, o.task_id, "split", {{"new_tasks", created}}, ctx.agent, now));
        if (!opts.keep_original) {
          Task c = o;
          TG_TRY(EndClaim(db, c, TaskStatus::kCanceled, now));
          TG_TRY(
              AddEvent(db, ctx.ids, c.task_id, "canceled", {{"reason", "split"}}, ctx.agent, now));
          TG_TRY(SyncDependents(db, ctx.ids, c.task_id, ctx.agent, now));
        }
        TG_TRY(SettlePlan(db, o.plan_id, now));
        TG_ASSIGN(auto orig, store::GetTask(db, o.task_id));
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
  if (name.find_first_not_of(" \t") == std::string::npos || name.size() > kMaxTitle) {
    return Fail(Code::kValidationFailed,
                fmt::format("a gate name must be 1 to {} characters", kMaxTitle));
  }
  return Write<GateOutcome>(
      ctx, [&](store::Db& db, Millis now, GateOutcome& g, std::string& msg) -> Status {
        TG_ASSIGN(g.task, ResolveTask(db, task_ref));
        if (IsTerminal(g.task.status)) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("task {} is {}; a gate on it would never matter", g.task.hash_id,
                                  ToString(g.task.status)));
        }
        g.gate.gate_id = ctx.ids.NewUuid();
        TG_ASSIGN(g.gate.hash_id, store::AllocateShortId(db, store::Entity::kGate, g.gate.gate_id));
        g.gate.name = name;
        g.gate.gate_type = type;
        g.gate.task_id = g.task.task_id;
        g.gate.created_at = now;
        TG_TRY(store::InsertGate(db, g.gate));
        TG_TRY(SyncBlocked(db, ctx.ids, g.task.task_id, ctx.agent, now));
        TG_ASSIGN(auto t, store::GetTask(db, g.task.task_id));
        g.task = *t;
        msg = fmt::format("gate: create {} ({}) for {}", g.gate.hash_id, name, g.task.hash_id);
        return Ok();
      });
}

Result<Written<GateOutcome>> ResolveGateCmd(Context& ctx, const std::string& gate_ref) {
  return Write<GateOutcome>(
      ctx, [&](store::Db& db, Millis now, GateOutcome& g, std::string& msg) -> Status {
        TG_ASSIGN(g.gate, ResolveGate(db, gate_ref));
        if (g.gate.status == GateStatus::kResolved) {
          return Fail(Code::kInvalidTransition,
                      fmt::format("gate {} is already resolved", g.gate.hash_id));
        }
        g.gate.status = GateStatus::kResolved;
        g.gate.resolved_at = now;
        TG_TRY(store::UpdateGate(db, g.gate));
        TG_TRY(SyncBlocked(db, ctx.ids, g.gate.task_id, ctx.agent, now));
        TG_ASSIGN(auto t, store::GetTask(db, g.gate.task_id));
        g.task = *t;
        msg = fmt::format("gate: resolve {} ({})", g.gate.hash_id, g.gate.name);
        return Ok();
      });
}

}  // namespace tg::app
