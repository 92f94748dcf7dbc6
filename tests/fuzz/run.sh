#!/usr/bin/env bash
# Builds the plan parser fuzzer with clang in build-fuzz/ and runs it for a bounded time.
# Usage: tests/fuzz/run.sh [seconds]   (default 60). Exits non-zero on any crash, leak,
# timeout or out-of-memory; the failing input is kept in build-fuzz/artifacts/.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${root}/build-fuzz"
cxx="${CXX_FUZZ:-$(command -v clang++-16 || command -v clang++ || true)}"
if [ -z "${cxx}" ]; then
  echo "run.sh: clang++ not found; install clang-16 and libclang-rt-16-dev" >&2
  exit 2
fi
cmake -S "${root}/tests/fuzz" -B "${build}" -G Ninja -DCMAKE_CXX_COMPILER="${cxx}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "${build}" --target plan_parser_fuzz
# New inputs go to the first corpus directory only, so the seeds stay untouched.
mkdir -p "${build}/corpus" "${build}/artifacts"
seed_dirs=("${root}/tests/fuzz/seeds")
shared="${root}/../shared/corpus/taskgraph-plans"
[ -d "${shared}" ] && seed_dirs+=("${shared}")
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
"${build}/plan_parser_fuzz" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -dict="${root}/tests/fuzz/plan.dict" -artifact_prefix="${build}/artifacts/" -print_final_stats=1 \
  "${build}/corpus" "${seed_dirs[@]}"
