// The commands of "seeing the graph" (contract section 13), registered together so the
// command table gains one line.
#include "cli/commands.h"

namespace tg::cli {

void AddViewCommands(CLI::App& app, Registry& r, std::string_view want) {
  AddStatsCommand(app, r, want);
  AddDashboardCommand(app, r, want);
}

}  // namespace tg::cli
