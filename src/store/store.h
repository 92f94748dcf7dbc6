// The store: finding .taskgraph/, creating it, and opening tg.db with one schema check.
// Everything tg keeps lives in that folder; nothing is read from or written to $HOME.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "store/sqlite.h"

namespace tg::store {

struct OpenOptions {
  int lock_timeout_ms = 30'000;  // TG_LOCK_TIMEOUT
};

// Settings from .taskgraph/config.json, with defaults for what is absent.
struct Config {
  int lease_minutes = 120;
  std::optional<int> context_token_budget;
  int stale_hours = 2;
};

// The folder holding .taskgraph/: `explicit_dir` (--dir / TG_DIR) when given, else the first
// folder from `cwd` upwards that has one. NOT_INITIALIZED when there is none.
Result<std::string> Discover(const std::string& cwd,
                             const std::optional<std::string>& explicit_dir);

struct InitOutcome {
  std::string root;
  bool created = false;                  // false: the graph was already there (init is idempotent)
  std::optional<std::string> enclosing;  // a graph found further up, which this one now shadows
};

// Creates (or completes) .taskgraph/ in `root`: config.json (never overwritten), .gitignore,
// tg.db in WAL mode at the current schema version.
Result<InitOutcome> Init(const std::string& root, const OpenOptions& opts);

class Store {
 public:
  // Opens the graph in `root` (the folder holding .taskgraph/). Applies missing migrations;
  // refuses a newer schema (SCHEMA_TOO_NEW), a damaged file (STORE_CORRUPT).
  static Result<std::unique_ptr<Store>> Open(const std::string& root, const OpenOptions& opts);

  Db& db() { return *db_; }
  const std::string& root() const { return root_; }
  std::string dir() const { return root_ + "/.taskgraph"; }
  std::string lock_path() const { return dir() + "/tg.lock"; }
  int lock_timeout_ms() const { return opts_.lock_timeout_ms; }
  const Config& config() const { return config_; }

 private:
  Store() = default;
  Result<int64_t> OpenReadOnly(const std::string& db_path);
  bool read_only_ = false;
  std::string root_;
  OpenOptions opts_;
  Config config_;
  std::unique_ptr<Db> db_;
};

// Reads .taskgraph/config.json; a missing file gives the defaults, a malformed one an error.
Result<Config> ReadConfig(const std::string& taskgraph_dir);

}  // namespace tg::store
