// Checks both stores make before applying a history record (revert, undo, --as-of).
// Internal to src/store/.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/history.h"

namespace tg::store {

// Every cell of a record names a column the live table has (`cols`): a record from a newer
// schema, or damaged history, is STORE_CORRUPT instead of SQL naming a missing column.
inline Status CheckKnownColumns(std::string_view table, const std::vector<std::string>& cols,
                                const std::vector<Cell>& cells) {
  for (const auto& c : cells) {
    if (std::find(cols.begin(), cols.end(), c.column) == cols.end()) {
      return Fail(Code::kStoreCorrupt,
                  fmt::format("history names a column {}.{} that the store does not have; run "
                              "`tg doctor`",
                              table, c.column));
    }
  }
  return Ok();
}

}  // namespace tg::store
