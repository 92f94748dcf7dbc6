#include "store/checkout.h"

#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/limits.h"

namespace tg::store {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxGitFileBytes = 4096;

bool CheckoutIsDir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool CheckoutIsFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The first line of a small file git wrote, without its line break.
std::optional<std::string> FirstLine(const std::string& path) {
  auto text = ReadBoundedFile(
      path, FileRules{"git file", kMaxGitFileBytes, Code::kFileNotFound, Code::kFileNotFound});
  if (!text) return std::nullopt;
  std::string line = text->substr(0, text->find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

// `path` as git wrote it: absolute, or relative to `base`.
std::string GitPath(const std::string& base, const std::string& path) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base) / p;
  return p.lexically_normal().string();
}

std::string StripSlash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

}  // namespace

std::optional<GitCheckout> ReadCheckout(const std::string& top) {
  std::string dotgit = top + "/.git";
  GitCheckout c;
  c.top = top;
  if (CheckoutIsDir(dotgit)) {
    c.common_dir = dotgit;
    c.main_worktree = top;
    return c;
  }
  if (!CheckoutIsFile(dotgit)) return std::nullopt;
  auto line = FirstLine(dotgit);
  if (!line || !line->starts_with("gitdir:")) return std::nullopt;
  std::string target = line->substr(7);
  target.erase(0, target.find_first_not_of(' '));
  std::string git_dir = StripSlash(GitPath(top, target));
  if (!CheckoutIsDir(git_dir)) return std::nullopt;
  // Only a linked worktree's git folder has a commondir file (a submodule's has none).
  auto common = FirstLine(git_dir + "/commondir");
  if (!common) {
    c.common_dir = git_dir;
    return c;
  }
  c.linked = true;
  c.common_dir = StripSlash(GitPath(git_dir, *common));
  fs::path cd(c.common_dir);
  if (cd.filename() == ".git") c.main_worktree = cd.parent_path().string();
  return c;
}

std::optional<GitCheckout> FindCheckout(const std::string& dir_in) {
  std::string dir = StripSlash(dir_in);
  for (;;) {
    struct stat st;
    if (lstat((dir + "/.git").c_str(), &st) == 0) return ReadCheckout(dir);
    auto slash = dir.find_last_of('/');
    if (slash == std::string::npos || dir == "/") return std::nullopt;
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

namespace {

// config.json's database_url and graph_id ("" when absent or not strings).
std::pair<std::string, std::string> ServerGraphOf(const std::string& taskgraph_dir) {
  std::string config = taskgraph_dir + "/config.json";
  if (!CheckoutIsFile(config)) return {};
  auto text = ReadBoundedFile(config, FileRules{"settings file", kMaxConfigBytes,
                                                Code::kValidationFailed, Code::kValidationFailed});
  if (!text) return {};
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {};
  auto text_of = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return {text_of("database_url"), text_of("graph_id")};
}

}  // namespace

bool HoldsGraph(const std::string& taskgraph_dir) {
  if (CheckoutIsFile(taskgraph_dir + "/tg.db")) return true;
  return !ServerGraphOf(taskgraph_dir).first.empty();
}

bool SameServerGraph(const std::string& a, const std::string& b) {
  if (CheckoutIsFile(a + "/tg.db") || CheckoutIsFile(b + "/tg.db")) return false;
  auto x = ServerGraphOf(a);
  return !x.first.empty() && !x.second.empty() && x == ServerGraphOf(b);
}

std::optional<std::string> MainWorktreeOf(const std::string& dir) {
  auto c = FindCheckout(dir);
  if (!c || !c->linked || !c->main_worktree || *c->main_worktree == c->top) return std::nullopt;
  return c->main_worktree;
}

}  // namespace tg::store
