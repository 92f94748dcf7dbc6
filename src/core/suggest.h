// "Did you mean": the closest of a set of known words to one that was mistyped, for unknown
// commands and flags on the command line and unknown keys in plan files alike.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

// Edits (insert, delete, substitute, swap of two neighbours) that turn `a` into `b`.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`: one equal but for case first ("blockedby" is "blockedBy"),
// else the nearest within about a third of the word's length; "" when none is that close.
std::string ClosestWord(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tg
