// Graph algorithms over blocking edges, independent of where the edges are stored.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tg {

// Returns the node path from `from` to `to` (both included) following `successors`, or
// nullopt when `to` is unreachable. Breadth-first, so the path is a shortest one.
// Used to refuse a blocking edge a -> b when b already reaches a: the cycle is path + a.
std::optional<std::vector<std::string>> FindPath(
    const std::string& from, const std::string& to,
    const std::function<std::vector<std::string>(const std::string&)>& successors);

// Returns one cycle (first node repeated at the end, e.g. a b c a) in the directed graph
// given by `edges` (from, to), or nullopt when the graph is acyclic. Nodes are visited in
// first-appearance order, so the result is deterministic.
std::optional<std::vector<std::string>> FindCycle(
    const std::vector<std::pair<std::string_view, std::string_view>>& edges);

// "a -> b -> c -> a"
std::string FormatPath(const std::vector<std::string>& path);

}  // namespace tg
