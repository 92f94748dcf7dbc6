#!/usr/bin/env bash
# Builds a libFuzzer target with clang in build-fuzz/ and runs it for a bounded time.
# Usage: tests/fuzz/run.sh [seconds] [target]   (default 60 s, plan_parser; targets:
# plan_parser, cli_argv, config, mcp_handler). Exits non-zero on any crash, leak, timeout or out-of-memory;
# the failing input is kept in build-fuzz/artifacts/<target>/.
set -euo pipefail
seconds="${1:-60}"
target="${2:-plan_parser}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${root}/build-fuzz"
cxx="${CXX_FUZZ:-$(command -v clang++-16 || command -v clang++ || true)}"
if [ -z "${cxx}" ]; then
  echo "run.sh: clang++ not found; install clang-16 and libclang-rt-16-dev" >&2
  exit 2
fi
case "${target}" in
  plan_parser) seeds=("${root}/tests/fuzz/seeds"); dict="${root}/tests/fuzz/plan.dict"; max_len=65536
    shared="${root}/../shared/corpus/taskgraph-plans"
    [ -d "${shared}" ] && seeds+=("${shared}") ;;
  cli_argv) seeds=("${root}/tests/fuzz/seeds_cli"); dict="${root}/tests/fuzz/cli.dict"; max_len=2048 ;;
  config) seeds=("${root}/tests/fuzz/seeds_config"); dict=""; max_len=4096 ;;
  mcp_handler) seeds=("${root}/tests/fuzz/mcp_seeds"); dict="${root}/tests/fuzz/mcp.dict"; max_len=8192 ;;
  *) echo "run.sh: unknown target ${target}; use plan_parser, cli_argv, config or mcp_handler" >&2; exit 2 ;;
esac
cmake -S "${root}/tests/fuzz" -B "${build}" -G Ninja -DCMAKE_CXX_COMPILER="${cxx}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${build}" --target "${target}_fuzz"
# New inputs go to the first corpus directory only, so the seeds stay untouched.
corpus="${build}/corpus/${target}"
artifacts="${build}/artifacts/${target}"
mkdir -p "${corpus}" "${artifacts}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"${build}/${target}_fuzz" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 \
  -max_len="${max_len}" ${dict:+-dict="${dict}"} -artifact_prefix="${artifacts}/" \
  -print_final_stats=1 "${corpus}" "${seeds[@]}"
