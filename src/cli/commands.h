// The command table: each command file adds its subcommands (name, one-line help, options)
// to the CLI11 app and registers the handler that runs when that subcommand is chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <map>

#include "cli/session.h"

namespace tg::cli {

// Building every subcommand costs about a millisecond, which `tg next` cannot afford: the
// dispatcher passes the command word it found in argv, and each Add function builds only the
// commands it asks for ("" = all, for help and "did you mean").
inline bool Wants(std::string_view want, std::string_view name) {
  return want.empty() || want == name;
}

struct Registry {
  std::map<const CLI::App*, Handler> handlers;
  void On(CLI::App* sub, Handler h) { handlers[sub] = std::move(h); }
};

void AddInitCommand(CLI::App& app, Registry& r, std::string_view want);  // cmd_init.cc
void AddPlanCommands(CLI::App& app, Registry& r,
                     std::string_view want);  // cmd_plan.cc: plan new|list|set-priority
void AddTaskCommands(CLI::App& app, Registry& r,
                     std::string_view want);  // cmd_task.cc: task new|update, split
void AddEdgeCommands(CLI::App& app, Registry& r,
                     std::string_view want);  // cmd_edge.cc: edge add|remove, block
void AddGateCommands(CLI::App& app, Registry& r,
                     std::string_view want);  // cmd_gate.cc: gate create|resolve|list
void AddClaimCommands(CLI::App& app, Registry& r, std::string_view want);  // cmd_claim.cc
void AddQueryCommands(CLI::App& app, Registry& r,
                      std::string_view want);  // cmd_query.cc: next, show
void AddStatusCommand(CLI::App& app, Registry& r, std::string_view want);  // cmd_status.cc: status
void AddLogCommand(CLI::App& app, Registry& r, std::string_view want);     // cmd_log.cc: log
// cmd_history.cc: diff, revert, undo.
void AddHistoryCommands(CLI::App& app, Registry& r, std::string_view want);
void AddImportCommands(CLI::App& app, Registry& r, std::string_view want);  // import, template
void AddExportCommands(CLI::App& app, Registry& r, std::string_view want);  // export *
void AddContextCommand(CLI::App& app, Registry& r, std::string_view want);  // context
void AddSetupCommand(CLI::App& app, Registry& r, std::string_view want);    // setup
void AddLeaseCommands(CLI::App& app, Registry& r, std::string_view want);   // heartbeat, recover
void AddDoctorCommand(CLI::App& app, Registry& r, std::string_view want);   // doctor
void AddMcpCommand(CLI::App& app, Registry& r, std::string_view want);      // mcp
void AddAgentsCommand(CLI::App& app, Registry& r, std::string_view want);   // agents
void AddWorktreeCommands(CLI::App& app, Registry& r,
                         std::string_view want);  // cmd_worktree.cc: worktree list
// Seeing the graph: stats (cmd_stats.cc), dashboard (cmd_dashboard.cc).
void AddStatsCommand(CLI::App& app, Registry& r, std::string_view want);
void AddDashboardCommand(CLI::App& app, Registry& r, std::string_view want);
// cmd_pictures.cc: export svg|html, under the export command.
void AddPictureFormats(CLI::App& exp, Registry& r);
void AddViewCommands(CLI::App& app, Registry& r, std::string_view want);
// cmd_completion.cc: completion, manpage, and the hidden __complete the scripts call.
void AddCompletionCommands(CLI::App& app, Registry& r, std::string_view want,
                           std::string_view version);

// "--lease" values: nullopt when empty, VALIDATION_FAILED when not a positive duration.
Result<std::optional<Millis>> LeaseFlag(const std::string& value);

}  // namespace tg::cli
