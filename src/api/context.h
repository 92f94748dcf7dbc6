// What an agent reads before it works (`context`) and what every agent is doing (`--hive`), as
// JSON, with the compaction that keeps a context inside its token budget.
#pragma once

#include "api/json.h"

namespace tg::api {

// The task's context; over `budget` tokens (when set) it is shrunk, cheapest losses first,
// and "compacted" lists what was cut.
Json ContextJson(const app::TaskContext& c);
Json HiveJson(const app::HiveView& hive);
// `tg agents`: {agents: [{agent, task_id, hash_id, task_title, plan_title, phase, files,
// started_at, last_heartbeat_at, last_seen_at, lease_expires_at, lease_expired}]}, by agent
// then start.
Json AgentsJson(const app::HiveView& hive);

}  // namespace tg::api
