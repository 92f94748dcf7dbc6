// Cutting the YAML frontmatter out of a cursor plan (plan-format.md section 2).
// Internal to src/plan.
#pragma once

#include <optional>
#include <string_view>

namespace tg::plan {

struct Frontmatter {
  std::string_view yaml;  // never ends with the line feed before the closing "---"
  int first_line = 1;     // file line of the YAML's first line
};

// Matches the original's /^---\s*\n([\s\S]*?)\n---/: "---" at byte 0, optional whitespace
// ending in a line feed (greedy, so blank lines are skipped and the last one's indentation
// kept), then everything up to the first line that starts with "---". nullopt: no match.
std::optional<Frontmatter> FindFrontmatter(std::string_view text);

}  // namespace tg::plan
