#include "api/json.h"

#include <cmath>

#include "app/heartbeat.h"

namespace tg::api {

namespace {

template <class T>
Json Opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

// Hours cut (not rounded) to one decimal, as the contract's shapes give them. The nudge keeps
// a value a hair under a tenth on it: hours summed from floating-point time differences come
// out as 2.4999999999999996 for 2.5, which a plain cut made 2.4.
double CutToTenths(double hours) {
  return std::trunc(hours * 10 + (hours < 0 ? -1e-9 : 1e-9)) / 10;
}

}  // namespace

Json ParsedOr(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = Json::parse(*text, nullptr, false);
  return j.is_discarded() ? Json(*text) : j;
}

Json TimeJson(const std::optional<Millis>& t) { return t ? Json(FormatIso(*t)) : Json(nullptr); }

Json PlanJson(const Plan& p) {
  return {{"plan_id", p.plan_id},
          {"hash_id", p.hash_id},
          {"title", p.title},
          {"intent", p.intent.empty() ? Json(nullptr) : Json(p.intent)},
          {"status", ToString(p.status)},
          {"priority", Opt(p.priority)},
          {"source_path", Opt(p.source_path)},
          {"created_at", FormatIso(p.created_at)},
          {"updated_at", FormatIso(p.updated_at)}};
}

Json PlanRowJson(const app::PlanRow& r) {
  Json j = PlanJson(r.plan);
  j["todo"] = r.counts.todo;
  j["doing"] = r.counts.doing;
  j["blocked"] = r.counts.blocked;
  j["done"] = r.counts.done;
  j["canceled"] = r.counts.canceled;
  j["actionable"] = r.actionable;
  return j;
}

Json TaskJson(const Task& t) {
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
          {"lease_expired", t.lease_expired},
          {"external_key", Opt(t.external_key)},
          {"blocked_by", t.blocked_by},
          {"created_at", FormatIso(t.created_at)},
          {"updated_at", FormatIso(t.updated_at)}};
}

Json RelatedJson(const store::Related& r) {
  return {{"task_id", r.task_id},         {"hash_id", r.hash_id},     {"title", r.title},
          {"status", ToString(r.status)}, {"type", ToString(r.type)}, {"reason", Opt(r.reason)}};
}

Json EventJson(const Event& e) {
  return {{"event_id", e.event_id},
          {"kind", e.kind},
          {"agent", e.agent},
          {"body", ParsedOr(e.body)},
          {"created_at", FormatIso(e.created_at)}};
}

Json TaskDetailJson(const app::TaskDetail& d) {
  const Task& t = d.task;
  Json j = TaskJson(t);
  j["intent"] = Opt(t.intent);
  j["area"] = Opt(t.area);
  j["feature_key"] = Opt(t.feature_key);
  j["acceptance"] = ParsedOr(t.acceptance);
  j["tests"] = ParsedOr(t.tests);
  j["change_type"] = Opt(t.change_type);
  j["suggested_changes"] = Opt(t.suggested_changes);
  j["agent"] = Opt(t.agent);
  j["claimed_at"] = TimeJson(t.claimed_at);
  j["started_at"] = TimeJson(t.started_at);
  j["ended_at"] = TimeJson(t.ended_at);
  j["blocked_by"] = d.blocked_by;
  Json blockers = Json::array(), dependents = Json::array(), gates = Json::array();
  for (const auto& b : d.blockers) blockers.push_back(RelatedJson(b));
  for (const auto& x : d.dependents) dependents.push_back(RelatedJson(x));
  for (const auto& g : d.gates) gates.push_back(GateJson(g));
  j["blockers"] = blockers;
  j["dependents"] = dependents;
  Json related = Json::array();
  for (const auto& x : d.related) related.push_back(RelatedJson(x));
  j["related"] = related;
  j["gates"] = gates;
  Json events = Json::array(), notes = Json::array();
  for (const auto& e : d.events) events.push_back(EventJson(e));
  for (const auto& e : d.notes) notes.push_back(EventJson(e));
  j["events"] = events;
  j["notes"] = notes;
  j["done"] = d.done ? EventJson(*d.done) : Json(nullptr);
  j["domains"] = d.docs;
  j["skills"] = d.skills;
  return j;
}

Json GateJson(const Gate& g) {
  return {{"gate_id", g.gate_id},
          {"hash_id", g.hash_id},
          {"name", g.name},
          {"gate_type", ToString(g.gate_type)},
          {"status", ToString(g.status)},
          {"task_id", g.task_id},
          {"created_at", FormatIso(g.created_at)},
          {"resolved_at", TimeJson(g.resolved_at)},
          {"resolved_by", Opt(g.resolved_by)},
          {"reason", Opt(g.reason)}};
}

namespace {

Json LogTasks(const Commit& c) {
  Json out = Json::array();
  for (const auto& t : c.tasks) out.push_back({{"hash_id", t.hash_id}, {"title", t.title}});
  return out;
}

}  // namespace

Json CommitJson(const Commit& c) {
  return {{"commit_id", c.commit_id},   {"parent", Opt(c.parent)},    {"time", FormatIso(c.time)},
          {"author", c.author},         {"co_authors", c.co_authors}, {"message", c.message},
          {"changes", c.changes},       {"pending", c.pending},       {"tasks", LogTasks(c)},
          {"task_count", c.task_count}, {"reverts", c.reverts},       {"undo", c.undo}};
}

Json ErrorJson(const Error& e) {
  Json j = {{"code", std::string(CodeName(e.code))}, {"message", e.message}};
  if (!e.details.empty()) {
    Json details = Json::array();
    for (const auto& d : e.details) {
      Json item = Json::object();
      for (const auto& [k, v] : d) item[k] = v;
      details.push_back(std::move(item));
    }
    j["details"] = std::move(details);
  }
  return j;
}

Json StatusJson(const app::StatusSummary& s) {
  auto tasks = [](const std::vector<Task>& v) {
    Json a = Json::array();
    for (const auto& t : v) a.push_back(TaskJson(t));
    return a;
  };
  auto plans = [](const std::vector<Plan>& v) {
    Json a = Json::array();
    for (const auto& p : v) a.push_back(PlanJson(p));
    return a;
  };
  Json active = Json::array();
  for (const auto& r : s.active_plans) active.push_back(PlanRowJson(r));
  Json stale = Json::array();
  for (const auto& st : s.stale_tasks) {
    Json j = TaskJson(st.task);
    j["age_hours"] = CutToTenths(st.age_hours);
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
               ? Json(static_cast<double>(1000 * s.investigator_runs / s.sub_agent_runs) / 10)
               : Json(nullptr)},
          {"total_agent_hours", CutToTenths(s.total_agent_hours)},
          {"summary",
           {{"not_done", not_done},
            {"in_progress", s.status_counts.count("doing") ? s.status_counts.at("doing") : 0},
            {"blocked", s.status_counts.count("blocked") ? s.status_counts.at("blocked") : 0},
            {"actionable", s.actionable_count}}}};
}

Json EdgeJson(const app::EdgeOutcome& e) {
  return {{"from_task_id", e.from.task_id}, {"from_hash_id", e.from.hash_id},
          {"to_task_id", e.to.task_id},     {"to_hash_id", e.to.hash_id},
          {"type", ToString(e.type)},       {"reason", Opt(e.reason)},
          {"changed", e.changed},           {"to_status", ToString(e.to.status)}};
}

Json BlockJson(const app::EdgeOutcome& e) {
  return {{"task_id", e.to.task_id},           {"hash_id", e.to.hash_id},
          {"blocker_task_id", e.from.task_id}, {"blocker_hash_id", e.from.hash_id},
          {"reason", Opt(e.reason)},           {"changed", e.changed},
          {"status", ToString(e.to.status)}};
}

Json SplitJson(const app::SplitOutcome& s) {
  return {{"original", TaskJson(s.original)}, {"new_tasks", TaskArray(s.created)}};
}

Json PlanSummaryJson(const app::PlanSummary& sum) {
  Json done = Json::array(), notes = Json::array();
  for (const auto& [t, ev] : sum.done) {
    done.push_back({{"task_id", t.task_id},
                    {"hash_id", t.hash_id},
                    {"title", t.title},
                    {"evidence", Opt(ev)}});
  }
  for (const auto& n : sum.notes) {
    notes.push_back({{"agent", n.agent},
                     {"message", app::NoteMessage(n)},
                     {"created_at", FormatIso(n.created_at)}});
  }
  Json j = PlanJson(sum.plan);
  j["task_count"] = sum.task_count;
  j["done_tasks"] = done;
  j["notes"] = notes;
  return j;
}

Json SnapshotJson(const GraphSnapshot& g) {
  Json plans = Json::array(), tasks = Json::array(), edges = Json::array();
  for (const auto& p : g.plans) {
    Json j = PlanJson(p);
    j["overview"] = Opt(p.overview);
    j["file_tree"] = Opt(p.file_tree);
    plans.push_back(j);
  }
  for (const auto& t : g.tasks) {
    Json j = TaskJson(t);
    auto d = g.docs.find(t.task_id);
    auto s = g.skills.find(t.task_id);
    j["domains"] = d == g.docs.end() ? Json::array() : Json(d->second);
    j["skills"] = s == g.skills.end() ? Json::array() : Json(s->second);
    j["intent"] = Opt(t.intent);
    j["change_type"] = Opt(t.change_type);
    tasks.push_back(j);
  }
  for (const auto& e : g.edges) {
    edges.push_back({{"from_task_id", e.from_task_id},
                     {"to_task_id", e.to_task_id},
                     {"type", ToString(e.type)},
                     {"reason", Opt(e.reason)},
                     {"created_at", FormatIso(e.created_at)}});
  }
  return {{"plans", plans}, {"tasks", tasks}, {"edges", edges}};
}

Json ImportJson(const app::Written<app::ImportOutcome>& w, const std::string& file,
                const std::vector<std::string>& warnings) {
  const auto& o = w.value;
  Json conflicts = Json::array();
  for (const auto& c : o.conflicts) {
    conflicts.push_back({{"key", c.key},
                         {"hash_id", c.hash_id},
                         {"stored_status", c.stored_status},
                         {"file_status", c.file_status},
                         {"reason", c.reason}});
  }
  return {
      {"file", file},
      {"plan", PlanJson(o.plan)},
      {"plan_created", o.plan_created},
      {"created", o.created},
      {"updated", o.updated},
      {"unchanged", o.unchanged},
      {"canceled", o.canceled},
      {"edges_added", o.edges_added},
      {"edges_removed", o.edges_removed},
      {"kept_unmatched", o.kept_keys},
      {"conflicts", conflicts},
      {"warnings", warnings},
      {"commit_id", w.commit && !w.commit->pending ? Json(w.commit->commit_id) : Json(nullptr)}};
}

Json DoctorJson(const std::vector<app::Finding>& findings) {
  Json a = Json::array();
  for (const auto& f : findings) {
    a.push_back({{"check", f.check}, {"message", f.message}, {"rows", f.rows}});
  }
  return {{"ok", findings.empty()}, {"findings", a}};
}

Json InitJson(const app::InitOutcome& o) {
  Json j{{"root", o.root},
         {"dir", o.root + "/.taskgraph"},
         {"created", o.created},
         {"enclosing", Opt(o.enclosing)},
         {"linked_worktree", Opt(o.linked_worktree)}};
  if (o.database) j["database"] = *o.database;  // a PostgreSQL graph
  return j;
}

Json RecoverJson(const std::vector<app::Recovered>& recovered, bool dry_run) {
  Json a = Json::array();
  for (const auto& rc : recovered) {
    Json j = TaskJson(rc.task);
    j["age_hours"] = CutToTenths(rc.age_hours);
    j["recovered"] = !dry_run;
    a.push_back(j);
  }
  return a;
}

}  // namespace tg::api
