// make_history: adds a long history to a graph that make_graph wrote: N commits, each one
// use case of one of four agents (a task's title or priority changed, a note), on tasks taken
// in turn, with the clock one second further each commit. Deterministic: two runs give the
// same history (ids from SequentialIdSource, times from a fixed base).
//
//   make_history --dir <folder holding .taskgraph/> --commits N
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "app/claims.h"
#include "app/graph_ops.h"
#include "store/store.h"

int main(int argc, char** argv) {
  if (argc != 5 || std::string(argv[1]) != "--dir" || std::string(argv[3]) != "--commits") {
    std::cerr << "usage: make_history --dir <folder with .taskgraph/> --commits N\n";
    return 2;
  }
  const std::string dir = argv[2];
  const int commits = std::atoi(argv[4]);
  tg::FixedClock clock(1'800'000'000'000);
  tg::SequentialIdSource ids(0x4000000);
  auto store = tg::store::Open(dir, {}, clock);
  if (!store) {
    std::cerr << "make_history: " << store.error().message << "\n";
    return 1;
  }
  tg::app::Context ctx{**store, ids};
  ctx.agent_explicit = true;
  std::vector<std::string> tasks;
  {
    auto r = (*store)->Read();
    auto all = (*r)->AllTasks();
    if (!all) return 1;
    for (const auto& t : *all) tasks.push_back(t.hash_id);
  }
  static const char* kAgents[] = {"agent-1", "agent-2", "agent-3", "agent-4"};
  for (int i = 0; i < commits; ++i) {
    clock.Set(clock.Now() + 1000);
    ctx.agent = kAgents[i % 4];
    const std::string& id = tasks[static_cast<size_t>(i * 7919) % tasks.size()];
    tg::Status st = tg::Ok();
    switch (i % 3) {
      case 0: {
        tg::app::TaskFields f;
        f.title = fmt::format("Task {} (rev {})", id, i);
        auto w = tg::app::UpdateTask(ctx, id, f);
        if (!w) st = std::unexpected(w.error());
        break;
      }
      case 1: {
        tg::app::TaskFields f;
        f.priority = std::optional<int>(i % 5);
        auto w = tg::app::UpdateTask(ctx, id, f);
        if (!w) st = std::unexpected(w.error());
        break;
      }
      default: {
        auto w = tg::app::Note(ctx, {id}, {fmt::format("progress {}", i), false});
        if (!w) st = std::unexpected(w.error());
        break;
      }
    }
    if (!st) {
      std::cerr << "make_history: " << st.error().message << "\n";
      return 1;
    }
  }
  std::cerr << fmt::format("make_history: {} commits by {} agents on {} tasks\n", commits, 4,
                           tasks.size());
  return 0;
}
