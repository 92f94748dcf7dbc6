#include "app/init.h"

#include "app/init_database.h"

namespace tg::app {

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts) {
  return store::Init(root, opts);
}

Result<store::InitOutcome> InitGraphWithDatabase(const std::string& root,
                                                 const store::OpenOptions& opts,
                                                 const std::string& url) {
  return store::InitWithDatabaseUrl(root, opts, url);
}

Result<store::MigrateOutcome> MigrateGraph(const std::string& cwd,
                                           const std::optional<std::string>& explicit_dir,
                                           const store::OpenOptions& opts, const std::string& url) {
  TG_ASSIGN(std::string root, store::Discover(cwd, explicit_dir));
  return store::MigrateToDatabase(root, opts, url);
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
