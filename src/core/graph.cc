#include "core/graph.h"

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
    const std::vector<std::pair<std::string, std::string>>& edges) {
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<std::string>> adj;
  for (const auto& [a, b] : edges) {
    if (!adj.contains(a)) order.push_back(a);
    adj[a].push_back(b);
    if (!adj.contains(b)) {
      order.push_back(b);
      adj[b];
    }
  }
  // Iterative DFS with colours: 0 white, 1 on stack, 2 done.
  std::unordered_map<std::string, int> colour;
  for (const auto& root : order) {
    if (colour[root] != 0) continue;
    std::vector<std::pair<std::string, size_t>> stack{{root, 0}};
    colour[root] = 1;
    while (!stack.empty()) {
      auto& [node, i] = stack.back();
      const auto& succ = adj[node];
      if (i == succ.size()) {
        colour[node] = 2;
        stack.pop_back();
        continue;
      }
      const std::string next = succ[i++];
      int c = colour[next];
      if (c == 1) {
        std::vector<std::string> cycle;
        size_t k = 0;
        while (stack[k].first != next) ++k;
        for (; k < stack.size(); ++k) cycle.push_back(stack[k].first);
        cycle.push_back(next);
        return cycle;
      }
      if (c == 0) {
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
