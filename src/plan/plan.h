// Plan documents: the in-memory shape of a plan file, and reading/writing it.
// Formats and rules: shared/spec/plan-format.md; the fixes over the original: contract section 5.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace tg::plan {

struct Risk {
  std::string description, severity, mitigation;

  bool operator==(const Risk&) const = default;
};

struct Todo {
  std::string id;       // external key within the plan (todo id / legacy TASK key)
  std::string content;  // title
  // Raw file status ("" if absent): completed, canceled/cancelled, pending, in_progress, ...
  std::string status;
  // Union of blockedBy and the `dependencies` alias, de-duplicated, file order.
  std::vector<std::string> blocked_by;
  // docs (or the legacy alias `domain` when docs is absent); de-duplicated, file order.
  std::vector<std::string> docs;
  // `skill` and the `skills` alias; de-duplicated, file order.
  std::vector<std::string> skills;
  std::optional<std::string> change_type, intent, suggested_changes, agent;
  // Filled by the legacy format; the cursor format reads and writes them too (keys
  // `feature`, `area`, `acceptance`) so that WriteCursor loses nothing.
  std::optional<std::string> feature, area;
  std::vector<std::string> acceptance;
  std::vector<std::string> tests;   // how to check this todo; reaches show and context
  std::optional<int> priority;      // 1 = most important, as `tg task edit --priority`
  std::optional<std::string> risk;  // low | medium | high
  std::optional<int> estimate_mins;
  int line = 0;  // 1-based line in the file where this todo starts

  bool operator==(const Todo&) const = default;
};

struct Plan {
  std::optional<std::string> name, overview, file_tree, initiative;
  std::vector<Risk> risks;
  std::vector<std::string> tests, objectives, outcomes, outputs;
  std::optional<bool> benchmark;
  std::vector<Todo> todos;
  // One line per ignored or dropped piece of input, "<file>:<line>: <what>".
  std::vector<std::string> warnings;

  bool operator==(const Plan&) const = default;
};

enum class Format { kAuto, kCursor, kLegacy };

// The change types a todo may carry; anything else is dropped with a warning.
bool IsValidChangeType(std::string_view change_type);

// Parses plan text. `file_name` is used only in messages. kAuto picks cursor when the text
// starts with "---" (or a byte-order mark and "---", which is then reported), else legacy.
// Failures are kParseFailed (kCycleDetected for blocking cycles) with a message of the form
// "<file>:<line>:<col>: <what is wrong>", in file coordinates.
// Unknown keys and unusable values are kParseFailed too, unless `lenient` makes them warnings.
tg::Result<Plan> ParsePlan(std::string_view text, std::string_view file_name, Format format,
                           bool lenient = false);

// Reads and parses a plan file; kFileNotFound when it cannot be read, kParseFailed when it is
// not a regular file or larger than kMaxPlanFileBytes (checked before reading).
tg::Result<Plan> ReadPlanFile(const std::string& path, Format format, bool lenient = false);

// Parses a template: the whole text is one YAML document in the frontmatter shape. Every
// {{name}} (name made of letters, digits, underscore) in a string value is replaced by
// vars[name] after loading; unknown names stay as they are; mapping keys, numbers and
// booleans are untouched; replacements are not scanned again.
tg::Result<Plan> ParseTemplate(std::string_view text, std::string_view file_name,
                               const std::map<std::string, std::string>& vars);

// Reads a template file as ReadPlanFile reads a plan, then ParseTemplate; `label` names it in
// messages.
tg::Result<Plan> ReadTemplateFile(const std::string& path, std::string_view label,
                                  const std::map<std::string, std::string>& vars);

// The substitution ParseTemplate applies to each string value.
// Stops once the result exceeds `max_bytes` (the caller sees a longer result and refuses it).
std::string SubstitutePlaceholders(std::string_view text,
                                   const std::map<std::string, std::string>& vars,
                                   size_t max_bytes = SIZE_MAX);

// Writes `plan` in the cursor format ("---", YAML frontmatter, "---"). ParsePlan reads the
// result back to an equal Plan, apart from `line` and `warnings`.
std::string WriteCursor(const Plan& plan);

}  // namespace tg::plan
