// The command table: each command file adds its subcommands (name, one-line help, options)
// to the CLI11 app and registers the handler that runs when that subcommand is chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <map>

#include "cli/session.h"

namespace tg::cli {

struct Registry {
  std::map<const CLI::App*, Handler> handlers;
  void On(CLI::App* sub, Handler h) { handlers[sub] = std::move(h); }
};

void AddInitCommand(CLI::App& app, Registry& r);     // cmd_init.cc
void AddPlanCommands(CLI::App& app, Registry& r);    // cmd_plan.cc: plan new|list|set-priority
void AddTaskCommands(CLI::App& app, Registry& r);    // cmd_task.cc: task new|update, split
void AddEdgeCommands(CLI::App& app, Registry& r);    // cmd_edge.cc: edge add|remove, block
void AddGateCommands(CLI::App& app, Registry& r);    // cmd_gate.cc: gate create|resolve|list
void AddClaimCommands(CLI::App& app, Registry& r);   // cmd_claim.cc: start, done, note, release,
                                                     // reopen, cancel
void AddQueryCommands(CLI::App& app, Registry& r);   // cmd_query.cc: next, show
void AddStatusCommand(CLI::App& app, Registry& r);   // cmd_status.cc: status
void AddLogCommand(CLI::App& app, Registry& r);      // cmd_log.cc: log

}  // namespace tg::cli
