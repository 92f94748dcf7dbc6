// The process side of the CLI: reads the environment, picks the clock, and runs it.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/identity.h"
#include "cli/cli.h"
#include "cli/safe_output.h"
#include "cli/setup_harness.h"
#include "cli/system_clock.h"
#include "core/limits.h"

namespace {

tg::cli::Env ReadEnv() {
  tg::cli::Env env;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  env.cwd = ec ? std::string(".") : cwd.string();
  for (const char* k :
       {"TG_DIR", "TG_AGENT", "TG_LOCK_TIMEOUT", "TG_NOW", "TG_TRACE", "NO_COLOR", "COLUMNS",
        "TG_ASCII", "TG_ASCII_DASHBOARD", "TG_DATABASE_URL", "TG_CONNECT_TIMEOUT"}) {
    if (const char* v = std::getenv(k)) env.vars[k] = v;
  }
  // What harnesses tell their shell commands: who the agent is, and which harness it is.
  std::vector<std::string> harness = tg::app::HarnessIdentityVars();
  for (const auto& k : tg::cli::HarnessEnvNames()) harness.push_back(k);
  harness.push_back("CLAUDE_ENV_FILE");
  for (const std::string& k : harness) {
    if (const char* v = std::getenv(k.c_str())) env.vars[k] = v;
  }
  return env;
}

int TerminalWidth(const tg::cli::Env& env) {
  if (auto c = env.Get("COLUMNS")) {
    // Anything that is not a sensible width is ignored, as terminals do.
    if (auto n = tg::ParseInteger(*c); n && tg::kColumnsRange.Contains(*n)) return int(*n);
  }
  struct winsize ws {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 100;
}

std::optional<tg::Error> ReadNow(const tg::cli::Env& env, std::optional<tg::FixedClock>& fixed) {
  auto now = env.Get("TG_NOW");
  if (!now) return std::nullopt;
  auto t = tg::ParseIso(*now);
  if (t && tg::kTimeRange.Contains(*t)) {
    fixed.emplace(*t);
    return std::nullopt;
  }
  return tg::Error{tg::Code::kValidationFailed,
                   "TG_NOW='" + *now +
                       "' is not an ISO-8601 time from 1970 to 9998; use e.g. "
                       "2026-11-26T12:00:00Z"};
}

}  // namespace

namespace tg::cli {

int Main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Everything printed goes through the terminal-safe filter (cli/safe_output.h).
  TerminalSafeBuf out_buf(std::cout.rdbuf()), err_buf(std::cerr.rdbuf());
  std::ostream out(&out_buf), err(&err_buf);
  err.setf(std::ios::unitbuf);  // stderr stays unbuffered, as std::cerr is
  int rc = 1;
  try {
    Env env = ReadEnv();
    SystemClock system_clock;
    std::optional<tg::FixedClock> fixed;
    std::optional<tg::Error> startup_error = ReadNow(env, fixed);
    const tg::Clock& clock = fixed ? static_cast<const tg::Clock&>(*fixed) : system_clock;
    tg::RandomIdSource ids;
    bool tty = isatty(STDOUT_FILENO) == 1;
    Io io{out, err, tty, tty ? TerminalWidth(env) : 0};
    Session session(io, env, clock, ids);
    session.startup_error = startup_error;
    rc = Run(argc, argv, session);
    if (env.Get("TG_TRACE")) err << "tg: trace: " << session.TraceLine() << '\n';
  } catch (const std::exception& e) {
    err << "tg: internal error: " << e.what() << '\n';
  }
  out_buf.Finish();
  err_buf.Finish();
  std::cout.flush();
  return rc;
}

}  // namespace tg::cli
