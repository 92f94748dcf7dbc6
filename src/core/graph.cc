#include "core/graph.h"

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace tg {

std::optional<std::vector<std::string>> FindPath(
    const std::string& from, const std::string& to,
    const std::function<std::vector<std::string>(const std::string&)>& successors) {
  std::unordered_map<std::string, std::string> parent{{from, from}};
  std::deque<std::string> queue{from};
  while (!queue.empty()) {
    std::string node = std::move(queue.front());
    queue.pop_front();
    if (node == to) {
      std::vector<std::string> path{node};
      while (path.back() != from) path.push_back(parent.at(path.back()));
      return std::vector<std::string>(path.rbegin(), path.rend());
    }
    for (auto& next : successors(node)) {
      if (parent.emplace(next, node).second) queue.push_back(next);
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> FindCycle(
    const std::vector<std::pair<std::string_view, std::string_view>>& edges) {
  // Nodes as numbers in first-appearance order: a plan of 100,000 todos has 75,000 edges, and
  // maps keyed by copied strings made this search a tenth of its import.
  std::unordered_map<std::string_view, uint32_t> number;
  std::vector<std::string_view> name;
  auto node = [&](std::string_view id) {
    auto [it, fresh] = number.emplace(id, static_cast<uint32_t>(name.size()));
    if (fresh) name.push_back(id);
    return it->second;
  };
  std::vector<std::vector<uint32_t>> adj;
  for (const auto& [a, b] : edges) {
    uint32_t from = node(a), to = node(b);
    if (adj.size() < name.size()) adj.resize(name.size());
    adj[from].push_back(to);
  }
  // Iterative DFS with colours: 0 white, 1 on stack, 2 done.
  std::vector<uint8_t> colour(name.size(), 0);
  std::vector<std::pair<uint32_t, size_t>> stack;
  for (uint32_t root = 0; root < name.size(); ++root) {
    if (colour[root] != 0) continue;
    stack.assign(1, {root, 0});
    colour[root] = 1;
    while (!stack.empty()) {
      auto& [at, i] = stack.back();
      const auto& succ = adj[at];
      if (i == succ.size()) {
        colour[at] = 2;
        stack.pop_back();
        continue;
      }
      uint32_t next = succ[i++];
      if (colour[next] == 1) {
        std::vector<std::string> cycle;
        size_t k = 0;
        while (stack[k].first != next) ++k;
        for (; k < stack.size(); ++k) cycle.emplace_back(name[stack[k].first]);
        cycle.emplace_back(name[next]);
        return cycle;
      }
      if (colour[next] == 0) {
        colour[next] = 1;
        stack.emplace_back(next, 0);
      }
    }
  }
  return std::nullopt;
}

std::string FormatPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& n : path) {
    if (!out.empty()) out += " -> ";
    out += n;
  }
  return out;
}

}  // namespace tg
