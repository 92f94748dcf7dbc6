// The process side of the CLI: reads the environment, picks the clock, and runs it.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "cli/system_clock.h"

namespace {

tg::cli::Env ReadEnv() {
  tg::cli::Env env;
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  env.cwd = ec ? std::string(".") : cwd.string();
  for (const char* k :
       {"TG_DIR", "TG_AGENT", "TG_LOCK_TIMEOUT", "TG_NOW", "TG_TRACE", "NO_COLOR", "COLUMNS"}) {
    if (const char* v = std::getenv(k)) env.vars[k] = v;
  }
  return env;
}

int TerminalWidth(const tg::cli::Env& env) {
  if (auto c = env.Get("COLUMNS")) {
    int n = std::atoi(c->c_str());
    if (n > 20) return n;
  }
  struct winsize ws {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 100;
}

}  // namespace

namespace tg::cli {

int Main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  Env env = ReadEnv();
  SystemClock system_clock;
  std::optional<tg::FixedClock> fixed;
  std::optional<tg::Error> startup_error;
  if (auto now = env.Get("TG_NOW")) {
    if (auto t = tg::ParseIso(*now)) {
      fixed.emplace(*t);
    } else {
      startup_error =
          tg::Error{tg::Code::kValidationFailed,
                    "TG_NOW='" + *now + "' is not an ISO-8601 time; use e.g. 2026-11-26T12:00:00Z"};
    }
  }
  const tg::Clock& clock = fixed ? static_cast<const tg::Clock&>(*fixed) : system_clock;
  tg::RandomIdSource ids;
  bool tty = isatty(STDOUT_FILENO) == 1;
  Io io{std::cout, std::cerr, tty, tty ? TerminalWidth(env) : 0};
  Session session(io, env, clock, ids);
  session.startup_error = startup_error;
  int rc = Run(argc, argv, session);
  if (env.Get("TG_TRACE")) std::cerr << "tg: trace: " << session.TraceLine() << '\n';
  std::cout.flush();
  return rc;
}

}  // namespace tg::cli
