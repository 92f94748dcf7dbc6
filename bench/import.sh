#!/usr/bin/env bash
# bench/import.sh: how long plans take to come in.
#
#   1. one generated cursor plan of 5,000 todos (chains of 10 with cross links, 5,212 edges) into
#      an empty graph, then the same file again (a re-import that changes nothing);
#   2. the whole real corpus (../shared/corpus/taskgraph-plans/, 146 files, one `tg import`
#      process each) into one empty graph, then all of it again.
# Times come from hyperfine (whole processes; each run starts from a fresh `tg init` where the
# series needs one) and are printed as a markdown report.
#
# Knobs (environment): RUNS (default 10), CORPUS (folder of plan files), BUILD, SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
RUNS=${RUNS:-10}
CORPUS=${CORPUS:-$ROOT/../shared/corpus/taskgraph-plans}
TODOS=5000

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
need hyperfine hyperfine
build_bench tg
TG=$BUILD/tg

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-import.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home TG_AGENT=bench
unset TG_NOW TG_LOCK_TIMEOUT
mkdir -p "$HOME"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# The generated plan: todo k is blocked by k-1 inside chains of 10, and every 7th todo also by
# the one 15 before it, so the importer resolves forward references, checks cycles and
# materialises blocked status on a deep graph.
plan=$WORK/big-plan.md
awk -v n="$TODOS" 'BEGIN {
  print "---"; print "name: Generated plan of " n " todos"
  print "overview: |"; print "  A plan as large as any team writes, to time the importer."
  print "todos:"
  for (k = 1; k <= n; k++) {
    printf "  - id: step-%d\n    content: Step %d of the generated plan\n", k, k
    printf "    changeType: %s\n", (k % 3 == 0 ? "test" : "modify")
    b = ""
    if (k % 10 != 1) b = "step-" (k - 1)
    if (k % 7 == 0 && k > 15) b = b (b == "" ? "" : ", ") "step-" (k - 15)
    if (b != "") printf "    blockedBy: [%s]\n", b
  }
  print "---"
}' >"$plan"

# One series: hyperfine's CSV summary gives median, min and max (seconds); we keep them in ms.
series() {  # series <key> <prepare command> <command>
  hyperfine --style none --runs "$RUNS" --warmup 1 --prepare "$2" --export-csv "$WORK/$1.csv" \
    "$3" >/dev/null 2>&1 || { say "series $1 failed: $3"; hyperfine --runs 1 --prepare "$2" "$3"; exit 1; }
  # The command column may hold commas; the numbers are the last seven fields.
  awk -F, -v k="$1" -v n="$RUNS" 'NR == 2 {
    printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", k, $(NF-4) * 1e3, $(NF-1) * 1e3, $NF * 1e3, n }' \
    "$WORK/$1.csv" >>"$WORK/results.tsv"
}

G=$WORK/g
fresh="rm -rf $G && mkdir -p $G && TG_DIR=$G $TG init >/dev/null"
export TG_DIR=$G
: >"$WORK/results.tsv"

say "import of $TODOS generated todos"
series big_import "$fresh" "$TG import $plan --plan big"
# The graph left by the last run is the one the re-import series works on.
series big_reimport "true" "$TG import $plan --plan big"
tasks=$("$TG" status --tasks --all --json | grep -c '"task_id"' || true)

corpus_line=
if [[ -d $CORPUS ]]; then
  files=$(find "$CORPUS" -maxdepth 1 -name '*.md' | sort)
  nfiles=$(echo "$files" | wc -l)
  echo "$files" >"$WORK/corpus.list"
  # Malformed files fail with exit 6, which the loop expects; anything else stops the series.
  # --lenient: one corpus file has keys tg refuses by default (docs/plan-format.md).
  loop="while read -r f; do $TG import --lenient \"\$f\" >/dev/null 2>&1 || [ \$? -eq 6 ] || exit 1; done <$WORK/corpus.list"
  say "import of the corpus ($nfiles files, one process each)"
  series corpus_import "$fresh" "bash -c '$loop'"
  series corpus_reimport "true" "bash -c '$loop'"
  corpus_line="$nfiles files from \`$(cd "$CORPUS" && pwd)\`"
else
  say "no corpus at $CORPUS: skipping the corpus series"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

field() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k { print $c }' "$WORK/results.tsv"; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "" && v <= t ? "met" : "**missed**") }'; }
commit=${COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
echo "## tg import benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- tg commit: \`$commit\`; build: Release, -O2, static; graph on $(df --output=fstype "$WORK" | tail -1)"
echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "kernel $(uname -r)"
echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "- hyperfine, $RUNS runs per series after one warm-up; milliseconds, whole process(es)"
echo "- generated plan: $TODOS todos, $(wc -c <"$plan") bytes; graph after import: $tasks tasks"
[[ -n $corpus_line ]] && echo "- corpus: $corpus_line"
echo
echo "| series | median | min | max | runs |"
echo "|---|---:|---:|---:|---:|"
while IFS='|' read -r key label; do
  [[ -n $(field "$key" 2) ]] || continue
  echo "| $label | $(field "$key" 2) | $(field "$key" 3) | $(field "$key" 4) | $(field "$key" 5) |"
done <<'EOF'
big_import|`tg import` of 5,000 todos into an empty graph
big_reimport|the same file again (nothing changes, no commit)
corpus_import|the whole corpus, one process per file, into an empty graph
corpus_reimport|the whole corpus again (nothing changes)
EOF
echo
echo "| target | measured | verdict |"
echo "|---|---:|---|"
echo "| 5,000 todos ≤ 1 s | $(field big_import 2) ms | $(verdict "$(field big_import 2)" 1000) |"
if [[ -n $corpus_line ]]; then
  echo "| whole corpus ≤ 3 s | $(field corpus_import 2) ms | $(verdict "$(field corpus_import 2)" 3000) |"
fi
