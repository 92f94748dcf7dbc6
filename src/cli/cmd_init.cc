// tg init: create the graph in this folder (or --dir); idempotent, never prompts.
#include <fmt/format.h>

#include <memory>

#include "app/init.h"
#include "app/init_database.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "core/strings.h"

namespace tg::cli {

namespace {

// tg migrate --to postgresql://... | sqlite: move the graph, whole history included, between
// the stores and switch config.json to where it went (registered with init: both choose where
// a graph lives).
void AddMigrateCommand(CLI::App& app, Registry& r) {
  auto* sub = app.add_subcommand(
      "migrate", "Move this graph with its whole history to PostgreSQL or back to SQLite");
  auto to = std::make_shared<std::string>();
  sub->add_option("--to", *to,
                  "Where: an empty PostgreSQL database (postgresql://[user@]host[:port]/db), or "
                  "sqlite (.taskgraph/tg.db)")
      ->required();
  r.On(sub, [to](Session& s) -> Result<int> {
    TG_ASSIGN(auto opts, s.OpenOpts());
    TG_ASSIGN(auto out, app::MigrateGraph(s.env.cwd, s.ExplicitDir(), opts, *to));
    const bool back = *to == "sqlite";
    if (!out.warning.empty()) s.io.err << "tg migrate: warning: " << out.warning << "\n";
    if (s.Json()) {
      api::Json j{{"database", out.database},
                  {"commits", out.commits},
                  {"rows", out.rows},
                  {"kept", out.kept}};
      if (!out.warning.empty()) j["warning"] = out.warning;
      PrintJson(s, j);
      return 0;
    }
    s.io.out << "Moved the graph to " << (back ? "SQLite: " : "PostgreSQL: ") << out.database
             << " (" << Counted(out.commits, "commit") << ", " << Counted(out.rows, "row") << ")\n";
    if (back) {
      s.io.out << "config.json names no database any more; the database at " << out.kept
               << " is kept, read-only, until you drop it\n";
    } else {
      s.io.out << "config.json now names that database; the SQLite store is kept as " << out.kept
               << " until you remove it\n";
    }
    // config.json is the file a team shares through git: clones and linked worktrees follow
    // the move only once it is committed.
    s.io.out << "If .taskgraph/config.json is tracked in git, commit it so that clones and "
                "worktrees follow\n";
    return 0;
  });
}

}  // namespace

void AddInitCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "migrate")) AddMigrateCommand(app, r);
  if (!Wants(want, "init")) return;
  auto* sub = app.add_subcommand("init", "Create a task graph (.taskgraph/) here or in --dir");
  auto url = std::make_shared<std::string>();
  sub->add_option("--database-url", *url,
                  "Keep the graph in this PostgreSQL database (postgresql://...); a database "
                  "that holds a graph already is joined");
  auto here = std::make_shared<bool>(false);
  sub->add_flag("--here", *here,
                "In a linked git worktree: a graph of its own instead of the shared one");
  r.On(sub, [url, here](Session& s) -> Result<int> {
    TG_ASSIGN(auto opts, s.OpenOpts());
    std::string root = s.ExplicitDir().value_or(s.env.cwd);
    TG_ASSIGN(auto out, url->empty() ? app::InitGraph(root, opts, *here)
                                     : app::InitGraphWithDatabase(root, opts, *url, *here));
    if (s.Json()) {
      PrintJson(s, api::InitJson(out));
      return 0;
    }
    if (out.linked_worktree) {
      s.io.out << *out.linked_worktree << " is a linked git worktree: it shares the task graph in "
               << out.root << "/.taskgraph, which commands run here use; nothing created.\n"
               << "For a separate graph in this worktree: tg init --here\n";
    } else if (out.created) {
      s.io.out << "Initialized a task graph in " << out.root << "/.taskgraph\n";
      if (out.database) s.io.out << "Stored in PostgreSQL: " << *out.database << "\n";
      if (out.enclosing) {
        s.io.out << "Note: this graph is separate from the one in " << *out.enclosing
                 << "; commands run below " << out.root << " now use this one.\n";
      }
      s.io.out << "Next: tg plan new \"<title>\", tg task new \"<title>\" --plan <plan>, "
                  "tg next\n";
    } else {
      s.io.out << "Task graph already initialized in " << out.root << "/.taskgraph\n";
      if (out.database) s.io.out << "Joined the graph in PostgreSQL: " << *out.database << "\n";
    }
    return 0;
  });
}

}  // namespace tg::cli
