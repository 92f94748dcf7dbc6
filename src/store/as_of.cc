// --as-of: the graph as it was after a commit, rebuilt from the store-neutral history records
// into an in-memory SQLite store, so every reader works on it unchanged, for either store.
#include "store/sqlite/txn.h"
#include "store/store.h"

namespace tg::store {

Result<std::unique_ptr<Store>> MaterializeAt(Store& live, int64_t seq, Millis now) {
  TG_ASSIGN(auto reader, live.Read());
  auto feed = [&](const std::function<Status(const Change&)>& apply) -> Status {
    return reader->ForEachCommitBetween(
        0, seq, [&](const tg::Commit&, const std::vector<Change>& changes) -> Status {
          for (const auto& c : changes) TG_TRY(apply(c));
          return Ok();
        });
  };
  TG_ASSIGN(auto mem, sqlite::SqliteStore::OpenMemory(live.config(), live.StateDir(), now, feed));
  return std::unique_ptr<Store>(std::move(mem));
}

}  // namespace tg::store
