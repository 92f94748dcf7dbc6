// The dashboard's screen model: a pure function from a snapshot of the graph, a terminal size,
// a time and a style to the lines of one frame. No I/O, no clock: golden tests render it frame
// by frame at any size, and the terminal writer (cmd_dashboard.cc) only copies lines out.
#pragma once

#include <string>
#include <vector>

#include "app/activity.h"
#include "app/views.h"

namespace tg::cli {

struct BoardData {
  app::StatusSummary summary;
  app::Activity activity;
  std::vector<Task> tasks;             // the --tasks view: open tasks
  std::vector<app::PlanRow> projects;  // the --projects view
};

enum class BoardView { kOverview, kTasks, kProjects };

// Everything one frame of `view` shows, read from the store (cmd_dashboard.cc).
Result<BoardData> LoadBoard(app::Context& ctx, BoardView view);

struct BoardStyle {
  bool unicode = true;  // box drawing and bars; false: ASCII only (TG_ASCII, or no UTF-8)
  bool color = false;   // ANSI colours (a terminal, and no NO_COLOR)
};

// Exactly `height` lines (height <= 0: as many as the content needs, nothing cut), each at most
// `width` columns wide not counting colour escapes. Stored text is made terminal-safe here.
std::vector<std::string> RenderBoard(const BoardData& d, BoardView view, int width, int height,
                                     Millis now, const BoardStyle& style);

}  // namespace tg::cli
