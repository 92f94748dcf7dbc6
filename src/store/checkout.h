// Git's own files, read without running git: which checkout a folder belongs to and, for a
// linked worktree (`git worktree add`), where the repository's main worktree is. Discovery
// reads these on every command, `tg next` included, so finding them costs a few stat calls
// and two small reads, never a process.
#pragma once

#include <optional>
#include <string>

namespace tg::store {

struct GitCheckout {
  std::string top;         // the folder holding `.git` (a folder, or a file in a linked tree)
  std::string common_dir;  // the repository's shared git folder (the main tree's .git)
  bool linked = false;     // a linked worktree rather than the main one
  // The main worktree's top: the folder holding common_dir when that is a `.git` folder; none
  // for a bare repository (whose worktrees are all linked).
  std::optional<std::string> main_worktree;
};

// The checkout `.git` in `top` makes (`top` must hold it); nullopt when it is neither a git
// folder nor a `gitdir:` file whose target exists.
std::optional<GitCheckout> ReadCheckout(const std::string& top);

// The checkout `dir` (absolute) is in: the first folder from `dir` upwards holding a `.git`.
std::optional<GitCheckout> FindCheckout(const std::string& dir);

// Whether `.taskgraph/` folder `dir` holds a graph: a tg.db, or a config.json naming a
// database_url (a graph on a server).
bool HoldsGraph(const std::string& taskgraph_dir);

// Whether `.taskgraph/` folders `a` and `b` name the same graph on a server (the same
// database_url and graph_id, no tg.db): a linked worktree's tracked copy of the main
// worktree's config.json, which stands for the main worktree's graph rather than one of its
// own.
bool SameServerGraph(const std::string& a, const std::string& b);

// The graph a linked worktree shares: when `dir` (absolute) is inside a linked worktree whose
// main worktree is known, that main worktree's folder (which holds, or should hold, the
// .taskgraph/ every worktree uses). nullopt outside linked worktrees.
std::optional<std::string> MainWorktreeOf(const std::string& dir);

}  // namespace tg::store
