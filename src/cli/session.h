// One invocation of tg: its streams, environment, global options, and the store it opens at
// most once. Command handlers receive a Session and return an exit code or an error.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "app/context.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/ids.h"
#include "store/store.h"

namespace tg::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool out_is_tty = false;
  int width = 100;  // terminal columns when out_is_tty
};

struct Env {
  std::string cwd;
  std::map<std::string, std::string> vars;  // the TG_* and NO_COLOR variables that matter
  std::optional<std::string> Get(const std::string& k) const {
    auto it = vars.find(k);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  }
};

struct Globals {
  bool json = false;
  bool human = false;
  bool no_commit = false;
  std::string commit_msg;
  std::string dir;
  std::string agent;
};

class Session {
 public:
  Session(Io io, Env env, const Clock& clock, IdSource& ids)
      : io(io), env(std::move(env)), clock_(clock), ids_(ids) {}

  Io io;
  Env env;
  Globals g;
  std::string command;  // "start", "plan new", ... for messages

  // JSON output: --json, or automatic when stdout is not a terminal for commands that
  // agents pipe (next, status), unless --human.
  bool Json(bool auto_json = false) const {
    if (g.json) return true;
    if (g.human) return false;
    return auto_json && !io.out_is_tty;
  }
  bool auto_json = false;  // set by commands that print JSON when piped
  // A problem found before parsing (a bad TG_NOW), reported once the output mode is known.
  std::optional<Error> startup_error;

  // Opens the store (once) and returns the use-case context.
  Result<app::Context*> Ctx();
  // --as-of: the context of the graph as it was at `at` (a commit or an ISO time), which only
  // reads; Ctx() when `at` is empty.
  Result<app::Context*> CtxAt(const std::string& at);
  Result<store::OpenOptions> OpenOpts() const;
  std::optional<std::string> ExplicitDir() const;
  // For front ends that open the store themselves (tg mcp keeps it open across calls).
  const Clock& clock() const { return clock_; }
  IdSource& ids() { return ids_; }
  // --agent, else TG_AGENT, else a harness's identity; nullopt when none names one.
  std::optional<std::string> ExplicitAgent() const;
  // A claim made as "default" is anyone's to finish: start and next --claim say so on stderr.
  void WarnIfDefaultAgent();
  // Timings of this invocation for TG_TRACE ("lock_wait_us=123").
  std::string TraceLine() const;

 private:
  const Clock& clock_;
  IdSource& ids_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Context> ctx_;
  std::unique_ptr<store::Store> as_of_store_;
  std::unique_ptr<app::Context> as_of_ctx_;
};

using Handler = std::function<Result<int>(Session&)>;

}  // namespace tg::cli
