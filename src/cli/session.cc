#include "cli/session.h"

#include <fmt/format.h>
#include <unistd.h>

#include "app/identity.h"
#include "app/init.h"
#include "app/rules.h"
#include "app/versioned.h"
#include "core/duration.h"
#include "core/limits.h"

namespace tg::cli {

std::string Session::TraceLine() const {
  return fmt::format("lock_wait_us={}", store_ ? store_->LastWriteWaitMicros() : 0);
}

std::optional<std::string> Session::ExplicitDir() const {
  if (!g.dir.empty()) return g.dir;
  return env.Get("TG_DIR");
}

std::optional<std::string> Session::ExplicitAgent() const {
  return app::ResolveAgent(g.agent, [this](const std::string& k) { return env.Get(k); });
}

void Session::WarnIfDefaultAgent() {
  if (ctx_ && ctx_->agent_explicit) return;
  io.err << "tg: warning: claiming as `default`, which any agent may finish; give each agent a "
            "name with TG_AGENT=<name> or --agent (see `tg setup`)\n";
}

Result<store::OpenOptions> Session::OpenOpts() const {
  store::OpenOptions o;
  if (auto t = env.Get("TG_LOCK_TIMEOUT")) {
    auto ms = ParseDuration(*t, /*default_unit=*/1);
    if (!ms || !kLockTimeoutRange.Contains(*ms)) {
      return Fail(Code::kValidationFailed,
                  fmt::format("TG_LOCK_TIMEOUT='{}' is not a duration from {}; use e.g. 30s, "
                              "500ms or a number of milliseconds",
                              *t, FormatDurationRange(kLockTimeoutRange)));
    }
    o.lock_timeout_ms = static_cast<int>(*ms);
  }
  // A PostgreSQL graph: the database (overriding config.json's) and how long to wait for it.
  if (auto url = env.Get("TG_DATABASE_URL")) o.database_url = *url;
  if (auto t = env.Get("TG_CONNECT_TIMEOUT")) {
    auto ms = ParseDuration(*t, /*default_unit=*/1000);
    if (!ms || !kLockTimeoutRange.Contains(*ms)) {
      return Fail(Code::kValidationFailed,
                  fmt::format("TG_CONNECT_TIMEOUT='{}' is not a duration from {}; use e.g. 10s or "
                              "500ms",
                              *t, FormatDurationRange(kLockTimeoutRange)));
    }
    o.connect_timeout_ms = static_cast<int>(*ms);
  }
  return o;
}

Result<app::Context*> Session::Ctx() {
  if (ctx_) return ctx_.get();
  TG_ASSIGN(auto opts, OpenOpts());
  std::optional<std::string> agent = ExplicitAgent();
  std::optional<std::string> message;
  if (!g.commit_msg.empty()) message = g.commit_msg;
  // Who acts and the commit message are checked before the store is even opened.
  TG_TRY(app::CheckActor(agent.value_or("default"), message));
  TG_ASSIGN(store_, app::OpenGraph(env.cwd, ExplicitDir(), opts, clock_));
  ctx_ = std::make_unique<app::Context>(app::Context{*store_, ids_});
  ctx_->agent = agent.value_or("default");
  ctx_->agent_explicit = agent.has_value();
  ctx_->commit.no_commit = g.no_commit;
  ctx_->commit.message = message;
  ctx_->holder = fmt::format("{} running `tg {}` (pid {})", ctx_->agent, command, getpid());
  return ctx_.get();
}

Result<app::Context*> Session::CtxAt(const std::string& at) {
  if (at.empty()) return Ctx();
  if (as_of_ctx_) return as_of_ctx_.get();
  TG_ASSIGN(app::Context * live, Ctx());
  TG_ASSIGN(as_of_store_, app::AsOf(live->store, at));
  as_of_ctx_ = std::make_unique<app::Context>(app::Context{
      *as_of_store_, ids_, live->agent, live->agent_explicit, live->commit, live->holder});
  return as_of_ctx_.get();
}

}  // namespace tg::cli
