#include "cli/cli.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "cli/commands.h"
#include "cli/render.h"
#include "core/suggest.h"
#include "tg_version.h"

namespace tg::cli {

namespace {

// "tg 0.1.0 (commit 1a2b3c4d5e6f)", from the build; outside a git checkout "unknown commit".
std::string VersionLine() {
  std::string commit = TG_COMMIT;
  return fmt::format("tg {} ({})", TG_VERSION,
                     commit.empty() ? "unknown commit" : "commit " + commit);
}

std::string CommandPath(const CLI::App* app) {
  std::string path;
  for (const CLI::App* a = app; a && a->get_parent(); a = a->get_parent()) {
    path = a->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

const CLI::App* Deepest(const CLI::App& app) {
  const CLI::App* cur = &app;
  for (;;) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) return cur;
    cur = subs.front();
  }
}

std::vector<std::string> FlagNames(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::App* a = app; a; a = a->get_parent()) {
    for (const CLI::Option* o : a->get_options()) {
      for (const auto& n : o->get_lnames()) out.push_back("--" + n);
    }
  }
  return out;
}

std::vector<std::string> SubcommandNames(const CLI::App* app) {
  std::vector<std::string> out;
  // get_subcommands(filter) is not const in CLI11; it does not modify the app.
  for (const CLI::App* s :
       const_cast<CLI::App*>(app)->get_subcommands([](CLI::App*) { return true; })) {
    out.push_back(s->get_name());
  }
  return out;
}

// "<what>; did you mean 'x'? (see `tg … --help`)", as the plan parser and the MCP server put
// their suggestions; without one, "<what>; see `tg … --help`".
std::string WithHint(const std::string& what, const std::string& hint, const std::string& where) {
  if (hint.empty()) return fmt::format("{}; see `{} --help`", what, where);
  return fmt::format("{}; did you mean '{}'? (see `{} --help`)", what, hint, where);
}

// Turns CLI11's parse errors into one clear USAGE message with a suggestion.
Error UsageError(const CLI::App& app, const CLI::ParseError& e) {
  const CLI::App* at = Deepest(app);
  std::vector<std::string> extras;
  for (const CLI::App* a = at; a; a = a->get_parent()) {
    for (const auto& x : a->remaining()) extras.push_back(x);
  }
  std::string where = at->get_parent() ? "tg " + CommandPath(at) : "tg";
  for (const auto& x : extras) {
    if (x.starts_with("-")) {
      std::string flag = x.substr(0, x.find('='));
      std::string hint = ClosestWord(flag, FlagNames(at));
      return Error{Code::kUsage,
                   WithHint(fmt::format("unknown flag '{}' for `{}`", flag, where), hint, where)};
    }
    auto subs = SubcommandNames(at);
    if (!subs.empty() || !at->get_parent()) {
      std::string hint = ClosestWord(x, subs);
      return Error{Code::kUsage,
                   WithHint(fmt::format("unknown command '{}'",
                                        at->get_parent() ? CommandPath(at) + " " + x : x),
                            hint, where)};
    }
    return Error{Code::kUsage, fmt::format("unexpected argument '{}' for `{}`; see `{} --help`", x,
                                           where, where)};
  }
  return Error{Code::kUsage, fmt::format("{}; see `{} --help`", e.what(), where)};
}

void AddGlobals(CLI::App& app, Globals& g) {
  app.add_flag("--json", g.json, "Print JSON (the documented shapes in docs/json.md)");
  app.add_flag("--human", g.human, "Print text even where JSON would be automatic");
  app.add_flag("--no-commit", g.no_commit,
               "Apply the change but keep it in the pending record instead of a commit");
  app.add_option("--commit-msg", g.commit_msg, "Use this commit message");
  app.add_option("--dir", g.dir,
                 "The folder holding .taskgraph/ (default: search upwards; "
                 "TG_DIR)");
  app.add_option("--agent", g.agent, "Who is acting (default: TG_AGENT, else 'default')");
}

constexpr std::string_view kCommandNames[] = {
    "init",   "plan",   "task",     "split",  "edge",     "block",  "gate",      "start",
    "done",   "note",   "release",  "reopen", "cancel",   "next",   "show",      "status",
    "log",    "import", "template", "export", "context",  "setup",  "heartbeat", "recover",
    "doctor", "mcp",    "agents",   "hook",   "worktree", "migrate"};

// The top-level command word in argv, skipping global options and their values; "" when there
// is none or it is not a command (then every command is built, for help and suggestions).
std::string_view CommandWord(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--dir" || a == "--commit-msg" || a == "--agent") {
      ++i;
      continue;
    }
    if (a.starts_with("-")) continue;
    for (auto name : kCommandNames) {
      if (a == name) return name;
    }
    return "";
  }
  return "";
}

}  // namespace

namespace {

int RunCommand(int argc, const char* const* argv, Session& s) {
  CLI::App app{"tg: a task graph for a developer and the AI agents working beside them", "tg"};
  app.fallthrough();  // global options may follow the subcommand
  app.require_subcommand(0, 1);
  const std::string version = VersionLine();
  app.set_version_flag("--version", version);
  AddGlobals(app, s.g);
  Registry r;
  std::string_view want = CommandWord(argc, argv);
  // Commands that agents pipe answer in JSON even when their arguments are wrong.
  s.auto_json = want == "next" || want == "status" || want == "context";
  AddInitCommand(app, r, want);
  AddPlanCommands(app, r, want);
  AddTaskCommands(app, r, want);
  AddEdgeCommands(app, r, want);
  AddGateCommands(app, r, want);
  AddClaimCommands(app, r, want);
  AddQueryCommands(app, r, want);
  AddStatusCommand(app, r, want);
  AddLogCommand(app, r, want);
  AddHistoryCommands(app, r, want);
  AddImportCommands(app, r, want);
  AddExportCommands(app, r, want);
  AddContextCommand(app, r, want);
  AddSetupCommand(app, r, want);
  AddLeaseCommands(app, r, want);
  AddDoctorCommand(app, r, want);
  AddMcpCommand(app, r, want);
  AddAgentsCommand(app, r, want);
  AddWorktreeCommands(app, r, want);
  AddViewCommands(app, r, want);
  AddCompletionCommands(app, r, want, version);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, s.io.out, s.io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, s.io.out, s.io.err);
  } catch (const CLI::CallForVersion& e) {
    s.io.out << version << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    const CLI::App* at = Deepest(app);
    s.command = at->get_parent() ? CommandPath(at) : "";
    return PrintError(s, UsageError(app, e));
  }
  const CLI::App* chosen = Deepest(app);
  auto it = r.handlers.find(chosen);
  if (it == r.handlers.end()) {
    s.io.out << app.help();
    return chosen == &app ? 0 : ExitCode(Code::kUsage);
  }
  s.command = CommandPath(chosen);
  if (s.startup_error) return PrintError(s, *s.startup_error);
  if (s.g.json && s.g.human) {
    return PrintError(s, Error{Code::kUsage, "--json and --human contradict each other"});
  }
  Result<int> rc = it->second(s);
  if (!rc) return PrintError(s, rc.error());
  return *rc;
}

}  // namespace

int Run(int argc, const char* const* argv, Session& s) {
  // The last resort: errors are values everywhere, but an exception that still escapes (a
  // library's, or a bug) must end as a clear INTERNAL error, never as an abort that takes
  // every agent's command down with exit 134. An open write transaction rolls back as it
  // unwinds, so nothing half-done is kept.
  try {
    return RunCommand(argc, argv, s);
  } catch (const std::bad_alloc&) {
    return PrintError(
        s, Error{Code::kInternal, "out of memory (a change not yet committed was rolled back)"});
  } catch (const std::exception& e) {
    return PrintError(
        s, Error{Code::kInternal, fmt::format("internal error: {}; please report it with the "
                                              "command that caused it (a change not yet committed "
                                              "was rolled back)",
                                              e.what())});
  } catch (...) {
    return PrintError(s, Error{Code::kInternal,
                               "internal error (an unknown exception); please report it with the "
                               "command that caused it (a change not yet committed was rolled "
                               "back)"});
  }
}

}  // namespace tg::cli
