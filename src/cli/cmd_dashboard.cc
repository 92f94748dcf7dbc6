// tg dashboard [--tasks|--projects]: the live full-screen view (contract section 13). The
// screen is cli/board.h's pure model; this file loads its data, and on a terminal runs the
// thin writer: alternate screen and raw keys (restored on q, Ctrl-C, SIGINT, SIGTERM), a redraw
// when a commit lands, on resize, and every few seconds for the ages, rewriting only the lines
// that changed. Without a terminal it prints one frame and exits.
#include <unistd.h>

#include "app/activity.h"
#include "cli/board.h"
#include "cli/commands.h"
#include "cli/live.h"
#include "core/limits.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

constexpr int64_t kAgeTickMs = 5'000;
constexpr int64_t kForeverMs = int64_t{10} * 365 * 24 * 3'600'000;

BoardStyle StyleFor(const Session& s, bool terminal) {
  BoardStyle st;
  auto ascii = s.env.Get("TG_ASCII");
  if (!ascii) ascii = s.env.Get("TG_ASCII_DASHBOARD");  // the original's name
  st.unicode = !(ascii && *ascii != "0");
  st.color = terminal && !s.env.Get("NO_COLOR");
  return st;
}

// Moves to each line that differs from the frame on screen and rewrites it. The update is
// bracketed as one synchronized output (DEC mode 2026): a terminal that knows the mode shows
// the frame whole instead of half old, half new; one that does not ignores the brackets.
std::string FrameDiff(const std::vector<std::string>& was, const std::vector<std::string>& now,
                      bool full) {
  std::string out;
  if (full) out += "\x1b[H\x1b[2J";
  for (size_t i = 0; i < now.size(); ++i) {
    if (!full && i < was.size() && was[i] == now[i]) continue;
    out += Cat({"\x1b[", std::to_string(i + 1), ";1H\x1b[0m", now[i], "\x1b[0m\x1b[K"});
  }
  return out.empty() ? out : Cat({"\x1b[?2026h", out, "\x1b[?2026l"});
}

Result<int> RunLive(Session& s, app::Context& ctx, BoardView view) {
  // Watch before the first read, so a commit in between is not missed.
  TG_ASSIGN(auto watch, ctx.store.Watch(kForeverMs));
  auto term = RawTerminal::Enter(STDIN_FILENO, STDOUT_FILENO);
  LiveLoop loop(*watch, isatty(STDIN_FILENO) ? STDIN_FILENO : -1, kAgeTickMs);
  BoardStyle style = StyleFor(s, true);
  std::vector<std::string> shown;
  bool full = true;
  std::optional<BoardData> data;
  for (LiveEvent ev{true, true, false, false};; ev = loop.Next()) {
    if (ev.quit) break;
    if (ev.commit || !data) {
      // A store error is shown in the frame's place instead of ending the view.
      auto loaded = LoadBoard(ctx, view);
      if (!loaded) {
        std::string line = Cat({"tg dashboard: ", loaded.error().message});
        WriteAll(STDOUT_FILENO, Cat({"\x1b[H", line, "\x1b[K"}));
        shown.clear();
        continue;
      }
      data = std::move(*loaded);
    }
    auto size = TerminalSize(STDOUT_FILENO).value_or(std::pair<int, int>{80, 24});
    if (ev.resize) full = true;
    // The ages move with the clock alone: a tick redraws without reading the store.
    auto lines = RenderBoard(*data, view, size.first, size.second, s.clock().Now(), style);
    if (!WriteAll(STDOUT_FILENO, FrameDiff(shown, lines, full || lines.size() != shown.size())))
      break;
    shown = std::move(lines);
    full = false;
  }
  term.reset();
  return 0;
}

}  // namespace

Result<BoardData> LoadBoard(app::Context& ctx, BoardView view) {
  BoardData d;
  app::StatusQuery q;
  q.light = true;
  TG_ASSIGN(d.summary, app::Summarize(ctx, q));
  q.light = false;
  app::ActivityQuery aq;
  aq.recent = 7;
  TG_ASSIGN(d.activity, app::ReadActivity(ctx, aq));
  if (view == BoardView::kTasks) {
    q.active_only = true;
    TG_ASSIGN(d.tasks, app::StatusTasks(ctx, q));
  } else if (view == BoardView::kProjects) {
    TG_ASSIGN(d.projects, app::StatusProjects(ctx, q));
  }
  return d;
}

void AddDashboardCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "dashboard")) return;
  struct Opts {
    bool tasks = false, projects = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand(
      "dashboard", "Live view: plans, who is doing what, gates, next up, recently done (q quits)");
  sub->add_flag("--tasks", o->tasks, "Open tasks, next runnable, recently done");
  sub->add_flag("--projects", o->projects, "Plans: active, upcoming, completed");
  r.On(sub, [o](Session& s) -> Result<int> {
    if (o->tasks && o->projects) {
      return Fail(Code::kUsage, "only one of --tasks and --projects is allowed");
    }
    if (s.Json()) return Fail(Code::kUsage, "dashboard draws text; use `tg status --json`");
    BoardView view = o->tasks      ? BoardView::kTasks
                     : o->projects ? BoardView::kProjects
                                   : BoardView::kOverview;
    TG_ASSIGN(auto* ctx, s.Ctx());
    if (s.io.out_is_tty) return RunLive(s, *ctx, view);
    TG_ASSIGN(BoardData d, LoadBoard(*ctx, view));
    int width = 80;
    if (auto c = s.env.Get("COLUMNS")) {
      if (auto n = ParseInteger(*c); n && kColumnsRange.Contains(*n)) width = static_cast<int>(*n);
    }
    for (const auto& line : RenderBoard(d, view, width, 0, d.summary.now, StyleFor(s, false))) {
      s.io.out << line << '\n';
    }
    return 0;
  });
}

}  // namespace tg::cli
