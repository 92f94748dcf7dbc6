// Finding the graph (.taskgraph/), reading its settings, creating it, and choosing the store
// that opens it. Files only: what is inside tg.db is the SQLite store's business.
#include "store/store.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "store/sqlite/txn.h"

namespace tg::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kGitignore =
    "# tg's database and its companions are local state; config.json may be committed.\n"
    "tg.db\ntg.db-wal\ntg.db-shm\ntg.db-journal\ntg.lock\n";

constexpr const char* kDefaultConfig =
    "{\n  \"lease_minutes\": 120,\n  \"stale_hours\": 2,\n  \"context_token_budget\": null\n}\n";

bool IsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

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

Status WriteFileIfAbsent(const std::string& path, const char* content) {
  if (IsFile(path)) return Ok();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    return Fail(Code::kIoError, fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  return Ok();
}

std::optional<std::string> FindUp(std::string dir) {
  for (;;) {
    if (IsDir(dir + "/.taskgraph")) return dir;
    auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || dir == "/") return std::nullopt;
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

}  // namespace

Result<std::string> Discover(const std::string& cwd,
                             const std::optional<std::string>& explicit_dir) {
  if (explicit_dir) {
    std::string root = Absolute(*explicit_dir);
    if (!IsDir(root + "/.taskgraph")) {
      return Fail(Code::kNotInitialized,
                  fmt::format("no task graph in {} (no .taskgraph/ folder); run `tg init` there "
                              "first",
                              root));
    }
    return root;
  }
  auto found = FindUp(Absolute(cwd));
  if (!found) {
    return Fail(Code::kNotInitialized,
                fmt::format("no task graph here: no .taskgraph/ in {} or any folder above; run "
                            "`tg init` first",
                            Absolute(cwd)));
  }
  return *found;
}

Result<Config> ReadConfig(const std::string& taskgraph_dir) {
  Config cfg;
  std::string path = taskgraph_dir + "/config.json";
  std::ifstream in(path);
  if (!in) return cfg;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} is not a valid JSON object; fix it or delete it to get the "
                            "defaults",
                            path));
  }
  if (auto it = j.find("lease_minutes"); it != j.end() && it->is_number_integer() && *it > 0)
    cfg.lease_minutes = it->get<int>();
  if (auto it = j.find("stale_hours"); it != j.end() && it->is_number_integer() && *it > 0)
    cfg.stale_hours = it->get<int>();
  if (auto it = j.find("context_token_budget"); it != j.end() && it->is_number_integer())
    cfg.context_token_budget = it->get<int>();
  return cfg;
}

Result<InitOutcome> Init(const std::string& root_in, const OpenOptions& opts) {
  InitOutcome out;
  out.root = Absolute(root_in);
  std::string dir = out.root + "/.taskgraph";
  if (!IsDir(out.root)) {
    return Fail(Code::kFileNotFound, fmt::format("{} is not a folder", out.root));
  }
  out.created = !IsFile(dir + "/tg.db");
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
  TG_TRY(WriteFileIfAbsent(dir + "/config.json", kDefaultConfig));
  TG_TRY(sqlite::InitDatabase(dir, opts));
  return out;
}

Result<std::unique_ptr<Store>> Open(const std::string& root, const OpenOptions& opts,
                                    const Clock& clock) {
  TG_ASSIGN(auto store, sqlite::SqliteStore::Open(root, opts, clock));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tg::store
