#include "store/sqlite/recorder.h"

#include <fmt/format.h>

#include "store/sqlite/changeset.h"

namespace tg::store::sqlite {

InsertRecorder::Table& InsertRecorder::Find(std::string_view name, std::string_view columns) {
  for (auto& t : tables_) {
    if (t->name == name && t->columns == columns) return *t;
  }
  tables_.push_back(std::make_unique<Table>());
  tables_.back()->name = name;
  tables_.back()->columns = columns;
  return *tables_.back();
}

Result<InsertRecorder::Insert> InsertRecorder::Prepare(std::string_view table,
                                                       std::string_view columns) {
  Table& t = Find(table, columns);
  if (t.sql.empty()) {
    TG_ASSIGN(Stmt st, db_.Prepare("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid"));
    st.Bind(1, table);
    std::string names;
    std::vector<int> key;
    for (;;) {
      TG_ASSIGN(bool row, st.Step());
      if (!row) break;
      if (!names.empty()) names += ", ";
      names += st.Text(0);
      key.push_back(static_cast<int>(st.Int(1)));
    }
    std::string marks = "?";
    for (char c : columns) {
      if (c == ',') marks += ", ?";
    }
    t.recorded = names == columns;
    if (t.recorded) PutTableHeader(t.header, table, key);
    t.sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", table, columns, marks);
  }
  return Insert{&t.sql, t.recorded, &t};
}

void InsertRecorder::Add(const Insert& insert, const std::vector<Value>& row) {
  Table& t = *insert.table;
  t.records += static_cast<char>(SQLITE_INSERT);
  t.records += '\0';  // not an indirect change
  for (const Value& v : row) PutValue(t.records, &v);
  ++count_;
}

bool InsertRecorder::Names(std::string_view table) const {
  for (const auto& t : tables_) {
    if (t->name == table && !t->records.empty()) return true;
  }
  return false;
}

void InsertRecorder::AppendTo(std::string& out) const {
  size_t size = out.size();
  for (const auto& t : tables_)
    size += t->records.empty() ? 0 : t->header.size() + t->records.size();
  out.reserve(size);
  for (const auto& t : tables_) {
    if (t->records.empty()) continue;
    out += t->header;
    out += t->records;
  }
}

InsertRecorder::Mark InsertRecorder::Save() const {
  Mark m;
  m.count = count_;
  for (const auto& t : tables_) m.sizes.push_back(t->records.size());
  return m;
}

void InsertRecorder::Restore(const Mark& m) {
  // Tables first used after the mark lose all their records.
  for (size_t i = 0; i < tables_.size(); ++i) {
    tables_[i]->records.resize(i < m.sizes.size() ? m.sizes[i] : 0);
  }
  count_ = m.count;
}

}  // namespace tg::store::sqlite
