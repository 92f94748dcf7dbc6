#!/usr/bin/env bash
# bench/worktree.sh: what discovery from a linked git worktree costs `tg next`.
#
# One repository whose main worktree holds a graph of 1,000 tasks (tracked config.json, as a
# team would commit it), and a linked worktree of it. `tg next --json` is timed by hyperfine
# (whole processes) in the main worktree, in the linked worktree's top, three folders deep in
# it, and with TG_DIR naming the graph (no discovery at all). Prints a markdown table of
# medians and their ratio to the main worktree's.
#
# Knobs (environment): RUNS (default 200), TASKS (default 1000), BUILD, SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=${RUNS:-200}
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

say "timing tg next --json ($RUNS runs each)"
csv=$WORK/next.csv
hyperfine -N --warmup 20 --runs "$RUNS" --export-csv "$csv" \
  -n main "env -C $WORK $TG next --json --dir $main" \
  -n main-discovered "env -C $main $TG next --json" \
  -n linked "env -C $linked $TG next --json" \
  -n linked-deep "env -C $linked/src/a/b $TG next --json" >/dev/null

echo "# tg next from a linked worktree"
echo
echo "- $(nproc) cores, $(uname -r), load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $TASKS tasks ($((TASKS / 10)) runnable), $RUNS runs each after 20 warm-ups: \`RUNS=$RUNS bench/worktree.sh\`"
echo
echo "| where | median ms | min ms | ratio to main (discovered) |"
echo "|---|---:|---:|---:|"
awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4 * 1000; min[NR] = $7 * 1000; if ($1 == "main-discovered") base = $4 * 1000 }
  END { for (i = 2; i <= NR; i++) printf "| %s | %.2f | %.2f | %.2f |\n", name[i], med[i], min[i], med[i] / base }' "$csv"
echo
echo "main: --dir names the graph (no walk); main-discovered: found from the main worktree;"
echo "linked: from the linked worktree's top (its tracked .taskgraph/ has no database);"
echo "linked-deep: three folders below that. Each runs through \`env -C <folder>\` (coreutils)."
