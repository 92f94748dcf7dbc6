#include "core/ids.h"

#include <fmt/format.h>

#include <algorithm>

namespace tg {

RandomIdSource::RandomIdSource() {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

static std::string FormatUuid(uint64_t hi, uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  // Two ids per row written on a large import: hex by hand, a tenth of a format string's cost.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (uint64_t word : {hi, lo}) {
    for (int nibble = 15; nibble >= 0; --nibble) {
      if (at == 8 || at == 13 || at == 18 || at == 23) ++at;  // the dashes of 8-4-4-4-12
      out[at++] = kHex[(word >> (nibble * 4)) & 0xf];
    }
  }
  return out;
}

std::string RandomIdSource::NewUuid() {
  uint64_t hi = rng_();
  uint64_t lo = rng_();
  return FormatUuid(hi, lo);
}

std::string SequentialIdSource::NewUuid() {
  uint64_t n = next_++;
  // Spread the counter into the leading digits so short ids differ from the start.
  return FormatUuid((n * 0x9e3779b97f4a7c15ULL) & 0xffffffff00000000ULL, n);
}

AscendingIdSource::AscendingIdSource(IdSource& base, size_t n) : base_(base) {
  ids_.reserve(n);
  for (size_t i = 0; i < n; ++i) ids_.push_back(base_.NewUuid());
  std::sort(ids_.begin(), ids_.end());
}

std::string AscendingIdSource::NewUuid() {
  return next_ < ids_.size() ? std::move(ids_[next_++]) : base_.NewUuid();
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ShortId(std::string_view prefix, std::string_view uuid, size_t digits) {
  std::string out(prefix);
  for (char c : uuid) {
    if (out.size() - prefix.size() == digits) break;
    if (c != '-') out += c;
  }
  return out;
}

IdQuery ParseIdQuery(std::string_view input) {
  IdQuery q;
  q.exact = ToLower(input);
  if (IsUuid(input)) q.uuid = q.exact;
  std::string_view rest = q.exact;
  for (std::string_view p : {"tg-", "p-", "g-"}) {
    if (rest.starts_with(p)) {
      rest.remove_prefix(p.size());
      break;
    }
  }
  std::string hex;
  for (char c : rest) {
    if (c != '-') hex += c;
  }
  if (hex.size() >= 4 && hex.size() <= 32 && IsHex(hex)) q.hex_prefix = hex;
  return q;
}

bool LooksLikeId(std::string_view input) {
  IdQuery q = ParseIdQuery(input);
  return !q.uuid.empty() || !q.hex_prefix.empty();
}

std::string DashUuidPrefix(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += hex[i];
  }
  return out;
}

}  // namespace tg
