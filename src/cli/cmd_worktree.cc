// tg worktree list: the repository's git worktrees and the tasks they belong to.
#include "api/worktree.h"
#include "app/worktree.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "cli/table.h"

namespace tg::cli {

void AddWorktreeCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "worktree")) return;
  auto* wt = app.add_subcommand("worktree", "The git worktrees of tasks");
  wt->require_subcommand(1);
  auto* list = wt->add_subcommand("list", "Every worktree of the repository, with its task");
  r.On(list, [](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto rows, app::ListWorktrees(*ctx, s.env.cwd));
    if (s.Json()) {
      PrintJson(s, api::WorktreeListJson(rows));
      return 0;
    }
    Table t({"TASK", "BRANCH", "HEAD", "PATH"}, 3);
    for (const auto& row : rows) {
      t.Add({row.task ? row.task->hash_id : "-", row.branch.value_or("(detached)"),
             row.head.substr(0, 12), row.path});
    }
    t.Print(s.io.out, s.io.out_is_tty ? s.io.width : 0);
    return 0;
  });
}

}  // namespace tg::cli
