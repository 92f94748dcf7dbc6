#include "app/resolve.h"

#include <fmt/format.h>

#include "core/utf8.h"

namespace tg::app {

namespace {

constexpr size_t kShown = 5;      // candidates named on the error's one line
constexpr size_t kDetailed = 50;  // candidates listed in its details

std::string ShortTitle(const std::string& title) {
  return CodePointCount(title) <= 40 ? title : CutToChars(title, 39) + "…";
}

// The error's one line names the first candidates ("'6fd1' matches 2 tasks: tg-6fd155 "Parse
// format 334", tg-6fd1c8 "Parse format 245"; type more characters"); the details list them
// all, up to kDetailed (contract section 7: a list is summarised on the line).
Error Ambiguous(std::string_view input, std::vector<store::IdMatch> m, std::string_view noun,
                std::string_view hint) {
  bool more = m.size() > kDetailed;
  if (more) m.resize(kDetailed);
  std::string named;
  for (size_t i = 0; i < m.size() && i < kShown; ++i) {
    named += fmt::format("{}{} \"{}\"", i ? ", " : "", m[i].hash_id, ShortTitle(m[i].title));
  }
  if (m.size() > kShown) named += more ? ", ..." : fmt::format(" and {} more", m.size() - kShown);
  Error e{Code::kAmbiguousId,
          fmt::format("'{}' matches {}{} {}s: {}; {}", input, more ? "more than " : "", m.size(),
                      noun, named, hint),
          {}};
  for (const auto& c : m) {
    e.details.push_back({{"id", c.id}, {"hash_id", c.hash_id}, {"title", c.title}});
  }
  return e;
}

Result<std::string> One(store::Reader& r, store::Entity e, std::string_view input,
                        std::string_view noun, Code not_found, std::string_view hint) {
  TG_ASSIGN(auto m, r.MatchIds(e, input, kDetailed + 1));
  if (m.size() == 1) return m.front().id;
  if (m.empty()) {
    return Fail(not_found, fmt::format("no {} matches '{}'; {}", noun, input, hint));
  }
  return std::unexpected(Ambiguous(input, std::move(m), noun, "type more characters"));
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
  TG_ASSIGN(auto m, r.MatchIds(store::Entity::kPlan, input, kDetailed + 1));
  if (m.empty()) {
    TG_ASSIGN(m, r.MatchPlanTitle(input, kDetailed + 1));
  }
  if (m.empty()) {
    return Fail(Code::kPlanNotFound,
                fmt::format("no plan matches '{}' (by id or title); list plans with "
                            "`tg plan list`",
                            input));
  }
  if (m.size() > 1) {
    return std::unexpected(Ambiguous(input, std::move(m), "plan", "use a plan id"));
  }
  TG_ASSIGN(auto plan, r.GetPlan(m.front().id));
  if (!plan) return Fail(Code::kPlanNotFound, fmt::format("plan {} vanished", m.front().id));
  return *plan;
}

}  // namespace tg::app
