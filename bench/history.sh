#!/usr/bin/env bash
# bench/history.sh: the versioned graph on a large history. The benchmark graph of 10,000 tasks
# (bench/graph_gen.h) plus 50,000 commits by four agents (bench/make_history.cc: title and
# priority changes and notes), then, as whole processes under hyperfine:
#   diff          the last commit; a range of 100 commits
#   revert        one commit 10 back (a fresh copy of the graph for every run)
#   undo          --last 50 of one agent (fresh copy per run), and its --dry-run
#   --as-of       show and status --tasks as of 25,000 commits back, next as of a time
#   next          tg next --json on the same graph, to compare with docs/benchmarks.md
# and prints a markdown report (medians; the machine may be shared: the load is recorded).
#
# Knobs (environment): TASKS (10000), COMMITS (50000), RUNS (10), BUILD, SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=${RUNS:-10}
TASKS=${TASKS:-10000}
COMMITS=${COMMITS:-50000}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
need hyperfine hyperfine
build_bench tg make_graph make_history
TG=$BUILD/tg

# tmpfs when there is one: 50,000 synced commits take minutes on a disk, and the series read.
BASE=${TMPDIR:-/tmp}
[[ -d /dev/shm && -z ${TMPDIR:-} ]] && BASE=/dev/shm
WORK=$(mktemp -d "$BASE/tg-history.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home TG_AGENT=agent-1
unset TG_NOW TG_LOCK_TIMEOUT
mkdir -p "$HOME"
P=$WORK/pristine
mkdir -p "$P"
TG_DIR=$P "$TG" init >/dev/null
say "building $TASKS tasks and $COMMITS commits"
t0=$(date +%s)
"$BUILD/bench/make_graph" --dir "$P" --tasks "$TASKS" >/dev/null
"$BUILD/bench/make_history" --dir "$P" --commits "$COMMITS"
say "built in $(( $(date +%s) - t0 )) s"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$WORK/results.tsv"

series() {  # series <key> <prepare command> <command>
  hyperfine --style none --runs "$RUNS" --warmup 1 --prepare "$2" --export-csv "$WORK/$1.csv" \
    "$3" >/dev/null 2>&1 || { say "series $1 failed: $3"; hyperfine --runs 1 --prepare "$2" "$3"; exit 1; }
  awk -F, -v k="$1" -v n="$RUNS" 'NR == 2 {
    printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", k, $(NF-4) * 1e3, $(NF-1) * 1e3, $NF * 1e3, n }' \
    "$WORK/$1.csv" >>"$WORK/results.tsv"
}

G=$WORK/g
copy="rm -rf $G && cp -a $P $G"
eval "$copy"
export TG_DIR=$G
# `|| true`: head closing the pipe early is not a failure.
show_id=$("$TG" next --json --limit 1 | grep -o 'tg-[0-9a-f]*' | head -1 || true)
mid_time=$("$TG" log --json --limit 25000 | grep -o '"time": *"[^"]*"' | tail -1 | cut -d'"' -f4 || true)

series diff_last "true" "$TG diff --json"
series diff_range "true" "$TG diff HEAD~100 HEAD --json"
series revert "$copy" "$TG revert HEAD~10"
series undo50 "$copy" "$TG undo --agent agent-2 --last 50"
series undo50_dry "true" "$TG undo --agent agent-2 --last 50 --dry-run"
series asof_show "true" "$TG show $show_id --as-of HEAD~25000 --json"
series asof_status "true" "$TG status --tasks --as-of HEAD~25000 --json"
series asof_next_time "true" "$TG next --as-of $mid_time --json"
series next "true" "$TG next --json"
eval "$copy"
TG_DIR=$G "$TG" revert HEAD~10 >/dev/null
TG_DIR=$G "$TG" undo --agent agent-2 --last 50 >/dev/null
doctor=$(TG_DIR=$G "$TG" doctor >/dev/null 2>&1 && echo clean || echo "**not clean**")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

field() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k { print $c }' "$WORK/results.tsv"; }
commit=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
echo "## tg history benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- tg commit: \`$commit\`; build: Release, -O2, static; graph on $(df --output=fstype "$WORK" | tail -1)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "kernel $(uname -r)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "- graph: $TASKS tasks, $((COMMITS + 1)) commits, tg.db $(du -m "$P/.taskgraph/tg.db" | cut -f1) MB;" \
  "doctor after a revert and an undo: $doctor"
echo "- hyperfine, $RUNS runs per series after one warm-up; milliseconds, whole process"
echo
echo "| series | median | min | max | runs |"
echo "|---|---:|---:|---:|---:|"
while IFS='|' read -r key label; do
  echo "| $label | $(field "$key" 2) | $(field "$key" 3) | $(field "$key" 4) | $(field "$key" 5) |"
done <<'EOF2'
diff_last|`tg diff --json` (the last commit)
diff_range|`tg diff HEAD~100 HEAD --json` (100 commits)
revert|`tg revert HEAD~10`
undo50|`tg undo --agent agent-2 --last 50`
undo50_dry|`tg undo --agent agent-2 --last 50 --dry-run`
asof_show|`tg show <id> --as-of HEAD~25000 --json`
asof_status|`tg status --tasks --as-of HEAD~25000 --json`
asof_next_time|`tg next --as-of <time 25,000 commits back> --json`
next|`tg next --json` (same graph)
EOF2
