// tg's entry point.
#include "cli/cli.h"

int main(int argc, char** argv) { return tg::cli::Main(argc, argv); }
