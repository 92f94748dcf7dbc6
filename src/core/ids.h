// Identity: UUIDs, short ids (tg-3fa9c1, p-81bd02) and the parsing rules for id arguments.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace tg {

// Source of fresh UUIDs. Tests may substitute a deterministic one.
class IdSource {
 public:
  virtual ~IdSource() = default;
  virtual std::string NewUuid() = 0;  // lowercase, dashed, version 4
};

class RandomIdSource final : public IdSource {
 public:
  RandomIdSource();
  std::string NewUuid() override;

 private:
  std::mt19937_64 rng_;
};

// Counter-based ids ("00000000-0000-4000-8000-000000000001", ...) for reproducible tests.
class SequentialIdSource final : public IdSource {
 public:
  explicit SequentialIdSource(uint64_t start = 1) : next_(start) {}
  std::string NewUuid() override;

 private:
  uint64_t next_;
};

// Hands out `n` fresh ids of `base` in ascending order, then asks `base` again. A bulk write (an
// import) that takes its rows' ids from here in the order it writes them gives each index keyed
// by those ids its keys in ascending order: every insert lands next to the one before instead of
// on a random page of the index. On a 100,000-todo import that was a fifth of the store's work.
// The ids stay as random as `base` makes them; only which row gets which one is ordered.
class AscendingIdSource final : public IdSource {
 public:
  AscendingIdSource(IdSource& base, size_t n);
  std::string NewUuid() override;

 private:
  IdSource& base_;
  std::vector<std::string> ids_;
  size_t next_ = 0;
};

bool IsUuid(std::string_view s);  // 8-4-4-4-12 hex, any case
std::string ToLower(std::string_view s);
bool IsHex(std::string_view s);

// The short id for `uuid` with `digits` hex digits: prefix + the UUID's first hex digits.
// Callers try 6 digits, then 7, ... until the id is unused (contract section 2).
std::string ShortId(std::string_view prefix, std::string_view uuid, size_t digits);

// How an id argument can be matched (contract section 2).
struct IdQuery {
  std::string uuid;        // set when the input is a full UUID (lowercased)
  std::string exact;       // the input lowercased, for an exact short-id match
  std::string hex_prefix;  // >= 4 hex digits after stripping tg-/p-/g-, else empty
};
IdQuery ParseIdQuery(std::string_view input);

// Whether `input` is written like an id (a UUID, or an optional tg-/p-/g- and at least 4 hex
// digits) rather than like a title: a comma splits a list of ids, never a plan title such
// as "Release 1,2".
bool LooksLikeId(std::string_view input);

// Inserts dashes into a dashless UUID hex prefix so it can be range-matched against stored
// UUIDs: "3fa9c1d2e4" -> "3fa9c1d2-e4".
std::string DashUuidPrefix(std::string_view hex);

}  // namespace tg
