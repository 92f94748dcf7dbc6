// JSON of `tg stats` (docs/json.md): the default per-agent view, --plan and --timeline.
#pragma once

#include "api/json.h"
#include "app/stats.h"

namespace tg::api {

// Milliseconds as seconds with millisecond precision; null when unknown.
Json SecondsJson(const std::optional<int64_t>& ms);

// {"agent_metrics": [...], "token_usage": [...]}
Json AgentStatsJson(const app::Stats& s);
// {"plan_summary": {...}, "tasks": [...]}
Json PlanStatsJson(const app::PlanStats& p);
// {"plans": [...]}
Json TimelineJson(const app::Stats& s);

}  // namespace tg::api
