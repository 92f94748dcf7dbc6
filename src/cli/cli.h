// The tg command line as a library function, so tests and main() share it.
#pragma once

#include "cli/session.h"

namespace tg::cli {

// Parses argv, runs the chosen command and returns the process exit code.
int Run(int argc, const char* const* argv, Session& session);

// The whole process: environment, clock, streams, Run. main() and test builds call it.
int Main(int argc, char** argv);

}  // namespace tg::cli
