// tg doctor: the store's own checks, then the graph's invariants and the history replay,
// computed from raw rows through the store interface, the same for every store.
#pragma once

#include <vector>

#include "app/context.h"

namespace tg::app {

using store::Finding;
// Every finding; empty when clean. Writes nothing.
Result<std::vector<Finding>> Doctor(Context& ctx);

// The graph's invariants (blocked status, claims, plan status, no cycle) in one snapshot.
Status CheckGraph(store::Reader& r, std::vector<Finding>& out);
// Replaying every commit's changes (then the pending record's) from nothing reproduces every
// history table of the live schema: every table except store::NonHistoryTables().
Status CheckHistory(store::Reader& r, std::vector<Finding>& out);

}  // namespace tg::app
