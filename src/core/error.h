// tg::Error and tg::Result: every fallible function in tg returns one of these.
// The set of codes is the contract's (spec section 7); each maps to one documented exit code.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tg {

enum class Code {
  kInternal,
  kUsage,
  kAmbiguousId,
  kNotInitialized,
  kTaskNotFound,
  kPlanNotFound,
  kGateNotFound,
  kFileNotFound,
  kTaskAlreadyClaimed,
  kTaskNotRunnable,
  kInvalidTransition,
  kCycleDetected,
  kImportConflict,
  kMergeConflict,
  kStoreBusy,
  kValidationFailed,
  kParseFailed,
  kStoreCorrupt,
  kSchemaTooNew,
  kReadOnly,
  kIoError,
};

// The SCREAMING_SNAKE name printed in JSON errors ("TASK_NOT_FOUND").
std::string_view CodeName(Code code);

// The process exit code for a failure with this code (contract section 7).
int ExitCode(Code code);

// One entry of a list that belongs to an error (an ambiguous id's candidates, an import's
// unmatched tasks): named fields, in order. It becomes one object of the JSON error's
// `details` array.
using ErrorDetail = std::vector<std::pair<std::string, std::string>>;

struct [[nodiscard]] Error {
  Code code = Code::kInternal;
  // One line that says what was wrong and what to do next; a list is summarised here and
  // given in full in `details` (contract section 7).
  std::string message;
  std::vector<ErrorDetail> details;
};

// std::expected itself is not [[nodiscard]] in GCC 12's library: Result wraps it so that
// calling a fallible function and ignoring what it returned fails the build (-Werror). Cast to
// void where dropping an error is deliberate (a rollback while already failing).
template <class T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
  Result(std::expected<T, Error> e) : std::expected<T, Error>(std::move(e)) {}
};
using Status = Result<void>;

inline std::unexpected<Error> Fail(Code code, std::string message,
                                   std::vector<ErrorDetail> details = {}) {
  return std::unexpected<Error>(Error{code, std::move(message), std::move(details)});
}

inline Status Ok() { return {}; }

}  // namespace tg

// Propagates the error of a Result/Status expression, or evaluates to nothing.
#define TG_TRY(expr)                                                      \
  do {                                                                    \
    auto&& tg_try_r_ = (expr);                                            \
    if (!tg_try_r_) return std::unexpected(std::move(tg_try_r_).error()); \
  } while (0)

// Assigns the value of a Result expression to `lhs`, or returns its error.
#define TG_ASSIGN(lhs, expr) TG_ASSIGN_IMPL_(TG_CONCAT_(tg_r_, __LINE__), lhs, expr)
#define TG_CONCAT_(a, b) TG_CONCAT2_(a, b)
#define TG_CONCAT2_(a, b) a##b
#define TG_ASSIGN_IMPL_(tmp, lhs, expr)                     \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
