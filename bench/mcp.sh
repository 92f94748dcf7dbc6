#!/usr/bin/env bash
# bench/mcp.sh [--quick]: tool-call latency of one long-lived `tg mcp` (tg_next, tg_start,
# tg_done) beside the same operations as CLI processes, at each size in SIZES, and the byte
# size of the tools/list answer (bench/mcp_bench.cc). Markdown report on stdout.
# Knobs (environment): SIZES ("1000 10000"), ROUNDS (3), ITERATIONS (200 server loops per
# round), CLI_ITERATIONS (30 process loops per round), BUILD, SKIP_BUILD=1.
# --quick: one round of 20 server and 5 process loops, for checking the script.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
SIZES=${SIZES:-"1000 10000"}
if [[ ${1:-} == --quick ]]; then
  ROUNDS=${ROUNDS:-1} ITERATIONS=${ITERATIONS:-20} CLI_ITERATIONS=${CLI_ITERATIONS:-5}
else
  ROUNDS=${ROUNDS:-3} ITERATIONS=${ITERATIONS:-200} CLI_ITERATIONS=${CLI_ITERATIONS:-30}
fi
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
build_bench tg mcp_bench
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-mcp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK TMPDIR=$WORK
unset TG_NOW TG_LOCK_TIMEOUT TG_DIR TG_AGENT
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
  say "mcp_bench at $n tasks"
  "$BUILD/bench/mcp_bench" --tg "$BUILD/tg" --tasks "$n" --rounds "$ROUNDS" \
    --iterations "$ITERATIONS" --cli-iterations "$CLI_ITERATIONS" >>"$WORK/results.tsv"
done
echo "tg mcp latency: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, load before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tasks | front end | operation | runs | p50 ms | p99 ms | mean ms |"
echo "|---:|---|---|---:|---:|---:|---:|"
while IFS=$'\t' read -r size fe op runs p50 p99 mean; do
  echo "| $size | $fe | $op | $runs | $p50 | $p99 | $mean |"
done <"$WORK/results.tsv"
