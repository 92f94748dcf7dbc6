// The benchmark graph, shared by make_graph (whole-process benchmarks) and micro (in-process).
//
// Shape (tasks a multiple of 100): plans of 100 tasks, each made of 10 chains of 10 tasks in
// which step k+1 is blocked by step k. Step 6 of every fifth chain (chains 6, 11, 16, ...) also
// waits on step 4 of the chain before it; half of these cross-chain edges cross plans. Chain
// heads are todo (tasks/10 runnable); every other task is blocked, materialised as tg does it:
// status 'blocked' plus a 'created' and a 'blocked' event. Plan priorities cycle 1, 2, 3, unset,
// and so do task priorities along each chain; risk and estimate vary too, so `next` has to sort.
//
// Everything happens in ONE write transaction through the store's own queries, so the file is
// what tg would have built (one history commit), in about a second instead of N processes.
// Ids come from SequentialIdSource and times from a fixed base: two runs give the same graph.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"

namespace tg::bench {

struct GraphInfo {
  int plans = 0, edges = 0, runnable = 0;
  // The task `tg show` is benchmarked on: step 6 of chain 11, which has two blockers (one in
  // another plan), a dependent and two events.
  std::string show_id;
};

// Writes the graph into the initialised, empty graph under `dir`; appends the same graph as
// Taskwarrior import objects to `tw` when given.
Status GenerateGraph(const std::string& dir, int tasks, nlohmann::json* tw, GraphInfo* info);

}  // namespace tg::bench
