#!/usr/bin/env bash
# bench/size.sh [--quick]: how tg's speed depends on the size of the graph.
#
# For each N in SIZES:
#   1. generates one cursor plan of N todos, step-0 … step-(N-1), where todo k is blocked by
#      todo k-1 unless k % 4 == 0 (chains of 4: N/4 runnable heads, 3N/4 blocked, 3N/4 edges);
#   2. times `tg import` of it into a fresh `tg init` graph (hyperfine, IMPORT_RUNS runs, every
#      run from a fresh graph); the graph the last run leaves is the one the rest works on;
#   3. times whole processes on that graph with bench/cli_bench.cc: `tg next --json`, `tg show
#      <id> --json` (step-(N/2+1): a blocker and a dependent, in the middle of the plan), and an
#      agent's writes `tg start <id>`, `tg note <id> --msg x`, `tg done <id> --evidence x`, each
#      run on a different runnable task (the first ones in `next` order, as bench/run.sh does);
#   4. times the floor of a write beside them: bench/commit_floor.cc, one synced SQLite commit
#      (WAL, synchronous=FULL, BEGIN IMMEDIATE, one small INSERT, COMMIT) as a whole static
#      process, on a database in the same scratch folder as the graphs, so on the same disk;
#   5. records the store's size on disk after the import (tg.db + tg.db-wal) per task.
# Steps 3 and 4 run in ROUNDS rounds of RUNS runs; every round restores the imported graph and
# goes through all sizes and commands in turn, so the machine's background load falls on all of
# them alike; the report gives the medians over all rounds. Markdown report on stdout, progress
# on stderr.
# --quick: SIZES="1000 10000", one round of 5 runs, one import run; for checking the script.
#
# Knobs (environment): SIZES (default "1000 10000 100000"), ROUNDS (3), RUNS (10 per round),
# IMPORT_RUNS (3), BUILD (build dir), SKIP_BUILD=1 uses the binaries already in BUILD, COMMIT
# labels a source tree that is not a git checkout, KEEP=1 keeps the scratch folder (TMPDIR).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
QUICK=0
[[ ${1:-} == --quick ]] && QUICK=1
if ((QUICK)); then
  SIZES=${SIZES:-"1000 10000"} ROUNDS=${ROUNDS:-1} RUNS=${RUNS:-5} IMPORT_RUNS=${IMPORT_RUNS:-1}
else
  SIZES=${SIZES:-"1000 10000 100000"} ROUNDS=${ROUNDS:-3} RUNS=${RUNS:-10}
  IMPORT_RUNS=${IMPORT_RUNS:-3}
fi
WARMUP=1

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
need hyperfine hyperfine
build_bench tg cli_bench commit_floor
TG=$BUILD/tg
CLI_BENCH=$BUILD/bench/cli_bench
FLOOR=$BUILD/bench/commit_floor

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-size.XXXXXX")
if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; else say "keeping $WORK"; fi
export HOME=$WORK/home TG_AGENT=bench
unset TG_NOW TG_LOCK_TIMEOUT TG_DIR
mkdir -p "$HOME"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# Times one command: measure <size dir> <key> [--ids FILE] -- cmd...
measure() {
  local d=$1 key=$2
  shift 2
  "$CLI_BENCH" --runs "$RUNS" --warmup "$WARMUP" --label "$key" --samples "$d/samples/$key" "$@" \
    | sed 's/^/  /' >&2
}

# restore <size dir>: a fresh copy of the imported graph, its files synced so that the copy's
# writeback does not land on the first measured disk sync.
restore() {
  rm -rf "$1/work"
  cp -a "$1/pristine" "$1/work"
  sync "$1/work/.taskgraph/"*
}

# ---- generate and import ---------------------------------------------------------------------
for n in $SIZES; do
  d=$WORK/$n
  mkdir -p "$d/samples"
  plan=$d/plan.md
  awk -v n="$n" 'BEGIN {
    print "---"; print "name: Size benchmark plan of " n " todos"
    print "overview: |"; print "  Chains of four todos, to time tg as the graph grows."
    print "todos:"
    for (k = 0; k < n; k++) {
      printf "  - id: step-%d\n    content: Step %d of the size benchmark\n", k, k
      if (k % 4 != 0) printf "    blockedBy: [step-%d]\n", k - 1
    }
    print "---"
  }' >"$plan"

  say "$n todos: import ($IMPORT_RUNS runs, each into a fresh graph)"
  g=$d/import
  fresh="rm -rf $g && mkdir -p $g && TG_DIR=$g $TG init >/dev/null"
  TG_DIR=$g hyperfine --style none --runs "$IMPORT_RUNS" --prepare "$fresh" \
    --export-csv "$d/import.csv" "$TG import $plan" >/dev/null 2>&1 || {
    say "import of $n todos failed"
    TG_DIR=$g hyperfine --runs 1 --prepare "$fresh" "$TG import $plan"
    exit 1
  }
  # The command column may hold commas; median, min and max are fields NF-4, NF-1 and NF.
  awk -F, -v n="$n" -v r="$IMPORT_RUNS" 'NR == 2 {
    printf "%s\timport\t%.1f\t-\t%.1f\t-\t%d\t-\t%.1f\n", n, $(NF-4) * 1e3, $(NF-1) * 1e3, r,
      $NF * 1e3 }' "$d/import.csv" >>"$RESULTS"
  mv "$g" "$d/pristine"
  db=$d/pristine/.taskgraph/tg.db
  bytes=$(($(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0)))
  printf '%s\tbytes\t%s\t%s\n' "$n" "$bytes" "$(wc -c <"$plan")" >>"$WORK/bytes.tsv"

  # The runnable set must be the expected one, and hold enough tasks for the writes.
  restore "$d"
  export TG_DIR=$d/work
  runnable=$("$TG" next --json --limit 1000000 | grep -c '"task_id"' || true)
  need=$((WARMUP + RUNS))
  if ((runnable != (n + 3) / 4 || runnable < need)); then
    say "$n todos: $runnable runnable tasks, expected $(((n + 3) / 4)) and at least $need"
    exit 1
  fi
  "$TG" next --json --limit "$need" | grep '"hash_id"' | cut -d'"' -f4 >"$d/ids"
  mid=$((n / 2 - n / 2 % 4 + 1))
  "$TG" status --tasks --all --json \
    | awk -F'"' -v k="step-$mid" '/"hash_id"/ { h = $4 } /"external_key"/ && $4 == k { print h }' \
      >"$d/show_id"
  [[ -s $d/show_id ]] || { say "$n todos: no task step-$mid"; exit 1; }
  say "$n todos: $runnable runnable, show $(cat "$d/show_id") (step-$mid), $bytes bytes on disk"
done
"$FLOOR" --create "$WORK/floor.db"

# ---- measure ---------------------------------------------------------------------------------
for ((r = 1; r <= ROUNDS; r++)); do
  for n in $SIZES; do
    say "round $r/$ROUNDS, $n tasks"
    d=$WORK/$n
    restore "$d"
    export TG_DIR=$d/work
    measure "$d" floor -- "$FLOOR" "$WORK/floor.db"
    measure "$d" tg_next -- "$TG" next --json
    measure "$d" tg_show -- "$TG" show "$(cat "$d/show_id")" --json
    measure "$d" tg_start --ids "$d/ids" -- "$TG" start '{id}'
    measure "$d" tg_note --ids "$d/ids" -- "$TG" note '{id}' --msg x
    measure "$d" tg_done --ids "$d/ids" -- "$TG" 'done' '{id}' --evidence x
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ----------------------------------------------------------------------------------
for n in $SIZES; do
  for f in "$WORK/$n"/samples/*; do
    printf '%s\t' "$n" >>"$RESULTS"
    "$CLI_BENCH" --stats "$f" --label "$(basename "$f")" >>"$RESULTS"
  done
done

# field <N> <key> <column>: 3 median, 4 p90, 5 min, 6 mean, 7 runs, 8 CPU median (9: import max)
field() {
  awk -F'\t' -v n="$1" -v k="$2" -v c="$3" '$1 == n && $2 == k {
    if (c == 7 || $c == "-") print $c
    else printf($c >= 100 || k == "import" ? "%.0f\n" : "%.2f\n", $c) }' "$RESULTS"
}
per_task() { awk -F'\t' -v n="$1" '$1 == n { printf "%.0f\n", $3 / n }' "$WORK/bytes.tsv"; }

commit=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no -- src 2>/dev/null | head -1 || true)
echo "## tg size benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- tg commit: \`$commit\`${dirty:+ (with uncommitted changes in src/)}; build: Release, -O2," \
  "static; graphs on $(df --output=fstype "$WORK" | tail -1) (\`${TMPDIR:-/tmp}\`)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "kernel $(uname -r)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "- plan: N todos in chains of 4 (todo k blocked by k-1 unless k % 4 == 0): N/4 runnable"
echo "- import: hyperfine, $IMPORT_RUNS runs per size, each into a fresh graph; other commands:" \
  "$ROUNDS rounds × $RUNS runs (warm-up $WARMUP per round), interleaved over sizes and commands;" \
  "medians in milliseconds, whole process, spawn to exit"
echo "- floor: \`commit_floor\`, one process doing one synced SQLite commit (WAL," \
  "synchronous=FULL); bytes/task: tg.db + tg.db-wal after the import, divided by N"
echo
echo "| N | import | next | show | start | note | done | floor | bytes/task |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  row="| $n | $(field "$n" import 3)"
  for key in tg_next tg_show tg_start tg_note tg_done floor; do
    row+=" | $(field "$n" "$key" 3)"
  done
  echo "$row | $(per_task "$n") |"
done
echo
echo "| N | command | median | p90 | min | CPU median | runs |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in $SIZES; do
  while IFS='|' read -r key label; do
    [[ -n $(field "$n" "$key" 3) ]] || continue
    if [[ $key == import ]]; then
      echo "| $n | $label | $(field "$n" import 3) | max $(field "$n" import 9) |" \
        "$(field "$n" import 5) | - | $(field "$n" import 7) |"
      continue
    fi
    echo "| $n | $label | $(field "$n" "$key" 3) | $(field "$n" "$key" 4) |" \
      "$(field "$n" "$key" 5) | $(field "$n" "$key" 8) | $(field "$n" "$key" 7) |"
  done <<'EOF'
import|`tg import plan.md` into a fresh graph
tg_next|`tg next --json`
tg_show|`tg show <id> --json`
tg_start|`tg start <id>`
tg_note|`tg note <id> --msg x`
tg_done|`tg done <id> --evidence x`
floor|`commit_floor` (one synced commit)
EOF
done
echo
echo "| N | plan file bytes | store bytes (tg.db + wal) | bytes/task |"
echo "|---:|---:|---:|---:|"
for n in $SIZES; do
  awk -F'\t' -v n="$n" '$1 == n { printf "| %s | %s | %s | %.0f |\n", n, $4, $3, $3 / n }' \
    "$WORK/bytes.tsv"
done
