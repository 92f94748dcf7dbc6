// Plain-scalar resolution, hand-written after js-yaml 4's resolvers (no std::regex: it recurses
// per character and overflows the stack on long input).
#include "plan/scalar.h"

#include <cctype>

namespace tg::plan {
namespace {

bool IsDigitIn(char c, int base) {
  if (base == 2) return c == '0' || c == '1';
  if (base == 8) return c >= '0' && c <= '7';
  if (base == 16) return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  return c >= '0' && c <= '9';
}

// Digits of `base` with `_` separators, at least one digit, not ending in `_`.
bool IsDigitRun(std::string_view s, int base) {
  bool has_digits = false;
  for (char c : s) {
    if (c == '_') continue;
    if (!IsDigitIn(c, base)) return false;
    has_digits = true;
  }
  return has_digits && s.back() != '_';
}

bool IsInt(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  if (s[0] == '0') {
    if (s.size() == 1) return true;
    if (s[1] == 'b') return IsDigitRun(s.substr(2), 2);
    if (s[1] == 'o') return IsDigitRun(s.substr(2), 8);
    if (s[1] == 'x') return IsDigitRun(s.substr(2), 16);
    s.remove_prefix(1);  // js-yaml reads 012 as decimal 12
  }
  return s[0] != '_' && IsDigitRun(s, 10);
}

// A cursor over the text for the float grammar below.
struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool Eat(char c) { return i < s.size() && s[i] == c && (++i, true); }
  bool EatOneOf(std::string_view set) {
    return i < s.size() && set.find(s[i]) != std::string_view::npos && (++i, true);
  }
  size_t EatWhile(std::string_view set) {
    size_t start = i;
    while (EatOneOf(set)) {
    }
    return i - start;
  }
  bool AtEnd() const { return i == s.size(); }
};

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kDigitsUnderscore = "0123456789_";

// Optional exponent [eE][-+]?[0-9]+ followed by the end of the text.
bool ExponentThenEnd(Cursor& c) {
  if (c.EatOneOf("eE")) {
    c.EatOneOf("-+");
    if (c.EatWhile(kDigits) == 0) return false;
  }
  return c.AtEnd();
}

bool IsFloat(std::string_view s) {
  if (s.empty() || s.back() == '_') return false;
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  Cursor c{s};
  bool signed_ = c.EatOneOf("-+");
  if (c.Eat('.')) {  // .5, .5e3, .inf
    std::string_view rest = s.substr(c.i);
    if (rest == "inf" || rest == "Inf" || rest == "INF") return true;
    return !signed_ && c.EatWhile(kDigitsUnderscore) > 0 && ExponentThenEnd(c);
  }
  if (!c.EatOneOf(kDigits)) return false;  // 2.5, 2., 25e3
  c.EatWhile(kDigitsUnderscore);
  if (c.Eat('.')) c.EatWhile(kDigitsUnderscore);
  return ExponentThenEnd(c);
}

// Up to `max` (at least `min`) decimal digits.
bool Digits(Cursor& c, size_t min, size_t max) {
  size_t n = 0;
  while (n < max && c.EatOneOf(kDigits)) ++n;
  return n >= min;
}

bool IsTimestamp(std::string_view s) {
  Cursor c{s};
  if (!Digits(c, 4, 4) || !c.Eat('-')) return false;
  size_t date_start = c.i;
  if (!Digits(c, 1, 2) || !c.Eat('-') || !Digits(c, 1, 2)) return false;
  if (c.AtEnd()) return c.i - date_start == 5;  // a bare date needs two-digit month and day
  if (!c.EatOneOf("Tt") && c.EatWhile(" \t") == 0) return false;
  if (!Digits(c, 1, 2) || !c.Eat(':') || !Digits(c, 2, 2) || !c.Eat(':') || !Digits(c, 2, 2)) {
    return false;
  }
  if (c.Eat('.')) c.EatWhile(kDigits);
  if (c.AtEnd()) return true;
  c.EatWhile(" \t");  // spaces only before a zone, never trailing
  if (c.Eat('Z')) return c.AtEnd();
  if (c.EatOneOf("-+")) {
    if (!Digits(c, 1, 2)) return false;
    if (c.Eat(':') && !Digits(c, 2, 2)) return false;
    return c.AtEnd();
  }
  return false;
}

}  // namespace

ScalarType ResolvePlain(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return ScalarType::kNull;
  }
  if (text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
      text == "FALSE") {
    return ScalarType::kBool;
  }
  if (IsInt(text)) return ScalarType::kInt;
  if (IsFloat(text)) return ScalarType::kFloat;
  if (IsTimestamp(text)) return ScalarType::kTimestamp;
  return ScalarType::kString;
}

std::string_view Describe(ScalarType type) {
  switch (type) {
    case ScalarType::kString:
      return "a string";
    case ScalarType::kNull:
      return "null";
    case ScalarType::kBool:
      return "a boolean";
    case ScalarType::kInt:
    case ScalarType::kFloat:
      return "a number";
    case ScalarType::kTimestamp:
      return "a date";
  }
  return "a value";
}

}  // namespace tg::plan
