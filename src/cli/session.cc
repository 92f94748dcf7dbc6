#include "cli/session.h"

#include <fmt/format.h>
#include <unistd.h>

#include "app/init.h"
#include "core/duration.h"

namespace tg::cli {

std::string Session::TraceLine() const {
  return fmt::format("lock_wait_us={}", store_ ? store_->LastWriteWaitMicros() : 0);
}

std::optional<std::string> Session::ExplicitDir() const {
  if (!g.dir.empty()) return g.dir;
  return env.Get("TG_DIR");
}

std::optional<std::string> Session::ExplicitAgent() const {
  if (!g.agent.empty()) return g.agent;
  return env.Get("TG_AGENT");
}

Result<store::OpenOptions> Session::OpenOpts() const {
  store::OpenOptions o;
  if (auto t = env.Get("TG_LOCK_TIMEOUT")) {
    auto ms = ParseDuration(*t, /*default_unit=*/1);
    if (!ms || *ms > 86'400'000) {
      return Fail(Code::kValidationFailed,
                  fmt::format("TG_LOCK_TIMEOUT='{}' is not a duration; use e.g. 30s, 500ms or a "
                              "number of milliseconds",
                              *t));
    }
    o.lock_timeout_ms = static_cast<int>(*ms);
  }
  return o;
}

Result<app::Context*> Session::Ctx() {
  if (ctx_) return ctx_.get();
  TG_ASSIGN(auto opts, OpenOpts());
  TG_ASSIGN(store_, app::OpenGraph(env.cwd, ExplicitDir(), opts, clock_));
  ctx_ = std::make_unique<app::Context>(app::Context{*store_, ids_});
  std::optional<std::string> agent = ExplicitAgent();
  ctx_->agent = agent.value_or("default");
  ctx_->agent_explicit = agent.has_value();
  ctx_->commit.no_commit = g.no_commit;
  if (!g.commit_msg.empty()) ctx_->commit.message = g.commit_msg;
  ctx_->holder = fmt::format("{} running `tg {}` (pid {})", ctx_->agent, command, getpid());
  return ctx_.get();
}

}  // namespace tg::cli
