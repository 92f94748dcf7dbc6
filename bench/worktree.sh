#!/usr/bin/env bash
# bench/worktree.sh: what discovery from a linked git worktree costs `tg next`.
#
# One repository whose main worktree holds a graph of 1,000 tasks (tracked config.json, as a
# team would commit it), and a linked worktree of it. `tg next --json` is timed by hyperfine
# (whole processes) in the main worktree, in the linked worktree's top, three folders deep in
# it, and with TG_DIR naming the graph (no discovery at all). Prints a markdown table of
# medians and their ratio to the main worktree's.
#
# Knobs (environment): ROUNDS (default 5), RUNS per round (default 40), TASKS (default 1000),
# BUILD, SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=${RUNS:-40}
ROUNDS=${ROUNDS:-5}
TASKS=${TASKS:-1000}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
need hyperfine hyperfine
need git git
build_bench tg
TG=$BUILD/tg

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-worktree.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home TG_AGENT=bench GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost
unset TG_NOW TG_LOCK_TIMEOUT TG_DIR
mkdir -p "$HOME"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

main=$WORK/repo linked=$WORK/linked
git init -q -b main "$main"
(cd "$main" && "$TG" init >/dev/null && git add .taskgraph && git commit -qm "tg settings")
plan=$WORK/plan.md
awk -v n="$TASKS" 'BEGIN {
  print "---"; print "name: Bench"; print "todos:"
  for (k = 1; k <= n; k++) {
    printf "  - id: t%d\n    content: Task %d\n", k, k
    if (k % 10 != 1) printf "    blockedBy: [t%d]\n", k - 1
  }
  print "---"
}' >"$plan"
(cd "$main" && "$TG" import "$plan" >/dev/null)
git -C "$main" worktree add -q -b feature "$linked"
mkdir -p "$linked/src/a/b"
# Every place must see the same graph, or the comparison means nothing.
for d in "$main" "$linked" "$linked/src/a/b"; do
  n=$(cd "$d" && "$TG" next --json --limit 1000 | jq length)
  [[ $n == $((TASKS / 10)) ]] || { say "$d sees $n runnable tasks, not $((TASKS / 10))"; exit 1; }
done

say "timing tg next --json ($ROUNDS rounds of $RUNS runs each)"
# Short interleaved rounds rather than one long series per place: the machine's load changes
# over minutes, and interleaving spreads it over all four alike.
for ((round = 1; round <= ROUNDS; round++)); do
  hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$WORK/round$round.json" \
    -n main "env -C $WORK $TG next --json --dir $main" \
    -n main-discovered "env -C $main $TG next --json" \
    -n linked "env -C $linked $TG next --json" \
    -n linked-deep "env -C $linked/src/a/b $TG next --json" >/dev/null
done
# Per place: the median and minimum of every sample of every round, in ms.
stats=$(jq -s -r '[.[].results[]] | group_by(.command) | .[] |
  (map(.times[]) | sort) as $t | [.[0].command, ($t[($t | length) / 2 | floor] * 1000),
  ($t[0] * 1000)] | @tsv' "$WORK"/round*.json)

echo "# tg next from a linked worktree"
echo
echo "- $(nproc) cores, $(uname -r), load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $TASKS tasks ($((TASKS / 10)) runnable), $ROUNDS interleaved rounds of $RUNS runs per place: \`ROUNDS=$ROUNDS RUNS=$RUNS bench/worktree.sh\`"
echo
echo "| where | median ms | min ms | median / main-discovered |"
echo "|---|---:|---:|---:|"
base=$(awk -F'\t' '$1 == "main-discovered" { print $2 }' <<<"$stats")
for name in main main-discovered linked linked-deep; do
  awk -F'\t' -v n="$name" -v b="$base" '$1 == n { printf "| %s | %.2f | %.2f | %.2f |\n", n, $2, $3, $2 / b }' <<<"$stats"
done
# Instructions (callgrind) and system calls (strace) of one run: deterministic, unlike the clock.
echo
echo "One \`tg next --json\`: instructions (\`valgrind --tool=callgrind\`) and system calls"
echo "(\`strace -f -c\`; file calls: \`-e trace=%file\`):"
echo
echo "| where | instructions | system calls | file calls |"
echo "|---|---:|---:|---:|"
for place in "main-discovered $main" "linked $linked" "linked-deep $linked/src/a/b"; do
  read -r name dir <<<"$place"
  ir=- all=- files=-
  if command -v valgrind >/dev/null; then
    ir=$(cd "$dir" && valgrind --tool=callgrind --callgrind-out-file=/dev/null "$TG" next --json \
      2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
  fi
  if command -v strace >/dev/null; then
    all=$(cd "$dir" && strace -f -qq -c -o "$WORK/st" "$TG" next --json >/dev/null &&
      awk '/total/ { print $4 }' "$WORK/st")
    files=$(cd "$dir" && strace -f -qq -o "$WORK/st" -e trace=%file "$TG" next --json >/dev/null &&
      grep -c . "$WORK/st")
  fi
  echo "| $name | $ir | $all | $files |"
done
echo
echo "main: --dir names the graph (no walk); main-discovered: found from the main worktree;"
echo "linked: from the linked worktree's top (its tracked .taskgraph/ has no database);"
echo "linked-deep: three folders below that. Each runs through \`env -C <folder>\` (coreutils)."
