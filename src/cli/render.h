// Output helpers shared by the command files: errors, batch results, argument parsing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/batch.h"
#include "api/json.h"
#include "app/batch.h"
#include "cli/session.h"
#include "core/limits.h"

namespace tg::cli {

using json = api::Json;
using api::TaskJson;

// Prints `e` the contract's way (stderr always; JSON on stdout in JSON mode) and returns its
// exit code.
int PrintError(Session& s, const Error& e);
void PrintJson(Session& s, const json& j);

// Prints one line per item (or the JSON array) and returns the batch's exit code: 0 when all
// succeeded, the shared exit code of the failures, or 1 when they differ.
int PrintBatch(Session& s, const app::BatchOutcome& o, std::string_view done_word,
               bool with_plan_completed, bool with_lease = false);

// "a,b c" -> {a, b, c}: ids may be separated by commas or given as separate arguments.
std::vector<std::string> SplitIds(const std::vector<std::string>& args);

// Integer flag values within `range` (core/limits.h, the one definition of every range):
// VALIDATION_FAILED (exit 6) names the flag and the range when the value is not a whole
// number or lies outside it. Parsed as 64 bits and checked before narrowing: nothing wraps.
Result<int64_t> ParseIntFlag(const std::string& flag, const std::string& value, const Range& range);
// "unset"/"none"/"" clear the value.
Result<std::optional<int>> ParseOptionalIntFlag(const std::string& flag, const std::string& value,
                                                const Range& range);

// A duration flag ("90s", "30m", "2h") within `range`; `default_unit` for a bare number.
Result<Millis> ParseDurationFlag(const std::string& flag, const std::string& value,
                                 Millis default_unit, const Range& range);

// `text` as one line for stderr: line breaks become spaces, so an error is always one line.
std::string OneLine(std::string_view text);

// A line saying what was committed, for human output ("committed a1b2c3d4e5f6").
std::string CommitNote(const std::optional<store::CommitInfo>& c);

}  // namespace tg::cli
