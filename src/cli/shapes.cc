#include "cli/shapes.h"

namespace tg::cli {

namespace {

template <class T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json ParsedOr(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = json::parse(*text, nullptr, false);
  return j.is_discarded() ? json(*text) : j;
}

}  // namespace

namespace {
Millis g_render_time = 0;
}  // namespace

void SetRenderTime(Millis now) { g_render_time = now; }

json TimeJson(const std::optional<Millis>& t) { return t ? json(FormatIso(*t)) : json(nullptr); }

json PlanJson(const Plan& p) {
  return {{"plan_id", p.plan_id},
          {"hash_id", p.hash_id},
          {"title", p.title},
          {"intent", p.intent.empty() ? json(nullptr) : json(p.intent)},
          {"status", ToString(p.status)},
          {"priority", Opt(p.priority)},
          {"source_path", Opt(p.source_path)},
          {"created_at", FormatIso(p.created_at)},
          {"updated_at", FormatIso(p.updated_at)}};
}

json PlanRowJson(const app::PlanRow& r) {
  json j = PlanJson(r.plan);
  j["todo"] = r.counts.todo;
  j["doing"] = r.counts.doing;
  j["blocked"] = r.counts.blocked;
  j["done"] = r.counts.done;
  j["canceled"] = r.counts.canceled;
  j["actionable"] = r.actionable;
  return j;
}

json TaskJson(const Task& t) {
  return {{"task_id", t.task_id},
          {"hash_id", t.hash_id},
          {"title", t.title},
          {"status", ToString(t.status)},
          {"plan_id", t.plan_id},
          {"plan_title", t.plan_title},
          {"priority", Opt(t.priority)},
          {"risk", ToString(t.risk)},
          {"estimate_mins", Opt(t.estimate_mins)},
          {"claimed_by", Opt(t.claimed_by)},
          {"lease_expires_at", TimeJson(t.lease_expires_at)},
          {"lease_expired", t.lease_expired || (g_render_time && t.LeaseExpired(g_render_time))},
          {"external_key", Opt(t.external_key)},
          {"blocked_by", t.blocked_by},
          {"created_at", FormatIso(t.created_at)},
          {"updated_at", FormatIso(t.updated_at)}};
}

json RelatedJson(const store::Related& r) {
  return {{"task_id", r.task_id},         {"hash_id", r.hash_id},     {"title", r.title},
          {"status", ToString(r.status)}, {"type", ToString(r.type)}, {"reason", Opt(r.reason)}};
}

json EventJson(const Event& e) {
  return {{"event_id", e.event_id},
          {"kind", e.kind},
          {"agent", e.agent},
          {"body", ParsedOr(e.body)},
          {"created_at", FormatIso(e.created_at)}};
}

json TaskDetailJson(const app::TaskDetail& d) {
  const Task& t = d.task;
  json j = TaskJson(t);
  j["intent"] = Opt(t.intent);
  j["area"] = Opt(t.area);
  j["feature_key"] = Opt(t.feature_key);
  j["acceptance"] = ParsedOr(t.acceptance);
  j["change_type"] = Opt(t.change_type);
  j["suggested_changes"] = Opt(t.suggested_changes);
  j["agent"] = Opt(t.agent);
  j["claimed_at"] = TimeJson(t.claimed_at);
  j["started_at"] = TimeJson(t.started_at);
  j["ended_at"] = TimeJson(t.ended_at);
  j["blocked_by"] = d.blocked_by;
  json blockers = json::array(), dependents = json::array(), gates = json::array();
  for (const auto& b : d.blockers) blockers.push_back(RelatedJson(b));
  for (const auto& x : d.dependents) dependents.push_back(RelatedJson(x));
  for (const auto& g : d.gates) gates.push_back(GateJson(g));
  j["blockers"] = blockers;
  j["dependents"] = dependents;
  json related = json::array();
  for (const auto& x : d.related) related.push_back(RelatedJson(x));
  j["related"] = related;
  j["gates"] = gates;
  json events = json::array(), notes = json::array();
  for (const auto& e : d.events) events.push_back(EventJson(e));
  for (const auto& e : d.notes) notes.push_back(EventJson(e));
  j["events"] = events;
  j["notes"] = notes;
  j["domains"] = d.docs;
  j["skills"] = d.skills;
  return j;
}

json GateJson(const Gate& g) {
  return {{"gate_id", g.gate_id},
          {"hash_id", g.hash_id},
          {"name", g.name},
          {"gate_type", ToString(g.gate_type)},
          {"status", ToString(g.status)},
          {"task_id", g.task_id},
          {"created_at", FormatIso(g.created_at)},
          {"resolved_at", TimeJson(g.resolved_at)}};
}

json CommitJson(const Commit& c) {
  return {{"commit_id", c.commit_id}, {"parent", Opt(c.parent)},    {"time", FormatIso(c.time)},
          {"author", c.author},       {"co_authors", c.co_authors}, {"message", c.message},
          {"changes", c.changes},     {"pending", c.pending}};
}

json ErrorJson(const Error& e) {
  return {{"code", std::string(CodeName(e.code))}, {"message", e.message}};
}

json ItemJson(const app::ItemResult& r, bool with_plan_completed) {
  json j;
  j["id"] = r.task ? json(r.task->task_id) : r.plan ? json(r.plan->plan_id) : json(nullptr);
  j["input"] = r.input;
  if (r.task) j["hash_id"] = r.task->hash_id;
  if (r.plan && !r.task) j["hash_id"] = r.plan->hash_id;
  if (r.error) {
    j["error"] = ErrorJson(*r.error);
    return j;
  }
  if (r.plan && !r.task) {
    j["type"] = "plan";
    j["status"] = ToString(r.plan->status);
  } else if (r.task) {
    j["type"] = "task";
    j["status"] = ToString(r.task->status);
  }
  j["changed"] = r.changed;
  if (with_plan_completed) j["plan_completed"] = r.plan_completed;
  return j;
}

json StatusJson(const app::StatusSummary& s) {
  auto tasks = [](const std::vector<Task>& v) {
    json a = json::array();
    for (const auto& t : v) a.push_back(TaskJson(t));
    return a;
  };
  auto plans = [](const std::vector<Plan>& v) {
    json a = json::array();
    for (const auto& p : v) a.push_back(PlanJson(p));
    return a;
  };
  json active = json::array();
  for (const auto& r : s.active_plans) active.push_back(PlanRowJson(r));
  json stale = json::array();
  for (const auto& st : s.stale_tasks) {
    json j = TaskJson(st.task);
    j["age_hours"] = static_cast<double>(static_cast<int64_t>(st.age_hours * 10)) / 10;
    j["lease_expired"] = st.lease_expired;
    stale.push_back(j);
  }
  int not_done = 0;
  for (const char* k : {"todo", "doing", "blocked"}) {
    auto it = s.status_counts.find(k);
    if (it != s.status_counts.end()) not_done += it->second;
  }
  return {{"completed_plans", s.completed_plans},
          {"completed_tasks", s.completed_tasks},
          {"canceled_tasks", s.canceled_tasks},
          {"active_plans", active},
          {"stale_tasks", stale},
          {"plans_count", s.plans_count},
          {"status_counts", s.status_counts},
          {"actionable_count", s.actionable_count},
          {"next_tasks", tasks(s.next_tasks)},
          {"next7_runnable_tasks", tasks(s.next7_runnable_tasks)},
          {"last7_completed_tasks", tasks(s.last7_completed_tasks)},
          {"next7_upcoming_plans", plans(s.next7_upcoming_plans)},
          {"last7_completed_plans", plans(s.last7_completed_plans)},
          {"active_work", tasks(s.active_work)},
          {"agent_count", s.agent_count},
          {"sub_agent_runs", s.sub_agent_runs},
          {"investigator_runs", s.investigator_runs},
          {"investigator_fix_rate",
           s.sub_agent_runs
               ? json(static_cast<double>(1000 * s.investigator_runs / s.sub_agent_runs) / 10)
               : json(nullptr)},
          {"total_agent_hours",
           static_cast<double>(static_cast<int64_t>(s.total_agent_hours * 10)) / 10},
          {"summary",
           {{"not_done", not_done},
            {"in_progress", s.status_counts.count("doing") ? s.status_counts.at("doing") : 0},
            {"blocked", s.status_counts.count("blocked") ? s.status_counts.at("blocked") : 0},
            {"actionable", s.actionable_count}}}};
}

}  // namespace tg::cli
