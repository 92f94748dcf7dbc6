// What every use case needs: the open store, the clock, the id source, and who is acting.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/ids.h"
#include "store/store.h"
#include "store/txn.h"

namespace tg::app {

struct Context {
  store::Store& store;
  const Clock& clock;
  IdSource& ids;
  std::string agent = "default";  // --agent, else TG_AGENT, else "default"
  bool agent_explicit = false;    // false: no identity given, claims are not checked
  store::CommitOptions commit;    // --no-commit, --commit-msg
  std::string holder;             // this process, for STORE_BUSY messages of others
};

// The result of a mutating use case: its value plus the commit it wrote, if any.
template <class T>
struct Written {
  T value;
  std::optional<store::CommitInfo> commit;
};

}  // namespace tg::app
