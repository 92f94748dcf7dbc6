// Output helpers shared by the command files: errors, batch results, argument parsing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/batch.h"
#include "api/input.h"
#include "api/json.h"
#include "app/batch.h"
#include "cli/session.h"
#include "core/limits.h"

namespace tg::cli {

// Flag values are checked by the rules every front end shares (api/input.h).
using api::ParseDurationFlag;
using api::ParseIntFlag;
using api::ParseOptionalIntFlag;

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

// A task's worktree under its batch line: where it is (start), what done did with it.
void PrintWorktree(Session& s, const app::WorktreeOutcome& w, bool done);

// "a,b c" -> {a, b, c}: ids may be separated by commas or given as separate arguments.
std::vector<std::string> SplitIds(const std::vector<std::string>& args);

// `text` as one line for stderr: line breaks become spaces, so an error is always one line.
std::string OneLine(std::string_view text);

// A claim's lease for human output, as status and show print it: "until 14:00 UTC",
// "expired 13:05 UTC" (FormatShort: the date too when it is not today), "-" without one.
std::string LeaseText(const Task& t, Millis now);

// A line saying what was committed, for human output ("committed a1b2c3d4e5f6").
std::string CommitNote(const std::optional<store::CommitInfo>& c);

}  // namespace tg::cli
