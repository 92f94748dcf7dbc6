#include "core/model.h"

#include <array>
#include <utility>

namespace tg {

namespace {

template <class E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  return std::nullopt;
}

template <class E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, name] : table) {
    if (v == e) return name;
  }
  return "?";
}

constexpr std::array<std::pair<TaskStatus, std::string_view>, 5> kTaskStatus{{
    {TaskStatus::kTodo, "todo"},
    {TaskStatus::kDoing, "doing"},
    {TaskStatus::kBlocked, "blocked"},
    {TaskStatus::kDone, "done"},
    {TaskStatus::kCanceled, "canceled"},
}};
constexpr std::array<std::pair<PlanStatus, std::string_view>, 5> kPlanStatus{{
    {PlanStatus::kDraft, "draft"},
    {PlanStatus::kActive, "active"},
    {PlanStatus::kPaused, "paused"},
    {PlanStatus::kDone, "done"},
    {PlanStatus::kAbandoned, "abandoned"},
}};
constexpr std::array<std::pair<Risk, std::string_view>, 3> kRisk{{
    {Risk::kLow, "low"},
    {Risk::kMedium, "medium"},
    {Risk::kHigh, "high"},
}};
constexpr std::array<std::pair<EdgeType, std::string_view>, 2> kEdgeType{{
    {EdgeType::kBlocks, "blocks"},
    {EdgeType::kRelates, "relates"},
}};
constexpr std::array<std::pair<GateType, std::string_view>, 3> kGateType{{
    {GateType::kHuman, "human"},
    {GateType::kCi, "ci"},
    {GateType::kWebhook, "webhook"},
}};
constexpr std::array<std::pair<GateStatus, std::string_view>, 2> kGateStatus{{
    {GateStatus::kPending, "pending"},
    {GateStatus::kResolved, "resolved"},
}};

}  // namespace

std::string_view ToString(TaskStatus s) { return Name(kTaskStatus, s); }
std::string_view ToString(PlanStatus s) { return Name(kPlanStatus, s); }
std::string_view ToString(Risk r) { return Name(kRisk, r); }
std::string_view ToString(EdgeType t) { return Name(kEdgeType, t); }
std::string_view ToString(GateType t) { return Name(kGateType, t); }
std::string_view ToString(GateStatus s) { return Name(kGateStatus, s); }
std::optional<TaskStatus> ParseTaskStatus(std::string_view s) { return Lookup(kTaskStatus, s); }
std::optional<PlanStatus> ParsePlanStatus(std::string_view s) { return Lookup(kPlanStatus, s); }
std::optional<Risk> ParseRisk(std::string_view s) { return Lookup(kRisk, s); }
std::optional<EdgeType> ParseEdgeType(std::string_view s) { return Lookup(kEdgeType, s); }
std::optional<GateType> ParseGateType(std::string_view s) { return Lookup(kGateType, s); }
std::optional<GateStatus> ParseGateStatus(std::string_view s) { return Lookup(kGateStatus, s); }

const std::vector<std::string_view>& ChangeTypes() {
  static const std::vector<std::string_view> types{"create",      "modify", "refactor", "fix",
                                                   "investigate", "test",   "document"};
  return types;
}

bool IsChangeType(std::string_view s) {
  for (std::string_view t : ChangeTypes()) {
    if (s == t) return true;
  }
  return false;
}

std::string ChangeTypeList() {
  std::string out;
  for (std::string_view t : ChangeTypes()) {
    if (!out.empty()) out += ", ";
    out += t;
  }
  return out;
}

PlanProgress ProgressOf(const StatusCounts& c) {
  return PlanProgress{c.todo + c.doing + c.blocked > 0, c.doing + c.done > 0, c.done > 0};
}

PlanStatus SettledPlanStatus(PlanStatus current, const PlanProgress& p) {
  if (current == PlanStatus::kAbandoned) return current;
  if (p.done && !p.open) return PlanStatus::kDone;
  if (current == PlanStatus::kDone) return PlanStatus::kActive;
  if (current == PlanStatus::kDraft && p.started) return PlanStatus::kActive;
  return current;
}

TaskStatus MaterializedStatus(TaskStatus current, int unmet_blockers) {
  if (current == TaskStatus::kTodo && unmet_blockers > 0) return TaskStatus::kBlocked;
  if (current == TaskStatus::kBlocked && unmet_blockers == 0) return TaskStatus::kTodo;
  return current;
}

}  // namespace tg
