// Self-checks of a store (`tg doctor`): SQLite integrity, schema version, graph invariants, and
// that replaying history reproduces the tables.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace tg::store {

struct Finding {
  std::string check;              // integrity, schema, foreign_keys, cycle, blocked_status, ...
  std::string message;            // what is wrong
  std::vector<std::string> rows;  // the rows involved (short ids where they exist)
};

// Every finding in the store at `now`; empty when clean. Reads one snapshot; writes nothing.
Result<std::vector<Finding>> Diagnose(Store& store);

}  // namespace tg::store
