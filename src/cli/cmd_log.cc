// tg log: history, newest first, the pending --no-commit record in front.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "app/views.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

namespace {

// " - Write the parser" for a commit about one task; " - Write the parser, Add tests +3 more"
// for a batch; nothing for one that touched no task.
std::string TaskTitles(const Commit& c) {
  std::vector<std::string> titles;
  for (const auto& t : c.tasks) {
    // A message that already names the task by title ("task: create tg-1a2b3c Parse") says it.
    if (c.message.find(t.title) == std::string::npos) titles.push_back(Truncate(t.title, 40));
  }
  if (titles.empty()) return "";
  std::string s = " - ";
  for (size_t i = 0; i < titles.size(); ++i) s += (i ? ", " : "") + titles[i];
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
    // The author column is as wide as the longest author shown (14 at least, so short names
    // line up as before), up to kAuthorWidth; a longer one is cut rather than shifting the rest.
    constexpr size_t kAuthorWidth = 32;
    std::vector<std::string> who(commits.size());
    size_t width = 14;
    for (size_t i = 0; i < commits.size(); ++i) {
      who[i] = commits[i].author;
      for (const auto& a : commits[i].co_authors) who[i] += ", " + a;
      who[i] = Truncate(who[i], kAuthorWidth);
      width = std::max(width, DisplayWidth(who[i]));
    }
    for (size_t i = 0; i < commits.size(); ++i) {
      const auto& c = commits[i];
      std::string pad(width - DisplayWidth(who[i]), ' ');
      s.io.out << fmt::format("{:<12}  {}  {}{}  {}  ({} change{}){}\n", c.commit_id,
                              FormatIso(c.time).substr(0, 19), who[i], pad, c.message, c.changes,
                              c.changes == 1 ? "" : "s", TaskTitles(c));
    }
    return 0;
  });
}

}  // namespace tg::cli
