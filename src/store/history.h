// History as the store interface exposes it, whatever a store keeps underneath: each commit's
// row changes as records of (table, key, before and after values per column). `tg log`,
// doctor's replay check and diff/revert read only these records, so they are written once for
// every store. The SQLite store decodes them from the session changesets it records; a server
// store records the same shape from row triggers (docs/architecture.md, "History").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tg::store {

// A cell: NULL, an integer, a real or text. History tables hold nothing else.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Cell {
  std::string column;
  Value value;
  bool operator==(const Cell&) const = default;
};

enum class ChangeOp { kInsert, kUpdate, kDelete };
std::string_view ToString(ChangeOp op);

struct Change {
  std::string table;
  ChangeOp op = ChangeOp::kInsert;
  std::vector<Cell> key;     // the primary key's columns, in key order
  std::vector<Cell> before;  // delete: every column; update: the changed columns; insert: none
  std::vector<Cell> after;   // insert: every column; update: the changed columns; delete: none
};

// One row of a table, every column, in the table's column order.
using Row = std::vector<Cell>;

// The tables that are deliberately not history, with why. Everything else in the live schema
// is history: doctor's replay check derives its list from the schema minus these, not from the
// recorder's list, so a table the recorder misses is caught.
struct NonHistoryTable {
  std::string_view name;
  std::string_view why;
};
const std::vector<NonHistoryTable>& NonHistoryTables();
bool IsNonHistoryTable(std::string_view table);

// The references between history tables (the same in every store's schema): a row of `child`
// whose `column` names the `parent` row with that primary key. Revert checks them before it
// writes: a row is never put back without its parent, nor taken away from under its children.
struct Reference {
  std::string_view child, column, parent, parent_key;
};
const std::vector<Reference>& References();

// Columns that only say when a row was last written (`updated_at`): diff shows them, but they
// never conflict, and a revert sets them to its own time.
bool IsBookkeepingColumn(std::string_view table, std::string_view column);

// The strings of a JSON list as the stores keep them in commit rows (co-authors, reverted
// commits, pending authors and messages); anything that is not a list of strings reads as
// the strings it holds, or none.
std::vector<std::string> JsonStringList(const std::string& text);

// "NULL", "42", "'text'": a cell as one readable token (doctor messages, tests).
std::string FormatValue(const Value& v);

}  // namespace tg::store
