// What every use case needs: the open store, the id source, and who is acting. Time is not
// here: each transaction has its own (store::Reader::Now()), from the store's clock.
#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "store/store.h"

namespace tg::app {

struct Context {
  store::Store& store;
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

// Runs `body(writer, value, message)` in one write transaction and commits with the message it
// sets. A body that fails writes nothing.
template <class T, class F>
Result<Written<T>> WriteTxn(Context& ctx, F&& body) {
  TG_ASSIGN(auto w, ctx.store.Write(ctx.holder));
  Written<T> out;
  std::string message;
  TG_TRY(body(*w, out.value, message));
  TG_ASSIGN(out.commit, w->Commit(ctx.agent, message, ctx.ids, ctx.commit));
  return out;
}

}  // namespace tg::app
