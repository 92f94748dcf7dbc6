#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds tg, and runs every test: the unit, cli, stress and
# fuzz labels on the normal build, unit and cli again under AddressSanitizer + UBSan, then the
# Release build's unit tests and its Debian package, installed into a throwaway root.
# Usage: scripts/test.sh [--quick]   (--quick: the normal build's unit and cli labels only)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
jobs=$(( $(nproc) * 4 ))

# ctest in DIR with ARGS; when tests fail, each failing test's name and failure lines (gtest's
# assertion messages and what tg printed with them, a sanitizer's or libFuzzer's report and the
# fuzz target's own message) are printed again at the very end, so a log cut to its tail still
# says why, not only which. Passing tests' output is left out.
run_ctest() {
  local dir=$1
  shift
  (cd "$dir" && ctest "$@") && return 0
  local rc=$?
  echo "---- why the failing tests failed (from $dir/Testing/Temporary/LastTest.log) ----"
  awk -v pat='Failure$|exception|^\\[  FAILED  \\] [^ ]+ \\(|==[0-9]+==(ERROR|WARNING)|^SUMMARY: |deadly signal|fuzz: |libFuzzer: |ALARM: |out-of-memory|Test artifact|artifact_prefix|^MS: ' '
       function flush(  i) {
         printf "== %s\n%s", name, hits
         if (hits == "") for (i = n - 11; i <= n; i++) if (i > 0) print ring[i % 12]
       }
       /^[0-9]+\/[0-9]+ Testing: / { name = $3; hits = ""; after = 0; nhits = 0; next }
       /^<end of output>$/ { keep = 0 }
       keep {
         line = substr($0, 1, 300)
         if ($0 ~ pat && $0 !~ /NEW_FUNC/) after = 9
         if (after > 0 && nhits < 60) { hits = hits line "\n"; after--; nhits++ }
         n++; ring[n % 12] = line
       }
       /^Output:$/ { keep = 1; n = 0 }
       /^Test Failed\.$/ { flush() }' \
    "$dir/Testing/Temporary/LastTest.log" 2>/dev/null | tail -n 120 || true
  return "$rc"
}

# Style is the formatter's job, not the reviewer's.
find src tests bench -name '*.cc' -o -name '*.h' | xargs clang-format --dry-run -Werror

# Unity files for the src/ libraries (TG_UNITY): a clean build takes half the time on 2 cores.
./scripts/build.sh -DTG_UNITY=ON
./scripts/install-mcp-sdk.sh build  # the official MCP SDK client for the mcp label
# Every label, pg included (the CLI suite again against a throwaway PostgreSQL server in
# build/pg-test, which CTest's fixture starts and stops; stopped here too if ctest is killed).
trap './scripts/pg-test-server.sh stop build/pg-test' EXIT
run_ctest build -j"$jobs" --output-on-failure --timeout 900
[ "${1:-}" = "--quick" ] && exit 0

# The suite itself under heavy parallelism (16 jobs on this machine's cores), three times over,
# on both stores: a test that fails only under load is a bug.
run_ctest build -j16 -L 'unit|cli|pg' --repeat until-fail:3 --output-on-failure --timeout 900

BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DTG_SANITIZE=ON -DTG_UNITY=ON \
  -DTG_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1 run_ctest build-asan -j"$jobs" -L 'unit|cli' --output-on-failure \
  --timeout 900

# The Release build (what the package ships) with its unit tests, then the Debian package,
# installed into a throwaway root and used. Only tg and the unit tests are built: the package
# installs tg alone (so its install step need not build every target first), and the CLI
# suite has run on the other builds above.
BUILD_DIR=build-release BUILD_TYPE=Release BUILD_TARGETS="tg tg_share tg_unit_tests" ./scripts/build.sh \
  -DTG_UNITY=ON -DTG_BENCH=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON
run_ctest build-release -j"$jobs" -L unit --output-on-failure --timeout 900
(cd build-release && rm -f tg_*.deb && cpack -G DEB >/dev/null)
tests/package/install_test.sh build-release/tg_*.deb

echo "All tests passed."
