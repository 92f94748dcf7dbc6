// tg init: create the graph in this folder (or --dir); idempotent, never prompts.
#include <fmt/format.h>

#include "app/init.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

void AddInitCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "init")) return;
  auto* sub = app.add_subcommand("init", "Create a task graph (.taskgraph/) here or in --dir");
  auto here = std::make_shared<bool>(false);
  sub->add_flag("--here", *here,
                "In a linked git worktree: a graph of its own instead of the shared one");
  r.On(sub, [here](Session& s) -> Result<int> {
    TG_ASSIGN(auto opts, s.OpenOpts());
    std::string root = s.ExplicitDir().value_or(s.env.cwd);
    TG_ASSIGN(auto out, app::InitGraph(root, opts, *here));
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
      if (out.enclosing) {
        s.io.out << "Note: this graph is separate from the one in " << *out.enclosing
                 << "; commands run below " << out.root << " now use this one.\n";
      }
      s.io.out << "Next: tg plan new \"<title>\", tg task new \"<title>\" --plan <plan>, "
                  "tg next\n";
    } else {
      s.io.out << "Task graph already initialized in " << out.root << "/.taskgraph\n";
    }
    return 0;
  });
}

}  // namespace tg::cli
