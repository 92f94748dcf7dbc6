#include "app/resolve.h"

#include <fmt/format.h>

#include "store/queries.h"

namespace tg::app {

namespace {

constexpr int kShown = 5;

std::string Candidates(const std::vector<store::IdMatch>& m) {
  std::string out;
  for (size_t i = 0; i < m.size() && i < kShown; ++i) {
    out += fmt::format("\n  {}  {}", m[i].hash_id, m[i].title);
  }
  if (m.size() > kShown) out += "\n  ...";
  return out;
}

Result<std::string> One(store::Db& db, store::Entity e, std::string_view input,
                        std::string_view noun, Code not_found, std::string_view hint) {
  TG_ASSIGN(auto m, store::MatchIds(db, e, input, kShown + 1));
  if (m.size() == 1) return m.front().id;
  if (m.empty()) {
    return Fail(not_found, fmt::format("no {} matches '{}'; {}", noun, input, hint));
  }
  return Fail(Code::kAmbiguousId,
              fmt::format("'{}' matches {}{} {}s; type more characters:{}", input,
                          m.size() > kShown ? "more than " : "", std::min<size_t>(m.size(), kShown),
                          noun, Candidates(m)));
}

}  // namespace

Result<Task> ResolveTask(store::Db& db, std::string_view input) {
  TG_ASSIGN(std::string id, One(db, store::Entity::kTask, input, "task", Code::kTaskNotFound,
                                "list tasks with `tg status --tasks`"));
  TG_ASSIGN(auto task, store::GetTask(db, id));
  if (!task) return Fail(Code::kTaskNotFound, fmt::format("task {} vanished", id));
  return *task;
}

Result<Gate> ResolveGate(store::Db& db, std::string_view input) {
  TG_ASSIGN(std::string id, One(db, store::Entity::kGate, input, "gate", Code::kGateNotFound,
                                "list gates with `tg gate list`"));
  TG_ASSIGN(auto gate, store::GetGate(db, id));
  if (!gate) return Fail(Code::kGateNotFound, fmt::format("gate {} vanished", id));
  return *gate;
}

Result<Plan> ResolvePlan(store::Db& db, std::string_view input) {
  TG_ASSIGN(auto m, store::MatchIds(db, store::Entity::kPlan, input, kShown + 1));
  if (m.empty()) {
    TG_ASSIGN(m, store::MatchPlanTitle(db, input, kShown + 1));
  }
  if (m.empty()) {
    return Fail(Code::kPlanNotFound,
                fmt::format("no plan matches '{}' (by id or title); list plans with "
                            "`tg plan list`",
                            input));
  }
  if (m.size() > 1) {
    return Fail(Code::kAmbiguousId, fmt::format("'{}' matches {} plans; use a plan id:{}", input,
                                                std::min<size_t>(m.size(), kShown), Candidates(m)));
  }
  TG_ASSIGN(auto plan, store::GetPlan(db, m.front().id));
  if (!plan) return Fail(Code::kPlanNotFound, fmt::format("plan {} vanished", m.front().id));
  return *plan;
}

}  // namespace tg::app
