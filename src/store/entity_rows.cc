#include "store/entity_rows.h"

#include "core/clock.h"

namespace tg::store {

const char* const kTaskColumns =
    "task_id, hash_id, plan_id, external_key, title, intent, feature_key, area, acceptance, "
    "status, priority, risk, estimate_mins, change_type, suggested_changes, agent, claimed_by, "
    "claimed_at, started_at, ended_at, created_at, updated_at, tests";

namespace {

Value V(std::string s) { return s; }
Value V(std::string_view s) { return std::string(s); }
Value V(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }
Value V(const std::optional<int>& n) { return n ? Value(int64_t{*n}) : Value(); }
Value V(const std::optional<Millis>& t) { return t ? Value(FormatIso(*t)) : Value(); }

}  // namespace

std::vector<Value> TaskValues(const Task& t) {
  return {V(t.task_id),
          V(t.hash_id),
          V(t.plan_id),
          V(t.external_key),
          V(t.title),
          V(t.intent),
          V(t.feature_key),
          V(t.area),
          V(t.acceptance),
          V(ToString(t.status)),
          V(t.priority),
          V(ToString(t.risk)),
          V(t.estimate_mins),
          V(t.change_type),
          V(t.suggested_changes),
          V(t.agent),
          V(t.claimed_by),
          V(t.claimed_at),
          V(t.started_at),
          V(t.ended_at),
          V(FormatIso(t.created_at)),
          V(FormatIso(t.updated_at)),
          V(t.tests)};
}

}  // namespace tg::store
