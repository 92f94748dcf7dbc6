// Session changesets written from store-neutral records: a commit copied from another store
// (`tg migrate --to sqlite`) gets the changeset the SQLite store would have recorded for it, so
// the log, doctor's replay and everything that reads history cannot tell a copied commit from
// a recorded one. The format is the session extension's documented changeset format (a table
// header, then per row an operation and its old and new values). Internal to src/store/.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/history.h"
#include "store/sqlite/db.h"

namespace tg::store::sqlite {

// One value in the changeset format (nullptr: "undefined", an update's unchanged column), and
// the header that starts a table's records: its column count, each column's position in the
// primary key (0 for none) and its name.
void PutValue(std::string& out, const Value* v);
void PutTableHeader(std::string& out, std::string_view table, const std::vector<int>& key);

class ChangesetWriter {
 public:
  explicit ChangesetWriter(Db& db) : db_(db) {}

  // The changeset of `changes`, in their order. A record that names no column past some
  // point (its commit predates a migration that added columns at the end) is written with
  // that many columns, as the session extension wrote it then. A record naming a column or
  // table the store does not have is STORE_CORRUPT.
  Result<std::string> Encode(const std::vector<Change>& changes);

 private:
  struct Column {
    std::string name;
    int key = 0;  // position in the primary key (1, 2, ...), 0 when not part of it
  };
  Result<const std::vector<Column>*> Columns(const std::string& table);

  Db& db_;
  std::map<std::string, std::vector<Column>, std::less<>> columns_;
};

}  // namespace tg::store::sqlite
