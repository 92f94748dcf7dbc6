// The tg command line as a library function, so tests and main() share it.
#pragma once

#include "cli/session.h"

namespace tg::cli {

inline constexpr std::string_view kVersionNumber = "0.1.0";

// Parses argv, runs the chosen command and returns the process exit code.
int Run(int argc, const char* const* argv, Session& session);

// The whole process: environment, clock, streams, Run. main() and test builds call it.
int Main(int argc, char** argv);

// The edit distance between two words, for "did you mean".
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace tg::cli
