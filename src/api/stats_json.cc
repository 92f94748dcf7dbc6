#include "api/stats_json.h"

#include <cmath>

namespace tg::api {

namespace {

Json CountJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json Ratio(int64_t total, int n) {
  if (n == 0) return nullptr;
  return std::round(double(total) / n * 10) / 10;
}

Json PlanLine(const app::PlanStats& p) {
  return {
      {"plan_id", p.plan.plan_id},
      {"hash_id", p.plan.hash_id},
      {"title", p.plan.title},
      {"status", ToString(p.plan.status)},
      {"started_at", TimeJson(p.started_at)},
      {"completed_at", TimeJson(p.completed_at)},
      {"last_done_at", TimeJson(p.last_done_at)},
      {"total_elapsed_s", SecondsJson(p.elapsed_ms)},
      {"task_count", p.task_count},
      {"done_count", p.done_count},
      {"velocity_tasks_per_hour",
       p.velocity_per_hour ? Json(std::round(*p.velocity_per_hour * 100) / 100) : Json(nullptr)}};
}

}  // namespace

Json SecondsJson(const std::optional<int64_t>& ms) {
  return ms ? Json(double(*ms) / 1000.0) : Json(nullptr);
}

Json AgentStatsJson(const app::Stats& s) {
  Json metrics = Json::array(), tokens = Json::array();
  for (const auto& a : s.agents) {
    metrics.push_back({{"agent", a.agent},
                       {"tasks_done", a.tasks_done},
                       {"median_elapsed_s", SecondsJson(a.median_ms)},
                       {"mean_elapsed_s", SecondsJson(a.mean_ms)},
                       {"review_pass", a.review_pass},
                       {"review_fail", a.review_fail}});
    if (a.reported == 0) continue;
    tokens.push_back({{"agent", a.agent},
                      {"tasks_reported", a.reported},
                      {"total_tokens_in", a.tokens_in},
                      {"total_tokens_out", a.tokens_out},
                      {"total_tool_calls", a.tool_calls},
                      {"avg_tokens_in", Ratio(a.tokens_in, a.reported)},
                      {"avg_tokens_out", Ratio(a.tokens_out, a.reported)},
                      {"avg_tool_calls", Ratio(a.tool_calls, a.reported)}});
  }
  return {{"agent_metrics", metrics}, {"token_usage", tokens}};
}

Json PlanStatsJson(const app::PlanStats& p) {
  Json tasks = Json::array();
  for (const auto& t : p.slowest) {
    tasks.push_back({{"task_id", t.task_id},
                     {"hash_id", t.hash_id},
                     {"title", t.title},
                     {"agent", t.agent},
                     {"started_at", TimeJson(t.started_at)},
                     {"done_at", FormatIso(t.done_at)},
                     {"elapsed_s", SecondsJson(t.elapsed_ms)},
                     {"tokens_in", CountJson(t.tokens_in)},
                     {"tokens_out", CountJson(t.tokens_out)},
                     {"tool_calls", CountJson(t.tool_calls)}});
  }
  return {{"plan_summary", PlanLine(p)}, {"tasks", tasks}};
}

Json TimelineJson(const app::Stats& s) {
  Json plans = Json::array();
  for (const auto& p : s.plans) plans.push_back(PlanLine(p));
  return {{"plans", plans}};
}

}  // namespace tg::api
