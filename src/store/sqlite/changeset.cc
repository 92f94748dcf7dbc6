#include "store/sqlite/changeset.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <optional>

namespace tg::store::sqlite {

namespace {

// Value type bytes of the changeset format; 0 is "undefined" (an update's unchanged column).
constexpr char kUndefined = 0x00, kInteger = 0x01, kReal = 0x02, kText = 0x03, kNull = 0x05;

// SQLite's variable-length integer: big-endian groups of seven bits, all but the last with the
// high bit set (lengths here stay far below the nine-byte form).
// Both fill a small buffer back to front and append it once: a large import writes millions.
void PutVarint(std::string& out, uint64_t v) {
  char buf[10];
  int n = sizeof buf;
  buf[--n] = static_cast<char>(v & 0x7f);
  for (v >>= 7; v != 0; v >>= 7) buf[--n] = static_cast<char>((v & 0x7f) | 0x80);
  out.append(buf + n, sizeof buf - static_cast<size_t>(n));
}

void PutBigEndian(std::string& out, uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i, v >>= 8) buf[i] = static_cast<char>(v & 0xff);
  out.append(buf, sizeof buf);
}

}  // namespace

void PutValue(std::string& out, const Value* v) {
  if (!v) {
    out += kUndefined;
  } else if (const auto* i = std::get_if<int64_t>(v)) {
    out += kInteger;
    PutBigEndian(out, static_cast<uint64_t>(*i));
  } else if (const auto* d = std::get_if<double>(v)) {
    out += kReal;
    PutBigEndian(out, std::bit_cast<uint64_t>(*d));
  } else if (const auto* s = std::get_if<std::string>(v)) {
    out += kText;
    PutVarint(out, s->size());
    out += *s;
  } else {
    out += kNull;
  }
}

void PutTableHeader(std::string& out, std::string_view table, const std::vector<int>& key) {
  out += 'T';
  PutVarint(out, key.size());
  for (int k : key) out += static_cast<char>(k);
  out += table;
  out += '\0';
}

namespace {

// One record's values by column position (nullopt: the record does not name the column).
struct Placed {
  std::vector<std::optional<Value>> key, before, after;
  size_t width = 0;  // columns up to the last one the record names
};

}  // namespace

Result<const std::vector<ChangesetWriter::Column>*> ChangesetWriter::Columns(
    const std::string& table) {
  if (auto it = columns_.find(table); it != columns_.end()) return &it->second;
  TG_ASSIGN(Stmt st, db_.Prepare("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid"));
  st.Bind(1, table);
  std::vector<Column> cols;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    cols.push_back({st.Text(0), static_cast<int>(st.Int(1))});
  }
  if (cols.empty()) {
    return Fail(
        Code::kStoreCorrupt,
        fmt::format("history names a table '{}' that the SQLite store does not have", table));
  }
  return &columns_.emplace(table, std::move(cols)).first->second;
}

Result<std::string> ChangesetWriter::Encode(const std::vector<Change>& changes) {
  std::string out;
  std::string table;
  size_t width = 0;
  for (const Change& c : changes) {
    TG_ASSIGN(const std::vector<Column>* cols, Columns(c.table));
    Placed p;
    p.key.resize(cols->size());
    p.before.resize(cols->size());
    p.after.resize(cols->size());
    auto place = [&](const std::vector<Cell>& cells,
                     std::vector<std::optional<Value>>& into) -> Status {
      for (const Cell& cell : cells) {
        size_t i = 0;
        while (i < cols->size() && (*cols)[i].name != cell.column) ++i;
        if (i == cols->size()) {
          return Fail(Code::kStoreCorrupt,
                      fmt::format("history names a column {}.{} that the SQLite store does "
                                  "not have",
                                  c.table, cell.column));
        }
        into[i] = cell.value;
        p.width = std::max(p.width, i + 1);
      }
      return Ok();
    };
    TG_TRY(place(c.key, p.key));
    TG_TRY(place(c.before, p.before));
    TG_TRY(place(c.after, p.after));
    for (size_t i = 0; i < cols->size(); ++i) {
      if ((*cols)[i].key > 0 && !p.key[i] &&
          !(c.op == ChangeOp::kInsert ? p.after[i] : p.before[i])) {
        return Fail(Code::kStoreCorrupt, fmt::format("a change to {} lacks its key column {}",
                                                     c.table, (*cols)[i].name));
      }
      if ((*cols)[i].key > 0) p.width = std::max(p.width, i + 1);
    }
    // An update names the columns it changed; the session extension writes every column of
    // the table (the others undefined).
    if (c.op == ChangeOp::kUpdate) p.width = cols->size();
    if (c.table != table || p.width != width) {
      table = c.table;
      width = p.width;
      std::vector<int> key;
      for (size_t i = 0; i < width; ++i) key.push_back((*cols)[i].key);
      PutTableHeader(out, table, key);
    }
    // Operation codes are SQLite's: SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE; then the
    // "indirect" flag, never set by tg.
    out += static_cast<char>(c.op == ChangeOp::kInsert   ? SQLITE_INSERT
                             : c.op == ChangeOp::kDelete ? SQLITE_DELETE
                                                         : SQLITE_UPDATE);
    out += '\0';
    auto whole = [&](const std::vector<std::optional<Value>>& vals) {
      // Every column of an inserted or deleted row; one the record does not name is NULL.
      for (size_t i = 0; i < width; ++i) {
        const auto& v = vals[i] ? vals[i] : p.key[i];
        Value null;
        PutValue(out, v ? &*v : &null);
      }
    };
    if (c.op == ChangeOp::kInsert) {
      whole(p.after);
    } else if (c.op == ChangeOp::kDelete) {
      whole(p.before);
    } else {
      // An update: the old record holds the key and the old values of the changed columns,
      // the new record the new values of the changed columns; the rest is undefined.
      for (size_t i = 0; i < width; ++i) {
        const auto& v = p.before[i] ? p.before[i] : p.key[i];
        PutValue(out, v ? &*v : nullptr);
      }
      for (size_t i = 0; i < width; ++i) PutValue(out, p.after[i] ? &*p.after[i] : nullptr);
    }
  }
  return out;
}

}  // namespace tg::store::sqlite
