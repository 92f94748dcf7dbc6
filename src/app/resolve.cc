#include "app/resolve.h"

#include <fmt/format.h>

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

Result<std::string> One(store::Reader& r, store::Entity e, std::string_view input,
                        std::string_view noun, Code not_found, std::string_view hint) {
  TG_ASSIGN(auto m, r.MatchIds(e, input, kShown + 1));
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

Result<Task> ResolveTask(store::Reader& r, std::string_view input) {
  TG_ASSIGN(std::string id, One(r, store::Entity::kTask, input, "task", Code::kTaskNotFound,
                                "list tasks with `tg status --tasks`"));
  TG_ASSIGN(auto task, r.GetTask(id));
  if (!task) return Fail(Code::kTaskNotFound, fmt::format("task {} vanished", id));
  return *task;
}

Result<Gate> ResolveGate(store::Reader& r, std::string_view input) {
  TG_ASSIGN(std::string id, One(r, store::Entity::kGate, input, "gate", Code::kGateNotFound,
                                "list gates with `tg gate list`"));
  TG_ASSIGN(auto gate, r.GetGate(id));
  if (!gate) return Fail(Code::kGateNotFound, fmt::format("gate {} vanished", id));
  return *gate;
}

Result<Plan> ResolvePlan(store::Reader& r, std::string_view input) {
  TG_ASSIGN(auto m, r.MatchIds(store::Entity::kPlan, input, kShown + 1));
  if (m.empty()) {
    TG_ASSIGN(m, r.MatchPlanTitle(input, kShown + 1));
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
  TG_ASSIGN(auto plan, r.GetPlan(m.front().id));
  if (!plan) return Fail(Code::kPlanNotFound, fmt::format("plan {} vanished", m.front().id));
  return *plan;
}

}  // namespace tg::app
