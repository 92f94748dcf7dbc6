#!/usr/bin/env bash
# bench/agents.sh [--quick]: many agents working one 1,000-task graph at once.
#
# For 1, 4, 16 and 32 concurrent agents, runs each agent's loop of whole processes (bench/agents.cc)
# on a fresh copy of the same graph, three ways:
#   tg     next --json, start <id> (a lost race tries the next candidate), note, done
#   claim  next --claim (pick and claim in one transaction), note, done
#   tw     Taskwarrior 2.6: ready report, start, annotate, done, each wrapped in `flock`
# and prints a markdown report: throughput (commands/s, tasks/s), p50/p99 latency per command,
# and the writers' lock waits that tg reports under TG_TRACE=1.
#
# Knobs (environment): AGENTS="1 4 16 32", MODES="tg claim tw", ROUNDS (series per cell, pooled),
# DURATION (seconds per series), BUILD, SKIP_BUILD=1, KEEP=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
AGENTS=${AGENTS:-"1 4 16 32"}
MODES=${MODES:-"tg claim tw"}
if [[ ${1:-} == --quick ]]; then
  ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-3}
else
  ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10}
fi
SIZE=1000

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
need task taskwarrior
need flock util-linux
build_bench tg make_graph agents
TG=$BUILD/tg
RUNNER=$BUILD/bench/agents
TASK=$(command -v task)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-agents.XXXXXX")
if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; else say "keeping $WORK"; fi
export HOME=$WORK/home
unset TG_NOW TG_LOCK_TIMEOUT TG_AGENT
mkdir -p "$HOME" "$WORK/pristine/tg" "$WORK/pristine/tw" "$WORK/records"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

say "generating $SIZE tasks"
TG_DIR=$WORK/pristine/tg "$TG" init >/dev/null
"$(dirname "$RUNNER")/make_graph" --dir "$WORK/pristine/tg" --tasks "$SIZE" \
  --tw-json "$WORK/tw.json" >/dev/null
printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nrecurrence=off\ngc=off\nhooks=off\n' \
  "$WORK/work/tw" >"$WORK/taskrc"
TASKRC=$WORK/taskrc TASKDATA=$WORK/pristine/tw "$TASK" import "$WORK/tw.json" >/dev/null 2>&1
export TASKRC=$WORK/taskrc TASKDATA=$WORK/work/tw TG_DIR=$WORK/work/tg

# Rounds outside: the machine's background load drifts over minutes and must not fall on one
# cell of the table only.
for ((r = 1; r <= ROUNDS; r++)); do
  for n in $AGENTS; do
    for mode in $MODES; do
      rm -rf "$WORK/work"
      cp -a "$WORK/pristine" "$WORK/work"
      say "round $r/$ROUNDS: $mode, $n agents, ${DURATION}s"
      "$RUNNER" --mode "$mode" --agents "$n" --records "$WORK/records/$mode.$n.$r" \
        --tg "$TG" --task "$TASK" --lock "$WORK/tw.lock" --total "$SIZE" --duration "$DURATION"
      if [[ $mode != tw ]]; then  # every series leaves a graph that tg doctor finds clean
        "$TG" doctor >/dev/null || { say "tg doctor found problems after $mode/$n"; exit 1; }
      fi
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

stats() { "$RUNNER" --stats --label "$1.$2" "$WORK/records/$1.$2".*; }
for mode in $MODES; do
  for n in $AGENTS; do stats "$mode" "$n"; done
done >"$WORK/stats.tsv"

# col <kind: series|latency|lockwait> <label> <field number> [<latency kind>]
col() {
  awk -F'\t' -v t="$1" -v l="$2" -v c="$3" -v k="${4:-}" \
    '$1 == t && $2 == l && (k == "" || $3 == k) { print $c; f = 1 } END { if (!f) print "-" }' \
    "$WORK/stats.tsv"
}

commit=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
echo "## tg agents benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- tg commit: \`$commit\`; build: Release, -O2, static; Taskwarrior $("$TASK" --version)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "kernel $(uname -r); graph on $(df --output=fstype "$WORK" | tail -1)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "- $SIZE-task graph (100 runnable at a time), $ROUNDS series of ${DURATION}s per cell, pooled;" \
  "milliseconds, whole process, spawn to exit"
echo
echo "| loop | agents | commands/s | tasks done/s | errors | lost races | p50 all | p99 all |" \
  "p50 start | p99 start | p99 note | p99 done |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in $MODES; do
  start=start
  [[ $mode == claim ]] && start=claim
  note=note
  [[ $mode == tw ]] && note=annotate
  for n in $AGENTS; do
    l=$mode.$n
    echo "| $mode | $n | $(col series "$l" 7) | $(col series "$l" 9) | $(col series "$l" 10) |" \
      "$(col series "$l" 11) | $(col latency "$l" 5 all) | $(col latency "$l" 7 all) |" \
      "$(col latency "$l" 5 $start) | $(col latency "$l" 7 $start) |" \
      "$(col latency "$l" 7 $note) | $(col latency "$l" 7 done) |"
  done
done
echo
echo "Writers' lock waits reported by tg (\`TG_TRACE=1\`), all write commands of the cell:"
echo
echo "| loop | agents | writes | share that waited | p50 | p90 | p99 | max | max / p50 of waits |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in $MODES; do
  [[ $mode == tw ]] && continue
  for n in $AGENTS; do
    l=$mode.$n
    p50w=$(col lockwait "$l" 10)
    mx=$(col lockwait "$l" 8)
    ratio=$(awk -v a="$p50w" -v b="$mx" 'BEGIN { if (a > 0) printf "%.1f", b / a; else print "-" }')
    echo "| $mode | $n | $(col lockwait "$l" 3) | $(col lockwait "$l" 4) | $(col lockwait "$l" 5) |" \
      "$(col lockwait "$l" 6) | $(col lockwait "$l" 7) | $mx | $ratio |"
  done
done
echo
echo "Raw pooled figures (\`agents --stats\`):"
echo
echo '```'
cat "$WORK/stats.tsv"
echo '```'
