#include "app/init.h"

#include <fmt/format.h>

#include <filesystem>

#include "app/init_database.h"
#include "store/checkout.h"

namespace tg::app {

namespace {

// In a linked git worktree (and unless `here`), the outcome naming the main worktree's graph,
// or NOT_INITIALIZED when it has none; nullopt elsewhere (a graph is made in `root`).
Result<std::optional<InitOutcome>> SharedWorktreeGraph(const std::string& root, bool here) {
  std::error_code ec;
  std::string abs = std::filesystem::weakly_canonical(std::filesystem::absolute(root, ec), ec);
  if (here || ec) return std::optional<InitOutcome>();
  auto main = store::MainWorktreeOf(abs);
  if (!main) return std::optional<InitOutcome>();
  // A graph of its own, unless it is the tracked copy of the main worktree's server graph.
  if (store::HoldsGraph(abs + "/.taskgraph") &&
      !store::SameServerGraph(abs + "/.taskgraph", *main + "/.taskgraph")) {
    return std::optional<InitOutcome>();
  }
  if (!store::HoldsGraph(*main + "/.taskgraph")) {
    return Fail(Code::kNotInitialized,
                fmt::format("{} is in a linked git worktree of {}, which has no task graph "
                            "yet; run `tg init` in {} so that every worktree shares it, or "
                            "`tg init --here` for a graph of this worktree alone",
                            abs, *main, *main));
  }
  InitOutcome out;
  out.root = *main;
  out.linked_worktree = abs;
  return std::optional<InitOutcome>(std::move(out));
}

}  // namespace

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts, bool here) {
  TG_ASSIGN(auto shared, SharedWorktreeGraph(root, here));
  if (shared) return std::move(*shared);
  return store::Init(root, opts);
}

Result<store::InitOutcome> InitGraphWithDatabase(const std::string& root,
                                                 const store::OpenOptions& opts,
                                                 const std::string& url, bool here) {
  TG_ASSIGN(auto shared, SharedWorktreeGraph(root, here));
  if (shared) return std::move(*shared);
  return store::InitWithDatabaseUrl(root, opts, url);
}

Result<store::MigrateOutcome> MigrateGraph(const std::string& cwd,
                                           const std::optional<std::string>& explicit_dir,
                                           const store::OpenOptions& opts, const std::string& to) {
  TG_ASSIGN(std::string root, store::Discover(cwd, explicit_dir));
  if (to == "sqlite") return store::MigrateToSqlite(root, opts);
  return store::MigrateToDatabase(root, opts, to);
}

Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts, const Clock& clock) {
  TG_ASSIGN(std::string root, store::Discover(cwd, explicit_dir));
  return store::Open(root, opts, clock);
}

namespace {

std::string Join(const std::string& cwd, const std::string& path) {
  return path.starts_with('/') ? path : cwd + "/" + path;
}

}  // namespace

Result<std::string> OutputPath(const Context& ctx, std::string_view what, const std::string& cwd,
                               const std::string& path) {
  return store::GuardOutputPath(what, Join(cwd, path), ctx.store.StateDir());
}

Result<std::string> OutputPath(const std::string& cwd, const std::optional<std::string>& dir,
                               std::string_view what, const std::string& path) {
  std::optional<std::string> state;
  if (auto root = store::Discover(cwd, dir)) state = *root + "/.taskgraph";
  return store::GuardOutputPath(what, Join(cwd, path), state);
}

}  // namespace tg::app
