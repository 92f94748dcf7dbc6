// String building that GCC 12 compiles cleanly at -O3.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace tg {

// The parts, concatenated. `"literal" + std::string(...)` makes GCC 12 at -O3 report a false
// -Wrestrict inside libstdc++ (GCC bug 105329), which -Werror turns into a failed Release
// build; appending to one reserved string compiles to the same code without the warning, so
// the warning stays on for the whole project.
inline std::string Cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (auto p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (auto p : parts) out.append(p);
  return out;
}

// "1 task", "3 tasks": a count with its noun, for human output. `plural` for nouns that do
// not take an s.
inline std::string Counted(long long n, std::string_view one, std::string_view plural = {}) {
  std::string out = std::to_string(n);
  out += ' ';
  if (n == 1) return out.append(one);
  if (!plural.empty()) return out.append(plural);
  return out.append(one).append("s");
}

}  // namespace tg
