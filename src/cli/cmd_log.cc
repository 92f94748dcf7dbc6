// tg log: history, newest first, the pending --no-commit record in front.
#include <fmt/format.h>

#include "app/views.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

// " - Write the parser" for a commit about one task; " - Write the parser, Add tests +3 more"
// for a batch; nothing for one that touched no task.
std::string TaskTitles(const Commit& c) {
  if (c.tasks.empty()) return "";
  std::string s = " - ";
  for (size_t i = 0; i < c.tasks.size(); ++i) s += (i ? ", " : "") + Truncate(c.tasks[i].title, 40);
  if (c.task_count > static_cast<int>(c.tasks.size())) {
    s += fmt::format(" +{} more", c.task_count - static_cast<int>(c.tasks.size()));
  }
  return s;
}

}  // namespace

void AddLogCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "log")) return;
  struct Opts {
    std::string limit = "20", task;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("log", "Show the history of changes");
  sub->add_option("--limit,-n", o->limit, "At most this many commits (default 20)");
  sub->add_option("--task", o->task, "Only commits that touched this task");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(int64_t limit, ParseIntFlag("--limit", o->limit, kLimitRange));
    TG_ASSIGN(auto* ctx, s.Ctx());
    std::optional<std::string> task;
    if (!o->task.empty()) task = o->task;
    TG_ASSIGN(auto commits, app::Log(*ctx, static_cast<int>(limit), task));
    if (s.Json()) {
      PrintJson(s, api::Array(commits, api::CommitJson));
      return 0;
    }
    if (commits.empty()) {
      s.io.out << "No history yet.\n";
      return 0;
    }
    for (const auto& c : commits) {
      std::string who = c.author;
      for (const auto& a : c.co_authors) who += ", " + a;
      s.io.out << fmt::format("{:<12}  {}  {:<14}  {}  ({} change{}){}\n", c.commit_id,
                              FormatIso(c.time).substr(0, 19), who, c.message, c.changes,
                              c.changes == 1 ? "" : "s", TaskTitles(c));
    }
    return 0;
  });
}

}  // namespace tg::cli
