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
# The fuzzer's progress (thousands of lines) goes to a log file; what is printed is its summary,
# and on failure its report and the failing input, so that a test runner that keeps only the
# start or the end of a test's output still shows why.
log="${build}/logs/${target}.log"
mkdir -p "${build}/logs"
stamp="${build}/logs/${target}.started"
touch "${stamp}"
rc=0
"${build}/${target}_fuzz" -max_total_time="${seconds}" -timeout=10 -rss_limit_mb=2048 \
  -max_len="${max_len}" ${dict:+-dict="${dict}"} -artifact_prefix="${artifacts}/" \
  -print_final_stats=1 "${corpus}" "${seeds[@]}" >"${log}" 2>&1 || rc=$?
grep -E '^(INFO: Seed|Done [0-9]+ runs|stat::)' "${log}" || true
if [ "${rc}" -ne 0 ]; then
  echo "run.sh: ${target} failed (exit ${rc}); the whole log is ${log}"
  # The report: from the first line that says what went wrong to the end, progress lines out.
  awk '/==[0-9]+==(ERROR|WARNING)|fuzz: |ALARM: |libFuzzer: |deadly signal|out-of-memory/ { on = 1 }
       on && !/^#[0-9]+\t(NEW|REDUCE|pulse)/ && !/NEW_FUNC/' "${log}" | head -n 150
  echo "---- last lines of the log ----"
  tail -n 15 "${log}"
  # This run's failing inputs (earlier runs' stay in the folder, not shown).
  find "${artifacts}" -type f -newer "${stamp}" | while read -r f; do
    echo "---- failing input ${f} (NUL bytes shown as |) ----"
    head -c 4096 "${f}" | tr '\0' '|' | cat -v
    echo
  done
fi
exit "${rc}"
