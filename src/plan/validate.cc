// Plan-wide checks. The original accepted duplicate ids (merging them), skipped unknown
// blockers with a warning and stored cycles; tg rejects all three (contract section 5).
#include "plan/validate.h"

#include <unordered_map>
#include <utility>

#include "core/graph.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

Status CheckLengths(const SourcedPlan& sp, std::string_view file) {
  for (size_t i = 0; i < sp.plan.todos.size(); ++i) {
    const Todo& todo = sp.plan.todos[i];
    const TodoSource& src = sp.sources[i];
    if (Trim(todo.id).empty()) return ParseErrorAt(file, src.id, "todo id is empty");
    if (size_t n = CodePointCount(todo.id); n > kMaxIdLength) {
      return ParseErrorAt(file, src.id,
                          "todo id " + Quote(todo.id) + " is " + std::to_string(n) +
                              " characters long; ids are limited to " +
                              std::to_string(kMaxIdLength));
    }
    if (size_t n = CodePointCount(todo.content); n > kMaxTitleLength) {
      return ParseErrorAt(file, src.content,
                          "the content (title) of todo " + Quote(todo.id) + " is " +
                              std::to_string(n) + " characters long; titles are limited to " +
                              std::to_string(kMaxTitleLength) + " (move detail to intent)");
    }
  }
  return Ok();
}

Status CheckUniqueIds(const SourcedPlan& sp, std::string_view file,
                      std::unordered_map<std::string, size_t>& index) {
  for (size_t i = 0; i < sp.plan.todos.size(); ++i) {
    auto [it, fresh] = index.emplace(sp.plan.todos[i].id, i);
    if (fresh) continue;
    return ParseErrorAt(file, sp.sources[i].id,
                        "duplicate todo id " + Quote(sp.plan.todos[i].id) + " at lines " +
                            std::to_string(sp.sources[it->second].id.line) + " and " +
                            std::to_string(sp.sources[i].id.line) +
                            "; todo ids must be unique within a plan");
  }
  return Ok();
}

Status CheckBlockersKnown(const SourcedPlan& sp, std::string_view file,
                          const std::unordered_map<std::string, size_t>& index) {
  for (size_t i = 0; i < sp.plan.todos.size(); ++i) {
    const Todo& todo = sp.plan.todos[i];
    for (size_t k = 0; k < todo.blocked_by.size(); ++k) {
      if (index.contains(todo.blocked_by[k])) continue;
      return ParseErrorAt(file, sp.sources[i].blocked_by[k],
                          "todo " + Quote(todo.id) + " is blocked by unknown id " +
                              Quote(todo.blocked_by[k]) +
                              "; blockedBy must name a todo of this file (link other plans "
                              "after import with `tg block`)");
    }
  }
  return Ok();
}

Status CheckNoCycle(const SourcedPlan& sp, std::string_view file,
                    const std::unordered_map<std::string, size_t>& index) {
  // Edges point from a todo to its blockers, so the path reads "a waits on b waits on a".
  std::vector<std::pair<std::string, std::string>> edges;
  for (const Todo& todo : sp.plan.todos) {
    for (const auto& blocker : todo.blocked_by) edges.emplace_back(todo.id, blocker);
  }
  auto cycle = FindCycle(edges);
  if (!cycle) return Ok();
  size_t i = index.at((*cycle)[0]);
  const auto& refs = sp.plan.todos[i].blocked_by;
  size_t k = 0;
  while (refs[k] != (*cycle)[1]) ++k;
  Pos pos = sp.sources[i].blocked_by[k];
  if (cycle->size() == 2) {
    return FailAt(Code::kCycleDetected, file, pos,
                  "todo " + Quote((*cycle)[0]) +
                      " is blocked by itself; remove it from its "
                      "own blockedBy");
  }
  return FailAt(Code::kCycleDetected, file, pos,
                "blocking cycle " + FormatPath(*cycle) +
                    " (each todo is blocked by the next); remove one of these blockedBy "
                    "entries");
}

}  // namespace

Status Validate(const SourcedPlan& sourced, std::string_view file) {
  TG_TRY(CheckLengths(sourced, file));
  std::unordered_map<std::string, size_t> index;
  TG_TRY(CheckUniqueIds(sourced, file, index));
  TG_TRY(CheckBlockersKnown(sourced, file, index));
  return CheckNoCycle(sourced, file, index);
}

}  // namespace tg::plan
