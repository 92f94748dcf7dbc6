// tg mcp: the MCP server on stdin/stdout (src/mcp/). stdout carries protocol messages only;
// everything for people goes to stderr.
#include <signal.h>
#include <unistd.h>

#include "app/init.h"
#include "app/rules.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "mcp/stdio.h"
#include "tg_version.h"

namespace tg::cli {

void AddMcpCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "mcp")) return;
  auto* sub = app.add_subcommand(
      "mcp",
      "Serve the Model Context Protocol on stdio for agent harnesses (--agent names the agent)");
  r.On(sub, [](Session& s) -> Result<int> {
    TG_ASSIGN(store::OpenOptions opts, s.OpenOpts());  // a bad TG_LOCK_TIMEOUT stops here
    opts.long_lived = true;
    mcp::ServerOptions o;
    o.open_store = [&s, opts] {
      return app::OpenGraph(s.env.cwd, s.ExplicitDir(), opts, s.clock());
    };
    o.ids = &s.ids();
    if (auto agent = s.ExplicitAgent()) {
      TG_TRY(app::CheckActor(*agent, std::nullopt));
      o.identity = {*agent, true};
    }
    o.version = TG_VERSION;
    o.log = &s.io.err;
    // A client that goes away mid-answer must not kill the server with SIGPIPE; the failed
    // write ends it instead.
    signal(SIGPIPE, SIG_IGN);
    mcp::Server server(std::move(o));
    server.Warm();
    return mcp::Serve(STDIN_FILENO, s.io.out, s.io.err, server);
  });
}

}  // namespace tg::cli
