#include "cli/table.h"

#include <algorithm>

namespace tg::cli {

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Truncate(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  if (width == 0) return "";
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (n == width - 1) break;
      ++n;
    }
    out += s[i];
  }
  return out + "…";
}

void Table::Print(std::ostream& out, int width, const std::string& indent) const {
  std::vector<size_t> w(headers_.size());
  for (size_t i = 0; i < headers_.size(); ++i) w[i] = DisplayWidth(headers_[i]);
  for (const auto& r : rows_) {
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], DisplayWidth(r[i]));
  }
  if (width > 0 && flex_ >= 0 && flex_ < static_cast<int>(w.size())) {
    size_t total = indent.size();
    for (size_t i = 0; i < w.size(); ++i) total += w[i] + (i + 1 < w.size() ? 2 : 0);
    if (total > static_cast<size_t>(width)) {
      size_t excess = total - static_cast<size_t>(width);
      size_t min_flex = std::max<size_t>(DisplayWidth(headers_[flex_]), 12);
      w[flex_] = w[flex_] > excess + min_flex ? w[flex_] - excess : min_flex;
    }
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string s = indent;
    for (size_t i = 0; i < w.size(); ++i) {
      std::string cell = i < r.size() ? Truncate(r[i], w[i]) : "";
      s += cell;
      if (i + 1 < w.size()) s += std::string(w[i] - DisplayWidth(cell) + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    out << s << '\n';
  };
  line(headers_);
  for (const auto& r : rows_) line(r);
}

}  // namespace tg::cli
