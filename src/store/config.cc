// Finding the graph (.taskgraph/), reading its settings, creating it, and choosing the store
// that opens it: PostgreSQL when a database URL is configured (TG_DATABASE_URL or config.json's
// database_url), else SQLite in .taskgraph/tg.db. Files only: what is inside a database is its
// store's business.
#include "store/store.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/file.h"
#include "core/limits.h"
#include "store/checkout.h"
#include "store/config_files.h"
#include "store/database.h"
#include "store/pg/txn.h"
#include "store/pg/url.h"
#include "store/sqlite/txn.h"

namespace tg::store {

namespace fs = std::filesystem;

bool IsFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Absolute(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) return p;
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal().string() : canon.string();
}

namespace {

constexpr const char* kGitignore =
    "# tg's database and its companions are local state; config.json may be committed.\n"
    "tg.db\ntg.db-wal\ntg.db-shm\ntg.db-journal\ntg.lock\n"
    "# The git worktrees of `tg start --worktree`.\nworktrees/\n";

constexpr const char* kDefaultConfig =
    "{\n  \"lease_minutes\": 120,\n  \"stale_hours\": 2,\n  \"context_token_budget\": null\n}\n";

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Never over an existing file (init never overwrites a config), never half-written.
Status WriteFileIfAbsent(const std::string& path, const char* content) {
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) return Ok();
  return WriteFileAtomically(path, content, /*replace=*/false);
}

std::optional<std::string> FindUp(std::string dir) {
  for (;;) {
    if (IsDir(dir + "/.taskgraph")) return dir;
    auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || dir == "/") return std::nullopt;
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

// A graph folder in a linked worktree that is only the tracked copy of the main worktree's
// config.json (the same database and graph): it stands for the main worktree's graph.
bool IsCopyOfMainGraph(const std::string& root) {
  if (IsFile(root + "/.taskgraph/tg.db")) return false;
  auto main = MainWorktreeOf(root);
  return main && SameServerGraph(root + "/.taskgraph", *main + "/.taskgraph");
}

}  // namespace

Result<std::string> Discover(const std::string& cwd,
                             const std::optional<std::string>& explicit_dir) {
  if (explicit_dir) {
    std::string root = Absolute(*explicit_dir);
    // A linked worktree's tracked .taskgraph/ (config only) stands for the shared graph.
    if (!HoldsGraph(root + "/.taskgraph") || IsCopyOfMainGraph(root)) {
      auto main = MainWorktreeOf(root);
      if (main && HoldsGraph(*main + "/.taskgraph")) return *main;
    }
    if (!IsDir(root + "/.taskgraph")) {
      return Fail(Code::kNotInitialized,
                  fmt::format("no task graph in {} (no .taskgraph/ folder); run `tg init` there "
                              "first",
                              root));
    }
    return root;
  }
  // Upwards to the first .taskgraph/ holding a graph. The first checkout on the way decides
  // for a linked git worktree: its main worktree's graph is the one every worktree shares,
  // whether the linked tree has no .taskgraph/ or only the tracked files of one.
  std::string dir = Absolute(cwd);
  std::optional<std::string> first, main;
  bool checkout_seen = false;
  for (;;) {
    if (IsDir(dir + "/.taskgraph")) {
      if (HoldsGraph(dir + "/.taskgraph") && !IsCopyOfMainGraph(dir)) return dir;
      if (!first) first = dir;
    }
    struct stat st;
    if (!checkout_seen && lstat((dir + "/.git").c_str(), &st) == 0) {
      checkout_seen = true;
      auto c = ReadCheckout(dir);
      if (c && c->linked && c->main_worktree && *c->main_worktree != dir) {
        main = c->main_worktree;
        if (HoldsGraph(*main + "/.taskgraph")) return *main;
      }
    }
    auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || dir == "/") break;
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  if (first) return *first;  // opening it says what is missing
  if (main) {
    return Fail(Code::kNotInitialized,
                fmt::format("no task graph here, nor in {}, the main worktree of this linked git "
                            "worktree; run `tg init` there (every worktree shares it)",
                            *main));
  }
  return Fail(Code::kNotInitialized,
              fmt::format("no task graph here: no .taskgraph/ in {} or any folder above; run "
                          "`tg init` first",
                          Absolute(cwd)));
}

namespace {

// One setting: absent or null keeps the default; anything but a whole number in range is an
// error naming the file and the key (a wrapped 4294967296 once became a lease of 0 minutes).
Status ReadSetting(const nlohmann::json& j, const char* key, const Range& range,
                   const std::string& path, const std::function<void(int)>& set) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return Ok();
  if (it->is_number_integer() && range.Contains(it->get<int64_t>())) {
    set(static_cast<int>(it->get<int64_t>()));
    return Ok();
  }
  return Fail(Code::kValidationFailed,
              fmt::format("{}: {} must be a whole number from {} (or null for the default), not "
                          "{}",
                          path, key, FormatRange(range),
                          it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, const std::string& path) {
  Config cfg;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} is empty; write {{}} into it for the defaults, or delete it and "
                            "run `tg init`",
                            path));
  }
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} is not a valid JSON object; fix it, or delete it and run `tg "
                            "init` to get the defaults",
                            path));
  }
  TG_TRY(ReadSetting(j, "lease_minutes", kLeaseMinutesRange, path,
                     [&](int v) { cfg.lease_minutes = v; }));
  TG_TRY(ReadSetting(j, "stale_hours", kHoursRange, path, [&](int v) { cfg.stale_hours = v; }));
  TG_TRY(ReadSetting(j, "context_token_budget", kTokenBudgetRange, path,
                     [&](int v) { cfg.context_token_budget = v; }));
  for (const char* key : {"database_url", "graph_id"}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string() || it->get<std::string>().empty() ||
        (std::string_view(key) == "database_url" && !pg::IsDatabaseUrl(it->get<std::string>()))) {
      return Fail(Code::kValidationFailed,
                  fmt::format("{}: {} must be {} (or null)", path, key,
                              std::string_view(key) == "database_url"
                                  ? "a postgresql:// URL"
                                  : "the graph's id, as `tg init --database-url` wrote it"));
    }
    (std::string_view(key) == "database_url" ? cfg.database_url : cfg.graph_id) =
        it->get<std::string>();
  }
  return cfg;
}

Result<Config> ReadConfig(const std::string& taskgraph_dir) {
  std::string path = taskgraph_dir + "/config.json";
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) return Config{};
  TG_ASSIGN(std::string text,
            ReadBoundedFile(path, FileRules{"settings file", kMaxConfigBytes,
                                            Code::kValidationFailed, Code::kValidationFailed}));
  return ParseConfig(text, path);
}

Result<std::string> GuardOutputPath(std::string_view what, const std::string& path,
                                    const std::optional<std::string>& state_dir) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) return Fail(Code::kValidationFailed, fmt::format("{} {}: {}", what, path, ec.message()));
  fs::path resolved = fs::weakly_canonical(abs, ec);
  if (ec) resolved = abs.lexically_normal();
  auto refuse = [&](const std::string& file) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} {} would overwrite tg's own state ({}); .taskgraph/ holds the "
                            "database and its settings: write somewhere else",
                            what, path, file));
  };
  // A file inside a task's git worktree (.taskgraph/worktrees/<id>/...) is the user's, not state.
  std::vector<fs::path> parts(resolved.begin(), resolved.end());
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] != ".taskgraph") continue;
    if (i + 3 < parts.size() && parts[i + 1] == "worktrees" && !parts[i + 2].empty() &&
        parts[i + 2].string()[0] != '.') {
      i += 2;
      continue;
    }
    return refuse(resolved.string());
  }
  // The same file under another name: a hard link to tg.db, config.json, ...
  struct stat target;
  if (state_dir && stat(resolved.c_str(), &target) == 0) {
    for (const auto& entry : fs::directory_iterator(*state_dir, ec)) {
      struct stat st;
      if (stat(entry.path().c_str(), &st) == 0 && st.st_dev == target.st_dev &&
          st.st_ino == target.st_ino) {
        return refuse("the same file as " + entry.path().string());
      }
    }
  }
  return resolved.string();
}

Status WritePgConfig(const std::string& dir, const std::string& url, const std::string& graph_id,
                     bool rewrite) {
  std::string path = dir + "/config.json";
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(kDefaultConfig);
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!rewrite) return Ok();
    TG_ASSIGN(std::string text,
              ReadBoundedFile(path, FileRules{"settings file", kMaxConfigBytes,
                                              Code::kValidationFailed, Code::kValidationFailed}));
    j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (!j.is_object()) return Fail(Code::kValidationFailed, path + " is not a JSON object");
    if (j.value("database_url", "") == url && j.value("graph_id", "") == graph_id) return Ok();
  }
  j["database_url"] = url;
  j["graph_id"] = graph_id;
  std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return WriteFileAtomically(path, text, /*replace=*/true);
}

Status WriteSqliteConfig(const std::string& dir) {
  std::string path = dir + "/config.json";
  TG_ASSIGN(std::string text,
            ReadBoundedFile(path, FileRules{"settings file", kMaxConfigBytes,
                                            Code::kValidationFailed, Code::kValidationFailed}));
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object()) return Fail(Code::kValidationFailed, path + " is not a JSON object");
  j.erase("database_url");
  j.erase("graph_id");
  return WriteFileAtomically(path,
                             j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                             /*replace=*/true);
}

namespace {

// .taskgraph/ with its .gitignore, and for a new graph the enclosing one it now hides.
Status MakeStateDir(InitOutcome& out, const std::string& dir) {
  if (out.created && out.root != "/") {
    auto parent = out.root.substr(0, out.root.find_last_of('/'));
    if (auto up = FindUp(parent.empty() ? "/" : parent)) out.enclosing = *up;
  }
  if (!IsDir(dir) && mkdir(dir.c_str(), 0755) != 0) {
    int err = errno;
    return Fail(err == EACCES || err == EROFS ? Code::kReadOnly : Code::kIoError,
                fmt::format("cannot create {}: {}", dir, std::strerror(err)));
  }
  TG_TRY(WriteFileIfAbsent(dir + "/.gitignore", kGitignore));
  return Ok();
}

Result<InitOutcome> InitPg(InitOutcome out, const std::string& url, const OpenOptions& opts,
                           bool rewrite_config) {
  std::string dir = out.root + "/.taskgraph";
  if (IsFile(dir + "/tg.db")) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} already holds a graph in tg.db; move it to PostgreSQL with `tg "
                            "migrate --to {}`",
                            dir, pg::StripPassword(url)));
  }
  TG_ASSIGN(auto spec, pg::ParseUrl(url));
  std::optional<std::string> graph_id;
  if (IsFile(dir + "/config.json")) {
    TG_ASSIGN(Config existing, ReadConfig(dir));
    graph_id = existing.graph_id;
  }
  TG_ASSIGN(auto db, pg::InitPgDatabase(spec, opts, graph_id));
  out.created = db.created;
  out.database = spec.where;
  TG_TRY(MakeStateDir(out, dir));
  TG_TRY(WritePgConfig(dir, spec.url, db.graph_id, rewrite_config));
  return out;
}

Result<InitOutcome> InitImpl(const std::string& root_in, const OpenOptions& opts, bool url_given) {
  InitOutcome out;
  out.root = Absolute(root_in);
  std::string dir = out.root + "/.taskgraph";
  if (!IsDir(out.root)) {
    return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", out.root));
  }
  std::optional<std::string> url = opts.database_url;
  if (!url && IsFile(dir + "/config.json")) {
    TG_ASSIGN(Config existing, ReadConfig(dir));
    url = existing.database_url;
  }
  if (url) return InitPg(std::move(out), *url, opts, url_given);
  out.created = !IsFile(dir + "/tg.db");
  TG_TRY(MakeStateDir(out, dir));
  TG_TRY(WriteFileIfAbsent(dir + "/config.json", kDefaultConfig));
  // A config that was there already is kept, but a broken one is reported now, not by the
  // next command.
  TG_TRY(ReadConfig(dir));
  TG_TRY(sqlite::InitDatabase(dir, opts));
  return out;
}

}  // namespace

Result<InitOutcome> Init(const std::string& root, const OpenOptions& opts) {
  return InitImpl(root, opts, /*url_given=*/false);
}

Result<InitOutcome> InitWithDatabaseUrl(const std::string& root, const OpenOptions& opts,
                                        const std::string& url) {
  OpenOptions o = opts;
  o.database_url = url;
  return InitImpl(root, o, /*url_given=*/true);
}

Result<std::unique_ptr<Store>> Open(const std::string& root, const OpenOptions& opts,
                                    const Clock& clock) {
  std::optional<std::string> url = opts.database_url;
  std::optional<Config> config;
  if (!url) {
    // config.json is small; the SQLite store reads it again, which costs microseconds.
    std::string path = root + "/.taskgraph/config.json";
    struct stat st;
    if (lstat(path.c_str(), &st) == 0) {
      TG_ASSIGN(config, ReadConfig(root + "/.taskgraph"));
      url = config->database_url;
    }
  }
  if (url) {
    if (!config) {
      TG_ASSIGN(config, ReadConfig(root + "/.taskgraph"));
    }
    TG_ASSIGN(auto spec, pg::ParseUrl(*url));
    TG_ASSIGN(auto pg_store, pg::PgStore::Open(root, spec, *config, opts, clock));
    return std::unique_ptr<Store>(std::move(pg_store));
  }
  TG_ASSIGN(auto store, sqlite::SqliteStore::Open(root, opts, clock));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tg::store
