// YAML tree -> Plan. Plan files fail closed: a key no one defined, a value of the wrong type,
// a todo without an id or title are PARSE_FAILED at file:line:col, since each would otherwise
// drop a dependency, a todo or a field without anyone noticing (the original ignored them all
// silently). With `lenient` (import --lenient) each becomes a warning and the rest is imported.
#include "plan/cursor.h"

#include <algorithm>
#include <unordered_set>

#include "core/duration.h"
#include "core/limits.h"
#include "core/model.h"
#include "core/suggest.h"

#include "plan/scalar.h"
#include "plan/text.h"

namespace tg::plan {
namespace {

using Kind = YamlNode::Kind;

bool IsNull(const YamlNode* node) { return node == nullptr || node->kind == Kind::kNull; }

// Keeps the first of equal values, in file order. `seen` makes it linear: a todo may list
// thousands of docs, and a search of the list per value made such a file take minutes.
void AppendUnique(std::vector<std::string>& list, std::unordered_set<std::string>& seen,
                  std::string value) {
  if (seen.insert(value).second) list.push_back(std::move(value));
}

class Converter {
 public:
  Converter(std::string_view file, const Vars* vars, bool lenient, SourcedPlan& out)
      : file_(file), vars_(vars), unusable_(file, lenient, out.plan.warnings), out_(out) {}

  Status ConvertPlan(const YamlNode& root) {
    for (const auto& [key, value] : root.pairs) {
      if (key->kind != Kind::kScalar) {
        Warn(key->pos, "a key that is " + key->Describe());
      } else if (!IsNull(value)) {
        TG_TRY(PlanKey(*key, *value));
      }
    }
    return Ok();
  }

 private:
  void Warn(Pos pos, const std::string& what, std::string_view fate = "ignored",
            std::string_view hint = "") {
    unusable_.Report(pos, what, fate, hint);
  }

  // A key nobody defined: most often a typo, so name the closest defined key.
  void UnknownKey(Pos pos, std::string_view kind, std::string_view key,
                  const std::vector<std::string>& known) {
    std::string close = ClosestWord(key, known);
    Warn(pos, "unknown " + std::string(kind) + " " + Quote(key), "ignored",
         close.empty() ? "" : "; did you mean " + Quote(close) + "?");
  }

  // A string value, placeholders replaced in a template. The replacements may not grow the
  // template past kMaxPlanFileBytes in all: a --var of 100 KB in 100,000 placeholders would
  // otherwise ask for 10 GB.
  std::string Text(const YamlNode& node) {
    if (vars_ == nullptr || !node.IsString()) return node.value;
    std::string out = SubstitutePlaceholders(node.value, *vars_, substitution_budget_);
    if (out.size() > substitution_budget_) {
      substitution_budget_ = 0;
      substitution_overflow_ = true;
      return {};
    }
    substitution_budget_ -= out.size();
    return out;
  }

 public:
  bool substitution_overflow() const { return substitution_overflow_; }
  const std::optional<Error>& refused() const { return unusable_.refused(); }

 private:
  // The string value of `key`, or nullopt with a warning when it holds something else.
  std::optional<std::string> String(std::string_view key, const YamlNode& node) {
    if (node.IsString()) return Text(node);
    Warn(node.pos, std::string(key) + " must be a string, got " + node.Describe(), "ignored",
         QuoteHint(node));
    return std::nullopt;
  }

  static std::string QuoteHint(const YamlNode& node) {
    return node.kind == Kind::kScalar || node.kind == Kind::kMapping ? " (quote the value)" : "";
  }

  // A string or a list of strings; other items are dropped with a warning.
  std::vector<std::pair<std::string, Pos>> Strings(std::string_view key, const YamlNode& node) {
    std::vector<std::pair<std::string, Pos>> out;
    if (node.kind != Kind::kSequence) {
      if (auto s = String(key, node)) out.emplace_back(std::move(*s), node.pos);
      return out;
    }
    for (const YamlNode* item : node.items) {
      if (item->IsString()) {
        out.emplace_back(Text(*item), item->pos);
      } else {
        Warn(item->pos,
             "an item of " + std::string(key) + " is " + item->Describe() + ", not a string",
             "dropped");
      }
    }
    return out;
  }

  // A list of strings, all or nothing (the original ignored the whole field otherwise).
  std::vector<std::string> StringList(std::string_view key, const YamlNode& node) {
    std::vector<std::string> out;
    bool all_strings = node.kind == Kind::kSequence &&
                       std::all_of(node.items.begin(), node.items.end(),
                                   [](const YamlNode* item) { return item->IsString(); });
    if (!all_strings) {
      Warn(node.pos, std::string(key) + " must be a list of strings");
      return out;
    }
    for (const YamlNode* item : node.items) out.push_back(Text(*item));
    return out;
  }

  Status PlanKey(const YamlNode& key_node, const YamlNode& value);
  void Risks(const YamlNode& node);
  Status Todos(const YamlNode& node);
  void ConvertTodo(const YamlNode& node);
  void TodoKey(const YamlNode& key_node, const YamlNode& value, Todo& todo, TodoSource& src);
  void BlockedBy(std::string_view key, const YamlNode& value, Todo& todo, TodoSource& src);
  void Estimate(const YamlNode& value, Todo& todo);

  // A whole number from a plain scalar or a quoted one ("3"), within `range`.
  std::optional<int> WholeNumber(std::string_view key, const YamlNode& node, Range range);

  std::string_view file_;
  const Vars* vars_;
  Unusable unusable_;
  SourcedPlan& out_;
  bool has_docs_ = false;  // the todo being read has a non-null docs, which beats domain
  std::unordered_set<std::string> seen_docs_, seen_skills_, seen_blockers_;  // of that todo
  size_t substitution_budget_ = kMaxPlanFileBytes;
  bool substitution_overflow_ = false;
};

Status Converter::PlanKey(const YamlNode& key_node, const YamlNode& value) {
  std::string_view key = key_node.value;
  Plan& plan = out_.plan;
  if (key == "todos") return Todos(value);
  if (key == "name") {
    // The original stringified any name; a mapping here is an unquoted {{placeholder}}.
    if (value.kind == Kind::kScalar) {
      plan.name = Text(value);
      out_.name = value.pos;
    } else {
      Warn(value.pos, "name must be a string, got " + value.Describe(), "ignored",
           QuoteHint(value));
    }
  } else if (key == "overview") {
    plan.overview = String(key, value);
  } else if (key == "fileTree") {
    plan.file_tree = String(key, value);
  } else if (key == "initiative") {
    if (auto s = String(key, value); s && !Trim(*s).empty()) plan.initiative = Trim(*s);
  } else if (key == "benchmark") {
    bool is_bool = value.kind == Kind::kScalar && value.tag == "?" &&
                   ResolvePlain(value.value) == ScalarType::kBool;
    if (is_bool) plan.benchmark = value.value[0] == 't' || value.value[0] == 'T';
    if (!is_bool) Warn(value.pos, "benchmark must be true or false");
  } else if (key == "risks") {
    Risks(value);
  } else if (key == "tests") {
    plan.tests = StringList(key, value);
  } else if (key == "objectives") {
    plan.objectives = StringList(key, value);
  } else if (key == "outcomes") {
    plan.outcomes = StringList(key, value);
  } else if (key == "outputs") {
    plan.outputs = StringList(key, value);
  } else if (key == "projects") {
    // Defined by the original's format but never implemented there either: always a warning.
    out_.plan.warnings.push_back(
        WarningAt(file_, value.pos, "the multi-project `projects` form is not supported; ignored"));
  } else if (key != "isProject" && !key.starts_with("x-")) {
    // x- keys hold YAML anchors and notes for people (as in other YAML formats), never data.
    static const std::vector<std::string> kPlanKeys{
        "name",  "overview",   "fileTree", "initiative", "benchmark", "risks",    "tests",
        "todos", "objectives", "outcomes", "outputs",    "projects",  "isProject"};
    UnknownKey(key_node.pos, "key", key, kPlanKeys);
  }
  return Ok();
}

void Converter::Risks(const YamlNode& node) {
  if (node.kind != Kind::kSequence) {
    Warn(node.pos, "risks must be a list");
    return;
  }
  for (const YamlNode* item : node.items) {
    const YamlNode* parts[3] = {item->Find("description"), item->Find("severity"),
                                item->Find("mitigation")};
    bool ok = std::all_of(parts, parts + 3, [](const YamlNode* p) { return p && p->IsString(); });
    if (!ok) {
      Warn(item->pos, "a risk needs string description, severity and mitigation", "dropped");
      continue;
    }
    out_.plan.risks.push_back(Risk{Text(*parts[0]), Text(*parts[1]), Text(*parts[2])});
  }
}

Status Converter::Todos(const YamlNode& node) {
  if (node.kind != Kind::kSequence) {
    return ParseErrorAt(file_, node.pos, "todos must be a list of todos, got " + node.Describe());
  }
  for (const YamlNode* item : node.items) ConvertTodo(*item);
  return Ok();
}

void Converter::ConvertTodo(const YamlNode& node) {
  if (node.kind != Kind::kMapping) {
    Warn(node.pos, "a todo is " + node.Describe() + ", not a mapping", "dropped");
    return;
  }
  const YamlNode* id = node.Find("id");
  const YamlNode* content = node.Find("content");
  for (auto [key, part] : {std::pair{"id", id}, std::pair{"content", content}}) {
    if (part == nullptr || !part->IsString()) {
      Warn(node.pos,
           std::string("a todo's ") + key +
               (part ? " is " + part->Describe() + ", not a string" : " is missing"),
           "the todo is dropped",
           part || std::string_view(key) == "id"
               ? ""
               : (node.Find("title") ? "; the title goes in content:, not title:" : ""));
      return;
    }
  }
  Todo todo{.id = Text(*id), .content = Text(*content), .line = node.pos.line};
  TodoSource src{.id = id->pos, .content = content->pos};
  has_docs_ = !IsNull(node.Find("docs"));
  seen_docs_.clear();
  seen_skills_.clear();
  seen_blockers_.clear();
  for (const auto& [key, value] : node.pairs) {
    if (key->kind != Kind::kScalar) {
      Warn(key->pos, "a todo key that is " + key->Describe());
    } else if (!IsNull(value)) {
      TodoKey(*key, *value, todo, src);
    }
  }
  out_.plan.todos.push_back(std::move(todo));
  out_.sources.push_back(std::move(src));
}

void Converter::TodoKey(const YamlNode& key_node, const YamlNode& value, Todo& todo,
                        TodoSource& src) {
  std::string_view key = key_node.value;
  if (key == "id" || key == "content") return;
  if (key == "docs" || (key == "domain" && !has_docs_)) {
    for (auto& [doc, pos] : Strings(key, value))
      AppendUnique(todo.docs, seen_docs_, std::move(doc));
  } else if (key == "domain") {
    // Both are defined: docs wins, as in the original; say so, never fail.
    out_.plan.warnings.push_back(WarningAt(file_, value.pos, "domain ignored: docs is given"));
  } else if (key == "status") {
    if (value.kind == Kind::kScalar) todo.status = Text(value);
    if (value.kind != Kind::kScalar) Warn(value.pos, "status must be a string");
  } else if (key == "blockedBy" || key == "dependencies") {
    BlockedBy(key, value, todo, src);
  } else if (key == "skill" || key == "skills") {
    for (auto& [skill, pos] : Strings(key, value))
      AppendUnique(todo.skills, seen_skills_, std::move(skill));
  } else if (key == "changeType") {
    auto type = String(key, value);
    if (type && IsValidChangeType(*type)) todo.change_type = std::move(type);
    if (type && !todo.change_type) {
      Warn(value.pos, "unknown changeType " + Quote(*type), "ignored",
           " (expected create, modify, refactor, fix, investigate, test or document)");
    }
  } else if (key == "intent") {
    todo.intent = String(key, value);
  } else if (key == "suggestedChanges") {
    todo.suggested_changes = String(key, value);
  } else if (key == "agent") {
    todo.agent = String(key, value);
  } else if (key == "feature") {
    todo.feature = String(key, value);
  } else if (key == "area") {
    todo.area = String(key, value);
  } else if (key == "acceptance") {
    for (auto& [item, pos] : Strings(key, value)) todo.acceptance.push_back(std::move(item));
  } else if (key == "tests") {
    for (auto& [item, pos] : Strings(key, value)) todo.tests.push_back(std::move(item));
  } else if (key == "priority") {
    todo.priority = WholeNumber(key, value, kPriorityRange);
  } else if (key == "risk") {
    auto risk = String(key, value);
    if (risk && ParseRisk(*risk)) todo.risk = std::move(risk);
    if (risk && !todo.risk)
      Warn(value.pos, "unknown risk " + Quote(*risk), "ignored", " (expected low, medium or high)");
  } else if (key == "estimate") {
    Estimate(value, todo);
  } else {
    static const std::vector<std::string> kTodoKeys{
        "id",     "content", "status", "blockedBy",  "dependencies", "docs",
        "domain", "skill",   "skills", "changeType", "intent",       "suggestedChanges",
        "agent",  "feature", "area",   "acceptance", "tests",        "priority",
        "risk",   "estimate"};
    UnknownKey(key_node.pos, "todo key", key, kTodoKeys);
  }
}

// blockedBy and its alias `dependencies`: a list, or a single id. Items are not required to
// be strings (an unquoted number names the todo whose id has that text).
void Converter::BlockedBy(std::string_view key, const YamlNode& value, Todo& todo,
                          TodoSource& src) {
  std::vector<const YamlNode*> items = value.items;
  if (value.kind != Kind::kSequence) items = {&value};
  for (const YamlNode* item : items) {
    if (item->kind != Kind::kScalar) {
      Warn(item->pos, std::string(key) + " entries must be todo ids, got " + item->Describe());
      continue;
    }
    std::string id = Text(*item);
    if (!seen_blockers_.insert(id).second) continue;
    todo.blocked_by.push_back(std::move(id));
    src.blocked_by.push_back(item->pos);
  }
}

std::optional<int> Converter::WholeNumber(std::string_view key, const YamlNode& node, Range range) {
  if (node.kind == Kind::kScalar) {
    if (auto n = ParseInteger(Text(node)); n && range.Contains(*n)) return static_cast<int>(*n);
  }
  Warn(node.pos, std::string(key) + " must be a whole number from " + std::to_string(range.min) +
                     " to " + std::to_string(range.max) + ", got " +
                     (node.kind == Kind::kScalar ? Quote(node.value) : node.Describe()));
  return std::nullopt;
}

// Minutes (90) or a duration (90m, 1h30m, 2h).
void Converter::Estimate(const YamlNode& value, Todo& todo) {
  if (value.kind == Kind::kScalar) {
    auto ms = ParseDuration(Text(value), /*default_unit=*/60'000);
    if (ms && *ms % 60'000 == 0 && kEstimateMinutesRange.Contains(*ms / 60'000)) {
      todo.estimate_mins = static_cast<int>(*ms / 60'000);
      return;
    }
  }
  Warn(value.pos, "estimate must be minutes or a duration such as 90m or 2h (at most " +
                      std::to_string(kEstimateMinutesRange.max / 60) + "h), got " +
                      (value.kind == Kind::kScalar ? Quote(value.value) : value.Describe()));
}

}  // namespace

Result<SourcedPlan> ConvertDocument(const YamlDocument& doc, std::string_view what, Pos start,
                                    std::string_view file, const Vars* vars, bool lenient) {
  const YamlNode* root = doc.root;
  if (IsNull(root)) {
    return ParseErrorAt(file, root ? root->pos : start,
                        "the " + std::string(what) +
                            " is empty; expected a mapping with keys such as name, overview "
                            "and todos");
  }
  if (root->kind != Kind::kMapping) {
    return ParseErrorAt(file, root->pos,
                        "the " + std::string(what) + " is " + root->Describe() +
                            "; expected a mapping with keys such as name, overview and todos");
  }
  SourcedPlan out;
  Converter converter(file, vars, lenient, out);
  TG_TRY(converter.ConvertPlan(*root));
  if (converter.refused()) return std::unexpected(*converter.refused());
  if (converter.substitution_overflow()) {
    return ParseErrorAt(file, start,
                        "the --var values make the template larger than " +
                            std::to_string(kMaxPlanFileBytes / (1024 * 1024)) +
                            " MiB; use shorter values");
  }
  return out;
}

}  // namespace tg::plan
