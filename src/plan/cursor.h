// The cursor format's YAML shape (plan-format.md sections 4 and 5) turned into a Plan.
// Internal to src/plan.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.h"
#include "plan/validate.h"
#include "plan/yaml_tree.h"

namespace tg::plan {

using Vars = std::map<std::string, std::string>;

// Converts a loaded document. `what` names the document in messages ("YAML frontmatter",
// "template"); `start` is where it begins, for errors about an empty document. With `vars`,
// every string value read is passed through SubstitutePlaceholders first. `lenient` turns
// unknown keys and unusable values into warnings instead of PARSE_FAILED.
Result<SourcedPlan> ConvertDocument(const YamlDocument& doc, std::string_view what, Pos start,
                                    std::string_view file, const Vars* vars, bool lenient);

}  // namespace tg::plan
