#include "app/stats.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "app/heartbeat.h"
#include "app/resolve.h"
#include "app/rules.h"

namespace tg::app {

namespace {

using nlohmann::json;

std::optional<int64_t> BodyCount(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

std::string BodyAgent(const json& body, const Event& e) {
  auto it = body.find("agent");
  if (it != body.end() && it->is_string() && !it->get<std::string>().empty()) {
    return it->get<std::string>();
  }
  return e.agent;
}

// "PASS" / "FAIL" of a review note, any case; nullopt for every other note.
std::optional<bool> ReviewVerdict(const Event& note) {
  auto j = json::parse(NoteMessage(note), nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto type = j.find("type");
  auto verdict = j.find("verdict");
  if (type == j.end() || !type->is_string() || type->get<std::string>() != "review") {
    return std::nullopt;
  }
  if (verdict == j.end() || !verdict->is_string()) return std::nullopt;
  std::string v = verdict->get<std::string>();
  for (char& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (v == "PASS") return true;
  if (v == "FAIL") return false;
  return std::nullopt;
}

struct Walk {
  std::vector<TaskTiming> done;                        // every completion, in time order
  std::map<std::string, std::pair<int, int>> reviews;  // agent -> pass, fail
  std::map<std::string, Millis> first_start;           // task -> first start
};

Walk WalkEvents(const std::vector<Event>& events, const std::map<std::string, const Task*>& tasks) {
  struct Open {
    std::optional<Millis> started_at;
    std::string worker;  // the latest claimant; kept after done, for reviews of the work
  };
  std::map<std::string, Open> open;
  Walk w;
  for (const auto& e : events) {
    auto body = json::parse(e.body, nullptr, false);
    if (!body.is_object()) body = json::object();
    Open& o = open[e.task_id];
    if (e.kind == "started" || e.kind == "reclaimed") {
      o.started_at = e.created_at;
      o.worker = BodyAgent(body, e);
      w.first_start.try_emplace(e.task_id, e.created_at);
    } else if (e.kind == "done") {
      TaskTiming t;
      t.task_id = e.task_id;
      if (auto it = tasks.find(e.task_id); it != tasks.end()) {
        t.hash_id = it->second->hash_id;
        t.title = it->second->title;
        t.plan_title = it->second->plan_title;
        t.plan_id = it->second->plan_id;
      }
      t.agent = o.worker.empty() ? BodyAgent(body, e) : o.worker;
      t.started_at = o.started_at;
      t.done_at = e.created_at;
      if (o.started_at) t.elapsed_ms = std::max<int64_t>(0, e.created_at - *o.started_at);
      t.tokens_in = BodyCount(body, "tokens_in");
      t.tokens_out = BodyCount(body, "tokens_out");
      t.tool_calls = BodyCount(body, "tool_calls");
      w.done.push_back(std::move(t));
      o.started_at.reset();
      if (o.worker.empty()) o.worker = BodyAgent(body, e);
    } else if (e.kind == "note" && !o.worker.empty()) {
      if (auto pass = ReviewVerdict(e)) {
        auto& [p, f] = w.reviews[o.worker];
        (*pass ? p : f) += 1;
      }
    }
  }
  return w;
}

std::vector<AgentStats> PerAgent(const Walk& w, const std::optional<std::string>& only) {
  std::map<std::string, AgentStats> by;
  std::map<std::string, std::vector<int64_t>> elapsed;
  for (const auto& t : w.done) {
    AgentStats& a = by[t.agent];
    a.agent = t.agent;
    a.tasks_done += 1;
    if (t.elapsed_ms) elapsed[t.agent].push_back(*t.elapsed_ms);
    if (t.tokens_in || t.tokens_out || t.tool_calls) {
      a.reported += 1;
      a.tokens_in += t.tokens_in.value_or(0);
      a.tokens_out += t.tokens_out.value_or(0);
      a.tool_calls += t.tool_calls.value_or(0);
    }
  }
  for (const auto& [agent, pf] : w.reviews) {
    AgentStats& a = by[agent];
    a.agent = agent;
    a.review_pass = pf.first;
    a.review_fail = pf.second;
  }
  std::vector<AgentStats> out;
  for (auto& [agent, a] : by) {
    if (only && agent != *only) continue;
    auto& v = elapsed[agent];
    if (!v.empty()) {
      int64_t sum = 0;
      for (int64_t x : v) sum += x;
      a.mean_ms = sum / static_cast<int64_t>(v.size());
      a.median_ms = MedianOf(v);
    }
    out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const AgentStats& a, const AgentStats& b) {
    return a.tasks_done > b.tasks_done;
  });
  return out;
}

PlanStats OnePlan(const Plan& p, const std::vector<const Task*>& tasks, const Walk& w,
                  const std::optional<std::string>& agent, bool with_tasks) {
  PlanStats s;
  s.plan = p;
  for (const Task* t : tasks) {
    if (t->status == TaskStatus::kCanceled) continue;
    s.task_count += 1;
    if (t->status == TaskStatus::kDone) s.done_count += 1;
    if (auto it = w.first_start.find(t->task_id); it != w.first_start.end()) {
      if (!s.started_at || it->second < *s.started_at) s.started_at = it->second;
    }
  }
  int completions = 0;
  for (const auto& t : w.done) {
    if (t.plan_id != p.plan_id) continue;
    if (!s.last_done_at || t.done_at > *s.last_done_at) s.last_done_at = t.done_at;
    if (agent && t.agent != *agent) continue;
    completions += 1;
    if (with_tasks) s.slowest.push_back(t);
  }
  if (p.status == PlanStatus::kDone) s.completed_at = s.last_done_at;
  if (s.started_at && s.last_done_at && *s.last_done_at >= *s.started_at) {
    s.elapsed_ms = *s.last_done_at - *s.started_at;
    // Under a minute of work says nothing about a rate.
    if (*s.elapsed_ms >= 60'000) {
      s.velocity_per_hour = completions * 3.6e6 / double(*s.elapsed_ms);
    }
  }
  std::stable_sort(s.slowest.begin(), s.slowest.end(),
                   [](const TaskTiming& a, const TaskTiming& b) {
                     return a.elapsed_ms.value_or(-1) > b.elapsed_ms.value_or(-1);
                   });
  return s;
}

}  // namespace

std::optional<int64_t> MedianOf(std::vector<int64_t>& v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Result<Stats> ComputeStats(Context& ctx, const StatsQuery& q) {
  if (q.agent) TG_TRY(CheckText("--agent", *q.agent, TextKind::kSingleLine));
  TG_ASSIGN(auto r, ctx.store.Read());
  Stats s;
  s.now = r->Now();
  std::optional<Plan> plan;
  if (q.plan) {
    TG_ASSIGN(Plan p, ResolvePlan(*r, *q.plan));
    plan = p;
  }
  std::optional<std::string> plan_id;
  if (plan) plan_id = plan->plan_id;
  TG_ASSIGN(std::vector<Task> tasks, plan ? r->PlanTasks(plan->plan_id) : r->AllTasks());
  std::map<std::string, const Task*> by_id;
  std::map<std::string, std::vector<const Task*>> by_plan;
  for (const auto& t : tasks) {
    by_id[t.task_id] = &t;
    by_plan[t.plan_id].push_back(&t);
  }
  TG_ASSIGN(auto events, r->EventsOfKinds({"started", "reclaimed", "done", "note"}, plan_id));
  Walk w = WalkEvents(events, by_id);
  if (q.timeline) {
    std::vector<Plan> plans;
    if (plan) {
      plans.push_back(*plan);
    } else {
      store::PlanListFilter f;
      f.include_abandoned = true;
      TG_ASSIGN(plans, r->ListPlans(f));
    }
    for (const auto& p : plans)
      s.plans.push_back(OnePlan(p, by_plan[p.plan_id], w, q.agent, false));
    std::stable_sort(s.plans.begin(), s.plans.end(), [](const PlanStats& a, const PlanStats& b) {
      if (a.started_at.has_value() != b.started_at.has_value()) return a.started_at.has_value();
      if (a.started_at != b.started_at) return *a.started_at > *b.started_at;
      return a.plan.created_at > b.plan.created_at;
    });
    return s;
  }
  if (plan) {
    s.plans.push_back(OnePlan(*plan, by_plan[plan->plan_id], w, q.agent, true));
    return s;
  }
  s.agents = PerAgent(w, q.agent);
  return s;
}

}  // namespace tg::app
