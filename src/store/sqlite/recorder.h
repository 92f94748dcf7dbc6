// History for the rows a write transaction inserts, recorded straight into changeset form.
//
// The session extension records an insert cheaply but pays for it when the changeset is made:
// it reads every inserted row back by its key, and a commit's change count decodes the whole
// changeset again. On an import of 100,000 todos (375,000 rows) that was a third of the run.
// A plain INSERT of a new row needs none of it: the transaction already has the row's values,
// in the table's column order, and writes them here while the session is paused for that one
// statement. Commit joins the two (SqliteTxn::Commit): side by side when they name different
// tables, merged by the session extension's change group when they share one (a row inserted
// here and then updated or deleted through the session nets to one change). Internal to
// src/store/.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/history.h"
#include "store/sqlite/db.h"

namespace tg::store::sqlite {

class InsertRecorder {
 public:
  explicit InsertRecorder(Db& db) : db_(db) {}

  // One table's recorded inserts. Complete here, not only declared: clang instantiates the
  // destructor of tables_ in the inline constructor.
  struct Table {
    std::string name;
    std::string header;   // 'T', the column count, key positions, the name
    std::string records;  // one insert after another
    std::string columns;  // the list tg inserts, as given to Prepare
    std::string sql;
    bool recorded = false;  // the list is the table's columns in their order
  };
  struct Insert {
    const std::string* sql = nullptr;
    bool recorded = false;
    Table* table = nullptr;
  };
  // The statement that inserts a row of `table` with values for `columns` (names, ", "
  // between them), and whether it is recorded here: only when `columns` are exactly the
  // table's columns in its order; otherwise its inserts go through the session as any other
  // write.
  Result<Insert> Prepare(std::string_view table, std::string_view columns);

  // Records the insert of `row` (every column, in order) that `insert` made.
  void Add(const Insert& insert, const std::vector<Value>& row);

  bool empty() const { return count_ == 0; }
  int count() const { return count_; }
  bool Names(std::string_view table) const;
  // The changeset of every row recorded, a table at a time in the order first used, appended
  // to `out` (one copy of what may be tens of megabytes).
  void AppendTo(std::string& out) const;
  std::string Changeset() const {
    std::string out;
    AppendTo(out);
    return out;
  }

  // A savepoint's view: Restore drops what was recorded after Mark.
  struct Mark {
    std::vector<size_t> sizes;
    int count = 0;
  };
  Mark Save() const;
  void Restore(const Mark& m);

 private:
  Table& Find(std::string_view name, std::string_view columns);

  Db& db_;
  std::vector<std::unique_ptr<Table>> tables_;  // a handful: looked up by a linear scan
  int count_ = 0;
};

}  // namespace tg::store::sqlite
