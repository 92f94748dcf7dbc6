// YAML scalar typing: which plain scalars are strings, per js-yaml 4's default schema (the
// YAML 1.2 core schema plus timestamps), which the original tool used. Internal to src/plan.
#pragma once

#include <string_view>

namespace tg::plan {

enum class ScalarType { kString, kNull, kBool, kInt, kFloat, kTimestamp };

// The type a plain (unquoted, untagged) scalar resolves to. `yes`, `on` and `y` stay strings.
ScalarType ResolvePlain(std::string_view text);

// "a number", "a boolean", ... for messages about values that are not strings.
std::string_view Describe(ScalarType type);

}  // namespace tg::plan
