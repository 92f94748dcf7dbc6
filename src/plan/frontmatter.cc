// Frontmatter extraction with the original's regular expression, spelled out by hand.
#include "plan/frontmatter.h"

#include <algorithm>

namespace tg::plan {
namespace {

bool IsRegexSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::optional<Frontmatter> FindFrontmatter(std::string_view text) {
  if (!text.starts_with("---")) return std::nullopt;
  size_t run_end = 3;
  while (run_end < text.size() && IsRegexSpace(text[run_end])) ++run_end;
  size_t first_nl = text.substr(0, run_end).find('\n', 3);
  if (first_nl == std::string_view::npos) return std::nullopt;
  // The lazy body ends at the first "\n---" after the opening line. The run holds no '-', so
  // that is the same for every line feed of the run; \s*\n is greedy, so the body starts
  // after the last line feed of the run that still lies before the closing one.
  size_t close = text.find("\n---", first_nl + 1);
  if (close == std::string_view::npos) return std::nullopt;
  size_t nl = run_end;
  while (text[--nl] != '\n' || nl + 1 > close) {
  }
  size_t start = nl + 1;
  int first_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + start, '\n'));
  return Frontmatter{text.substr(start, close - start), first_line};
}

}  // namespace tg::plan
