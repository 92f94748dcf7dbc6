#!/usr/bin/env bash
# bench/run.sh [--quick]: whole-process benchmarks of tg beside Taskwarrior 2.6 on the same graphs.
#
# Builds tg (Release) with the two bench tools, generates graphs of 1,000 and 10,000 tasks
# (bench/make_graph.cc), imports the same graphs into a sandboxed Taskwarrior, times every
# command with bench/cli_bench.cc, and prints a markdown report on stdout (progress on stderr).
# --quick: one short round per size, no callgrind; for checking that the script works.
#
# Knobs (environment): SIZES="1000 10000", ROUNDS, RUNS (per round), TW_BIG_RUNS (Taskwarrior runs
# per round on graphs over 5,000 tasks, where one `task` call takes seconds), BUILD (build dir),
# SKIP_BUILD=1 uses the binaries already in BUILD, COMMIT labels a source tree that is not a git
# checkout, KEEP=1 keeps the scratch folders.
#
# The graphs live on the disk (mktemp under TMPDIR, /tmp by default), where a user's .taskgraph/
# would be. Each size also runs start/note/done on a copy in /dev/shm (tmpfs, where fsync costs
# nothing), which shows how much of a write command is waiting for the disk.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
SIZES=${SIZES:-"1000 10000"}
QUICK=0
[[ ${1:-} == --quick ]] && QUICK=1
if ((QUICK)); then
  ROUNDS=${ROUNDS:-1} RUNS=${RUNS:-5} TW_BIG_RUNS=${TW_BIG_RUNS:-1}
else
  # Several short rounds instead of one long series per command: the machine's background load
  # changes over minutes, and interleaving spreads it over all commands alike.
  ROUNDS=${ROUNDS:-5} RUNS=${RUNS:-12} TW_BIG_RUNS=${TW_BIG_RUNS:-2}
fi
WARMUP=1

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# ---- build -----------------------------------------------------------------------------------
need task taskwarrior
build_bench tg make_graph cli_bench
TG=$BUILD/tg
MAKE_GRAPH=$BUILD/bench/make_graph
CLI_BENCH=$BUILD/bench/cli_bench
TASK=$(command -v task)

# ---- sandbox ---------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-bench.XXXXXX")
SHM=
if [[ $(stat -f -c %T /dev/shm 2>/dev/null) == tmpfs ]]; then
  SHM=$(mktemp -d /dev/shm/tg-bench.XXXXXX)
fi
if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$WORK" $SHM' EXIT; else say "keeping $WORK $SHM"; fi
export HOME=$WORK/home TG_AGENT=bench
unset TG_NOW TG_LOCK_TIMEOUT
mkdir -p "$HOME"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Times one command: measure <size dir> <key> <runs> <warmup> [--ids FILE] -- cmd...
measure() {
  local d=$1 key=$2 runs=$3 warmup=$4
  shift 4
  "$CLI_BENCH" --runs "$runs" --warmup "$warmup" --label "$key" --samples "$d/samples/$key" "$@" \
    | sed 's/^/  /' >&2
}

restore() {  # restore <size dir>: every round starts from the same graph
  rm -rf "$1/work"
  cp -a "$1/pristine" "$1/work"
  if [[ -n $SHM ]]; then
    rm -rf "$SHM/${1##*/}"
    cp -a "$1/pristine/tg" "$SHM/${1##*/}"
  fi
}

RESULTS=$WORK/results.tsv
: >"$RESULTS"

# ---- generate --------------------------------------------------------------------------------
for size in $SIZES; do
  d=$WORK/$size
  mkdir -p "$d/pristine/tg" "$d/pristine/tw" "$d/samples"
  say "generating $size tasks"
  TG_DIR=$d/pristine/tg "$TG" init >/dev/null
  "$MAKE_GRAPH" --dir "$d/pristine/tg" --tasks "$size" --tw-json "$d/tw.json" >"$d/show_id"
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nrecurrence=off\ngc=off\nhooks=off\n' \
    "$d/work/tw" >"$d/taskrc"
  TASKRC=$d/taskrc TASKDATA=$d/pristine/tw "$TASK" import "$d/tw.json" >/dev/null 2>&1

  # The same runnable set in both tools, and the tasks the mutating series act on: the first
  # WARMUP+RUNS runnable ones (each round restores the graph, so every round reuses them).
  restore "$d"
  export TG_DIR=$d/work/tg TASKRC=$d/taskrc TASKDATA=$d/work/tw
  runnable=$("$TG" next --json --limit 1000000 | grep -c '"task_id"')
  tw_ready=$("$TASK" +READY count)
  tw_total=$("$TASK" count)
  say "$size tasks: tg runnable $runnable, Taskwarrior ready $tw_ready of $tw_total"
  if ((runnable != size / 10 || tw_ready != size / 10 || tw_total != size)); then
    say "the generated graphs are not the expected shape"
    exit 1
  fi
  need=$((WARMUP + RUNS))
  "$TG" next --json --limit "$need" | grep '"hash_id"' | cut -d'"' -f4 >"$d/ids.tg"
  "$TG" next --json --limit "$need" | grep '"task_id"' | cut -d'"' -f4 >"$d/ids.uuid"
done

# ---- measure ---------------------------------------------------------------------------------
# Rounds outside, sizes inside: the disk's sync latency on a shared machine changes over minutes
# (4 ms or 25 ms for the same `tg start`), and must not fall on one size only.
for ((r = 1; r <= ROUNDS; r++)); do
  for size in $SIZES; do
    say "round $r/$ROUNDS, $size tasks"
    d=$WORK/$size
    show_id=$(cat "$d/show_id")
    tw_runs=$RUNS tw_warmup=$WARMUP
    if ((size > 5000)); then tw_runs=$TW_BIG_RUNS tw_warmup=0; fi
    export TG_DIR=$d/work/tg TASKRC=$d/taskrc TASKDATA=$d/work/tw
    restore "$d"
    measure "$d" true "$RUNS" "$WARMUP" -- true
    # One 4 KiB write and fdatasync in a new process: the price of one disk sync right now.
    measure "$d" sync "$RUNS" "$WARMUP" -- dd if=/dev/zero of="$d/probe" bs=4096 count=1 \
      conv=fdatasync status=none
    # Reads first, on the untouched graph.
    measure "$d" tg_next "$RUNS" "$WARMUP" -- "$TG" next --json
    measure "$d" tg_show "$RUNS" "$WARMUP" -- "$TG" show --json "$show_id"
    measure "$d" tw_next "$tw_runs" "$tw_warmup" -- "$TASK" rc.verbose=nothing next
    # An agent's cycle, one task per run: start, note on the claimed task, done.
    measure "$d" tg_start "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- "$TG" start --json '{id}'
    measure "$d" tg_note "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- \
      "$TG" note --json '{id}' --msg "benchmark note"
    measure "$d" tg_done "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- \
      "$TG" done --json '{id}' --evidence "benchmark run"
    measure "$d" tg_add "$RUNS" "$WARMUP" -- \
      "$TG" task new --json "Benchmark task added" --plan bench-plan-001
    if [[ -n $SHM ]]; then  # the same cycle without disk syncs
      TG_DIR=$SHM/$size measure "$d" tg_start_shm "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- \
        "$TG" start --json '{id}'
      TG_DIR=$SHM/$size measure "$d" tg_note_shm "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- \
        "$TG" note --json '{id}' --msg "benchmark note"
      TG_DIR=$SHM/$size measure "$d" tg_done_shm "$RUNS" "$WARMUP" --ids "$d/ids.tg" -- \
        "$TG" done --json '{id}' --evidence "benchmark run"
    fi
    measure "$d" tw_start "$tw_runs" "$tw_warmup" --ids "$d/ids.uuid" -- "$TASK" '{id}' start
    measure "$d" tw_note "$tw_runs" "$tw_warmup" --ids "$d/ids.uuid" -- \
      "$TASK" '{id}' annotate "benchmark note"
    measure "$d" tw_done "$tw_runs" "$tw_warmup" --ids "$d/ids.uuid" -- "$TASK" '{id}' done
    measure "$d" tw_add "$tw_runs" "$tw_warmup" -- \
      "$TASK" add "Benchmark task added" project:bench-plan-001
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- summarise -------------------------------------------------------------------------------
for size in $SIZES; do
  d=$WORK/$size
  for f in "$d"/samples/*; do
    printf '%s\t' "$size" >>"$RESULTS"
    "$CLI_BENCH" --stats "$f" --label "$(basename "$f")" >>"$RESULTS"
  done

  # Instruction counts: deterministic, unlike the clock, so they show what a change costs
  # whatever the machine is doing. Each command on a freshly restored graph.
  if ((!QUICK)) && command -v valgrind >/dev/null; then
    say "$size tasks: callgrind"
    export TG_DIR=$d/work/tg
    restore "$d"
    id=$(head -1 "$d/ids.tg")
    ir() {
      local key=$1
      shift
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | sed "s/^/$size\t$key\t/" >>"$WORK/ir.tsv"
    }
    ir tg_next "$TG" next --json
    ir tg_show "$TG" show --json "$(cat "$d/show_id")"
    ir tg_start "$TG" start --json "$id"
    ir tg_note "$TG" note --json "$id" --msg "benchmark note"
    ir tg_done "$TG" done --json "$id" --evidence "benchmark run"
    ir tg_add "$TG" task new --json "Benchmark task added" --plan bench-plan-001
  fi
done

# ---- report ----------------------------------------------------------------------------------
# field <size> <key> <column>: 3 median, 4 p90, 5 min, 6 mean, 7 runs, 8 CPU-time median
field() {  # times of a second or more lose their decimals
  awk -F'\t' -v s="$1" -v k="$2" -v c="$3" '$1 == s && $2 == k {
    if (c == 7) print $c; else printf($c >= 100 ? "%.0f\n" : "%.2f\n", $c) }' "$RESULTS"
}
irm() {  # instructions in millions, or "-"
  [[ -f $WORK/ir.tsv ]] || { echo -; return; }
  awk -F'\t' -v s="$1" -v k="$2" '$1 == s && $2 == k { printf "%.1f M", $3 / 1e6; f = 1 }
    END { if (!f) print "-" }' "$WORK/ir.tsv"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.0f×", b / a; else print "-" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "met" : "**missed**") }'; }

# COMMIT names the source when it is not a git checkout (e.g. an export of one commit).
commit=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no -- src 2>/dev/null | head -1 || true)
echo "## tg benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- tg commit: \`$commit\`${dirty:+ (with uncommitted changes in src/)}; build: Release, -O2, static"
echo "- Taskwarrior: $("$TASK" --version)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "kernel $(uname -r)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "- $ROUNDS rounds × $RUNS runs per command ($TW_BIG_RUNS per round for Taskwarrior above" \
  "5,000 tasks), warm-up $WARMUP per round; milliseconds, whole process; CPU = user + system" \
  "time of the process"
echo
for size in $SIZES; do
  echo "### $size tasks"
  echo
  echo "| command | median | p90 | min | CPU median | runs | instructions |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  while IFS='|' read -r key label; do
    [[ -n $(field "$size" "$key" 3) ]] || continue
    echo "| $label | $(field "$size" "$key" 3) | $(field "$size" "$key" 4) |" \
      "$(field "$size" "$key" 5) | $(field "$size" "$key" 8) | $(field "$size" "$key" 7) |" \
      "$(irm "$size" "$key") |"
  done <<'EOF'
true|`true` (process start, for scale)
sync|`dd … bs=4096 count=1 conv=fdatasync` (one disk sync, for scale)
tg_next|`tg next --json`
tg_show|`tg show --json <id>`
tg_start|`tg start --json <id>`
tg_note|`tg note --json <id> --msg …`
tg_done|`tg done --json <id> --evidence …`
tg_add|`tg task new --json … --plan …`
tg_start_shm|`tg start` with the graph on tmpfs
tg_note_shm|`tg note` with the graph on tmpfs
tg_done_shm|`tg done` with the graph on tmpfs
tw_next|`task rc.verbose=nothing next`
tw_start|`task <uuid> start`
tw_note|`task <uuid> annotate …`
tw_done|`task <uuid> done`
tw_add|`task add … project:…`
EOF
  echo
  echo "| tg vs Taskwarrior (medians) | tg | task | task / tg |"
  echo "|---|---:|---:|---:|"
  while IFS='|' read -r tg tw label; do
    a=$(field "$size" "$tg" 3) b=$(field "$size" "$tw" 3)
    echo "| $label | $a | $b | $(ratio "$a" "$b") |"
  done <<'EOF'
tg_next|tw_next|next
tg_start|tw_start|start
tg_note|tw_note|note / annotate
tg_done|tw_done|done
tg_add|tw_add|add a task
EOF
  echo
done

echo "### Targets"
echo
echo "| target | measured | verdict |"
echo "|---|---:|---|"
for size in $SIZES; do
  case $size in 1000) limit=4 ;; 10000) limit=10 ;; *) limit= ;; esac
  m=$(field "$size" tg_next 3)
  [[ -n $limit ]] && echo "| \`tg next --json\` median ≤ $limit ms at $size | $m ms | $(verdict "$m" "$limit") |"
  for key in tg_start tg_note tg_done; do
    m=$(field "$size" "$key" 3)
    echo "| \`tg ${key#tg_}\` median ≤ 10 ms at $size | $m ms | $(verdict "$m" 10) |"
  done
done
a=$(field 1000 tg_next 3) b=$(field 1000 tw_next 3)
if [[ -n $a && -n $b ]]; then
  r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", b / a }')
  v=$(awk -v r="$r" 'BEGIN { print (r >= 10 ? "met" : "**missed**") }')
  echo "| \`tg next\` ≥ 10× faster than \`task next\` at 1000 | ${r}× | $v |"
fi
