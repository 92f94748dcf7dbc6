#!/usr/bin/env bash
# Builds a fuzz target with clang in build-fuzz/ and runs it for a bounded time.
# Usage: tests/fuzz/run.sh [seconds] [target]   (default 60 s, plan_parser_fuzz; the other
# target is mcp_handler_fuzz). Exits non-zero on any crash, leak, timeout or out-of-memory;
# the failing input is kept in build-fuzz/artifacts/<target>/.
set -euo pipefail
seconds="${1:-60}"
target="${2:-plan_parser_fuzz}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${root}/build-fuzz"
cxx="${CXX_FUZZ:-$(command -v clang++-16 || command -v clang++ || true)}"
if [ -z "${cxx}" ]; then
  echo "run.sh: clang++ not found; install clang-16 and libclang-rt-16-dev" >&2
  exit 2
fi
case "${target}" in
  plan_parser_fuzz)
    seed_dirs=("${root}/tests/fuzz/seeds")
    shared="${root}/../shared/corpus/taskgraph-plans"
    [ -d "${shared}" ] && seed_dirs+=("${shared}")
    extra=(-max_len=65536 -dict="${root}/tests/fuzz/plan.dict")
    ;;
  mcp_handler_fuzz)
    seed_dirs=("${root}/tests/fuzz/mcp_seeds")
    extra=(-max_len=8192 -dict="${root}/tests/fuzz/mcp.dict")
    ;;
  *)
    echo "run.sh: unknown target '${target}' (plan_parser_fuzz or mcp_handler_fuzz)" >&2
    exit 2
    ;;
esac
cmake -S "${root}/tests/fuzz" -B "${build}" -G Ninja -DCMAKE_CXX_COMPILER="${cxx}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${build}" --target "${target}"
# New inputs go to the first corpus directory only, so the seeds stay untouched.
mkdir -p "${build}/corpus/${target}" "${build}/artifacts/${target}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"${build}/${target}" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 "${extra[@]}" \
  -artifact_prefix="${build}/artifacts/${target}/" -print_final_stats=1 \
  "${build}/corpus/${target}" "${seed_dirs[@]}"
