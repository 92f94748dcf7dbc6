#include "app/init.h"

#include "store/write_lock.h"

namespace tg::app {

int64_t LastLockWaitMicros() { return store::WriteLock::LastWaitMicros(); }

Result<InitOutcome> InitGraph(const std::string& root, const OpenOptions& opts) {
  return store::Init(root, opts);
}

Result<std::unique_ptr<store::Store>> OpenGraph(const std::string& cwd,
                                                const std::optional<std::string>& explicit_dir,
                                                const OpenOptions& opts) {
  TG_ASSIGN(std::string root, store::Discover(cwd, explicit_dir));
  return store::Store::Open(root, opts);
}

}  // namespace tg::app
