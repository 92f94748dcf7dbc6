// Plan-wide checks. The original accepted duplicate ids (merging them), skipped unknown
// blockers with a warning and stored cycles; tg rejects all three (contract section 5).
#include "plan/validate.h"

#include <fmt/format.h>

#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/graph.h"
#include "core/text.h"
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
    // The title rule of `tg task new`, so that a file and a flag accept the same titles.
    if (auto problem = TitleProblem(todo.content)) {
      return ParseErrorAt(file, src.content,
                          "the content (title) of todo " + Quote(todo.id) + " " + *problem);
    }
  }
  return Ok();
}

Status CheckUniqueIds(const SourcedPlan& sp, std::string_view file,
                      std::unordered_map<std::string_view, size_t>& index) {
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
                          const std::unordered_map<std::string_view, size_t>& index) {
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
                    const std::unordered_map<std::string_view, size_t>& index) {
  // Edges point from a todo to its blockers, so the path reads "a waits on b waits on a".
  std::vector<std::pair<std::string_view, std::string_view>> edges;
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

// One text field: `what()` names it in the message ("the area of todo \"a\""), built only
// when there is something to say (a 100,000-todo file has half a million fields).
template <typename What>
Status CheckField(std::string_view file, Pos pos, What&& what, std::string_view text,
                  TextKind kind) {
  size_t limit = kind == TextKind::kSingleLine ? kMaxLineChars : kMaxTextChars;
  if (auto problem = TextProblem(text, kind, limit)) {
    std::string message = what();
    message += ' ';
    message += *problem;
    return ParseErrorAt(file, pos, message);
  }
  return Ok();
}

// A fixed name for CheckField.
auto Named(std::string name) {
  return [name = std::move(name)] { return name; };
}

// The file's bytes were checked already (no raw control characters, valid UTF-8); what YAML
// escapes ("\e", "\x00") or block scalars put into a value is checked here, by the field rules
// that `tg task new` applies to flags (core/text.h).
Status CheckFields(const SourcedPlan& sp, std::string_view file) {
  const Plan& plan = sp.plan;
  const TextKind line = TextKind::kSingleLine, text = TextKind::kMultiLine;
  if (plan.name) {
    if (auto problem = TitleProblem(*plan.name)) {
      return ParseErrorAt(file, sp.name, "the plan name " + *problem);
    }
  }
  Pos top{1, 1};
  for (auto [what, value] :
       {std::pair{"overview", &plan.overview}, {"fileTree", &plan.file_tree}}) {
    if (*value) TG_TRY(CheckField(file, top, Named(std::string("the ") + what), **value, text));
  }
  if (plan.initiative) {
    TG_TRY(CheckField(file, top, Named("the initiative"), *plan.initiative, line));
  }
  for (const auto& r : plan.risks) {
    TG_TRY(CheckField(file, top, Named("a risk's description"), r.description, text));
    TG_TRY(CheckField(file, top, Named("a risk's severity"), r.severity, line));
    TG_TRY(CheckField(file, top, Named("a risk's mitigation"), r.mitigation, text));
  }
  for (const auto* list : {&plan.tests, &plan.objectives, &plan.outcomes, &plan.outputs}) {
    for (const auto& item : *list) {
      TG_TRY(CheckField(file, top, Named("a list item"), item, text));
    }
  }
  for (size_t i = 0; i < plan.todos.size(); ++i) {
    const Todo& t = plan.todos[i];
    const TodoSource& src = sp.sources[i];
    Pos at{t.line, 1};
    // "the status of todo \"a\"": `what` and the todo's quoted id.
    auto of = [&t](std::string_view a, std::string_view b = {}) {
      return [&t, a, b] { return fmt::format("{}{} of todo {}", a, b, Quote(t.id)); };
    };
    TG_TRY(CheckField(
        file, src.id, [&t] { return "todo id " + Quote(t.id); }, t.id, line));
    TG_TRY(CheckField(file, at, of("the status"), t.status, line));
    for (size_t k = 0; k < t.blocked_by.size(); ++k) {
      TG_TRY(CheckField(file, src.blocked_by[k], of("a blockedBy id"), t.blocked_by[k], line));
    }
    for (const auto& d : t.docs) TG_TRY(CheckField(file, at, of("a doc"), d, line));
    for (const auto& s : t.skills) TG_TRY(CheckField(file, at, of("a skill"), s, line));
    for (auto [what, value, kind] : {std::tuple{"intent", &t.intent, text},
                                     {"suggestedChanges", &t.suggested_changes, text},
                                     {"agent", &t.agent, line},
                                     {"feature", &t.feature, line},
                                     {"area", &t.area, line}}) {
      if (*value) TG_TRY(CheckField(file, at, of("the ", what), **value, kind));
    }
    for (const auto& a : t.acceptance) {
      TG_TRY(CheckField(file, at, of("an acceptance item"), a, text));
    }
  }
  return Ok();
}

}  // namespace

Status Validate(const SourcedPlan& sourced, std::string_view file) {
  TG_TRY(CheckLengths(sourced, file));
  TG_TRY(CheckFields(sourced, file));
  std::unordered_map<std::string_view, size_t> index;
  TG_TRY(CheckUniqueIds(sourced, file, index));
  TG_TRY(CheckBlockersKnown(sourced, file, index));
  return CheckNoCycle(sourced, file, index);
}

}  // namespace tg::plan
