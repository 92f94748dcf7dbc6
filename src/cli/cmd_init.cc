// tg init: create the graph in this folder (or --dir); idempotent, never prompts.
#include <fmt/format.h>

#include <memory>

#include "app/init.h"
#include "app/init_database.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

void AddInitCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "init")) return;
  auto* sub = app.add_subcommand("init", "Create a task graph (.taskgraph/) here or in --dir");
  auto url = std::make_shared<std::string>();
  sub->add_option("--database-url", *url,
                  "Keep the graph in this PostgreSQL database (postgresql://...); a database "
                  "that holds a graph already is joined");
  r.On(sub, [url](Session& s) -> Result<int> {
    TG_ASSIGN(auto opts, s.OpenOpts());
    std::string root = s.ExplicitDir().value_or(s.env.cwd);
    TG_ASSIGN(auto out, url->empty() ? app::InitGraph(root, opts)
                                     : app::InitGraphWithDatabase(root, opts, *url));
    if (s.Json()) {
      PrintJson(s, api::InitJson(out));
      return 0;
    }
    if (out.created) {
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
