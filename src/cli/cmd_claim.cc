// The agent loop's writes: tg start, done, note, release, reopen, cancel. Each takes several
// ids (space- or comma-separated) and prints one result per id.
#include <fmt/format.h>

#include <algorithm>

#include "app/claims.h"
#include "app/worktree.h"
#include "cli/commands.h"
#include "cli/render.h"
#include "core/ids.h"

namespace tg::cli {

namespace {

Result<std::vector<std::string>> Ids(const std::vector<std::string>& raw) {
  auto ids = SplitIds(raw);
  if (ids.empty()) return Fail(Code::kUsage, "give at least one task id");
  return ids;
}

void AddStart(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    bool force = false, worktree = false;
    std::string lease;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("start", "Claim tasks: todo -> doing, atomically");
  sub->add_flag("--worktree", o->worktree,
                "Also make a git worktree per task (.taskgraph/worktrees/, branch tg-...)");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_flag("--force", o->force, "Take over a task another agent is working on");
  sub->add_option("--lease", o->lease, "Claim length, e.g. 90s, 30m, 2h (default lease_minutes)");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto ids, Ids(o->ids));
    app::StartOptions opts;
    opts.force = o->force;
    TG_ASSIGN(opts.lease, LeaseFlag(o->lease));
    TG_ASSIGN(auto* ctx, s.Ctx());
    s.WarnIfDefaultAgent();
    if (o->worktree) {
      TG_ASSIGN(auto out, app::StartInWorktrees(*ctx, ids, opts, s.env.cwd));
      return PrintBatch(s, out, "started", false);
    }
    TG_ASSIGN(auto out, app::Start(*ctx, ids, opts));
    return PrintBatch(s, out, "started", false);
  });
}

void AddDone(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    std::string evidence, checks, tokens_in, tokens_out, tool_calls;
    bool force = false, merge = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("done", "Finish tasks: doing -> done, with evidence");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_option("--evidence", o->evidence, "What shows the work is done (required)");
  sub->add_option("--checks", o->checks, "Check results as JSON");
  sub->add_flag("--force", o->force, "Finish a task that is not doing, or still blocked");
  sub->add_option("--tokens-in", o->tokens_in, "Tokens read (self-reported)");
  sub->add_option("--tokens-out", o->tokens_out, "Tokens written (self-reported)");
  sub->add_option("--tool-calls", o->tool_calls, "Tool calls made (self-reported)");
  sub->add_flag("--merge", o->merge,
                "Merge the task's worktree branch into its base, then remove both");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto ids, Ids(o->ids));
    app::DoneOptions opts;
    opts.evidence = o->evidence;
    opts.force = o->force;
    if (!o->checks.empty()) opts.checks = o->checks;
    auto count = [](const std::string& flag, const std::string& v,
                    std::optional<int64_t>& out) -> Status {
      if (v.empty()) return Ok();
      TG_ASSIGN(out, ParseIntFlag(flag, v, kCountRange));
      return Ok();
    };
    TG_TRY(count("--tokens-in", o->tokens_in, opts.tokens_in));
    TG_TRY(count("--tokens-out", o->tokens_out, opts.tokens_out));
    TG_TRY(count("--tool-calls", o->tool_calls, opts.tool_calls));
    TG_TRY(app::ValidateDone(opts));  // before the store is even opened
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::DoneWithWorktrees(*ctx, ids, opts, o->merge));
    for (const auto& r : out.value) {
      if (o->merge && r.task && !r.error && !r.worktree) {
        s.io.err << "tg done: " << r.task->hash_id
                 << " has no worktree (it was not started with --worktree); nothing to merge\n";
      }
    }
    return PrintBatch(s, out, "done", true);
  });
}

void AddNote(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    std::string msg;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("note", "Add a note to tasks' logs");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_option("--msg,-m", o->msg,
                  "The note; JSON {\"type\":\"heartbeat\",...} extends the "
                  "claimant's lease")
      ->required();
  sub->add_flag("--force", o->force, "Note on a task another agent is working on");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto ids, Ids(o->ids));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Note(*ctx, ids, app::NoteOptions{o->msg, o->force}));
    return PrintBatch(s, out, "noted", false);
  });
}

void AddRelease(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("release", "Give claimed tasks back: doing -> todo");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_flag("--force", o->force, "Release a task another agent is working on");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto ids, Ids(o->ids));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Release(*ctx, ids, o->force));
    return PrintBatch(s, out, "released", false);
  });
}

void AddReopen(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    std::string reason;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("reopen", "Reopen done or canceled tasks");
  sub->add_option("ids", o->ids, "Task ids")->required();
  sub->add_option("--reason", o->reason, "Why (required)");
  r.On(sub, [o](Session& s) -> Result<int> {
    TG_ASSIGN(auto ids, Ids(o->ids));
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Reopen(*ctx, ids, o->reason));
    return PrintBatch(s, out, "reopened", false);
  });
}

void AddCancel(CLI::App& app, Registry& r) {
  struct Opts {
    std::vector<std::string> ids;
    std::string type = "auto", reason;
    bool include_done = false;
  };
  auto o = std::make_shared<Opts>();
  auto* sub = app.add_subcommand("cancel", "Cancel tasks or abandon plans");
  sub->add_option("ids", o->ids, "Task or plan ids (plans also by title)")->required();
  sub->add_option("--type", o->type, "auto (default), plan or task");
  sub->add_option("--reason", o->reason, "Why");
  sub->add_flag("--include-done", o->include_done, "Abandon a plan even if it is done");
  r.On(sub, [o](Session& s) -> Result<int> {
    app::CancelOptions opts;
    if (o->type == "plan" || o->type == "project") {
      opts.type = app::CancelType::kPlan;
    } else if (o->type == "task") {
      opts.type = app::CancelType::kTask;
    } else if (o->type != "auto") {
      return Fail(Code::kValidationFailed,
                  fmt::format("--type must be auto, plan or task, not '{}'", o->type));
    }
    if (!o->reason.empty()) opts.reason = o->reason;
    opts.include_done = o->include_done;
    // Plans may be named by title, which can contain spaces and commas: an argument is a
    // comma-separated list only when every piece of it is written like an id.
    std::vector<std::string> ids;
    for (const auto& a : o->ids) {
      std::vector<std::string> pieces;
      size_t start = 0;
      for (size_t comma; (comma = a.find(',', start)) != std::string::npos; start = comma + 1) {
        if (comma > start) pieces.push_back(a.substr(start, comma - start));
      }
      if (start < a.size()) pieces.push_back(a.substr(start));
      bool list = pieces.size() > 1 &&
                  std::all_of(pieces.begin(), pieces.end(), [](auto& p) { return LooksLikeId(p); });
      if (list) {
        ids.insert(ids.end(), pieces.begin(), pieces.end());
      } else if (!a.empty()) {
        ids.push_back(a);
      }
    }
    if (ids.empty()) return Fail(Code::kUsage, "give at least one task or plan id");
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto out, app::Cancel(*ctx, ids, opts));
    return PrintBatch(s, out, "canceled", false);
  });
}

}  // namespace

void AddClaimCommands(CLI::App& app, Registry& r, std::string_view want) {
  if (Wants(want, "start")) AddStart(app, r);
  if (Wants(want, "done")) AddDone(app, r);
  if (Wants(want, "note")) AddNote(app, r);
  if (Wants(want, "release")) AddRelease(app, r);
  if (Wants(want, "reopen")) AddReopen(app, r);
  if (Wants(want, "cancel")) AddCancel(app, r);
}

}  // namespace tg::cli
