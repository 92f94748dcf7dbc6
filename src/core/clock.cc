#include "core/clock.h"

#include <fmt/format.h>

#include <chrono>

namespace tg {

namespace {

using namespace std::chrono;

struct Parts {
  int y, mo, d, h, mi, s, ms;
};

Parts Split(Millis t) {
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(t)));
  year_month_day ymd(day);
  Millis rem = t - duration_cast<milliseconds>(day.time_since_epoch()).count();
  return Parts{int(ymd.year()),      int(unsigned(ymd.month())), int(unsigned(ymd.day())),
               int(rem / 3'600'000), int(rem / 60'000 % 60),     int(rem / 1000 % 60),
               int(rem % 1000)};
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatIso(Millis t) {
  Parts p = Split(t);
  if (p.y < 0 || p.y > 9999) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", p.y, p.mo, p.d, p.h, p.mi, p.s,
                       p.ms);
  }
  // Every stored time goes through here (several per row written): digits by hand, not a
  // format string, made it a twentieth of its cost.
  char b[] = "0000-00-00T00:00:00.000Z";
  auto put = [&](int at, int width, int v) {
    for (int i = at + width - 1; i >= at; --i, v /= 10) b[i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, p.y);
  put(5, 2, p.mo);
  put(8, 2, p.d);
  put(11, 2, p.h);
  put(14, 2, p.mi);
  put(17, 2, p.s);
  put(20, 3, p.ms);
  return std::string(b, sizeof b - 1);
}

std::string FormatShort(Millis t, Millis now) {
  Parts p = Split(t);
  Parts n = Split(now);
  if (p.y == n.y && p.mo == n.mo && p.d == n.d) return fmt::format("{:02}:{:02} UTC", p.h, p.mi);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", p.y, p.mo, p.d, p.h, p.mi);
}

std::optional<Millis> ParseIso(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  size_t i = 10;
  Millis offset_ms = 0;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    if (!Digits(s, i + 1, 2, &h) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !Digits(s, i + 4, 2, &mi))
      return std::nullopt;
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &sec)) return std::nullopt;
      i += 3;
      if (i < s.size() && s[i] == '.') {
        size_t start = ++i;
        int frac = 0, n = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          if (n < 3) frac = frac * 10 + (s[i] - '0'), ++n;
          ++i;
        }
        if (i == start) return std::nullopt;
        while (n < 3) frac *= 10, ++n;
        ms = frac;
      }
    }
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
      ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int oh, om;
      if (!Digits(s, i + 1, 2, &oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
          !Digits(s, i + 4, 2, &om))
        return std::nullopt;
      offset_ms = (s[i] == '+' ? 1 : -1) * (Millis(oh) * 3'600'000 + Millis(om) * 60'000);
      i += 6;
    }
  }
  if (i != s.size()) return std::nullopt;
  year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  Millis days_ms = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count();
  return days_ms + Millis(h) * 3'600'000 + Millis(mi) * 60'000 + Millis(sec) * 1000 + ms -
         offset_ms;
}

}  // namespace tg
