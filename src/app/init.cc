#include "app/init.h"

namespace tg::app {

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts) {
  return store::Init(root, opts);
}

Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts, const Clock& clock) {
  TG_ASSIGN(std::string root, store::Discover(cwd, explicit_dir));
  return store::Open(root, opts, clock);
}

}  // namespace tg::app
