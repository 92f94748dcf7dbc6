// Aligned plain-text tables for human output. One column may be flexible: on a terminal it is
// cut to fit the width; in a pipe nothing is cut.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tg::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers, int flex_column = -1)
      : headers_(std::move(headers)), flex_(flex_column) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  // width <= 0: no limit.
  void Print(std::ostream& out, int width, const std::string& indent = "") const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  int flex_;
};

// Display width of UTF-8 text (code points; good enough for titles).
size_t DisplayWidth(const std::string& s);
// Cuts `s` to at most `width` code points, ending in "…" when cut.
std::string Truncate(const std::string& s, size_t width);

}  // namespace tg::cli
