#!/usr/bin/env bash
# bench/pg.sh [--quick]: the same graph on SQLite and on PostgreSQL (a local throwaway server,
# Unix socket, scripts/pg-test-server.sh), side by side:
#   latency  whole-process `tg next`, `tg show`, `tg start` (then an unmeasured `release`) and
#            `tg done` (of a task an unmeasured `start` claimed), median and p90 of RUNS runs,
#            interleaved store by store
#   claims   AGENTS processes draining TASKS todos with `tg next --claim` at once: claims/s,
#            median and p99 claim latency, failed commands, and a check that no task was
#            claimed twice
# With PgBouncer installed (Debian's pgbouncer), every measurement runs a third time through it
# ("pool": session pooling in front of the same server), which keeps server processes warm
# between tg's short-lived connections.
# Prints a markdown report. Knobs: BUILD (default build/), RUNS, TASKS, AGENTS="1 4 16 32",
# POOL=0 (leave PgBouncer out).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
TG=$BUILD/tg
[[ -x $BUILD/bench/agents ]] || { echo "bench/pg.sh: build the agents benchmark first: ninja -C $BUILD bench/agents" >&2; exit 1; }
if [[ ${1:-} == --quick ]]; then RUNS=${RUNS:-30} TASKS=${TASKS:-200}; else
  RUNS=${RUNS:-200} TASKS=${TASKS:-1000}; fi
AGENTS=${AGENTS:-"1 4 16 32"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tg-pgbench.XXXXXX")
chmod 755 "$WORK"
SOCK=$("$ROOT/scripts/pg-test-server.sh" start "$WORK/pg")
STORES="sqlite pg"
if [[ ${POOL:-1} != 0 ]] && command -v pgbouncer >/dev/null; then
  mkdir -p "$WORK/pool/sock"
  printf '%s\n' "[databases]" "* = host=$SOCK user=tg" "[pgbouncer]" "listen_addr =" \
    "unix_socket_dir = $WORK/pool/sock" "listen_port = 6432" "auth_type = trust" \
    "auth_file = $WORK/pool/users.txt" "pool_mode = session" "max_client_conn = 500" \
    "default_pool_size = 80" "logfile = $WORK/pool/pgbouncer.log" \
    "pidfile = $WORK/pool/pgbouncer.pid" >"$WORK/pool/pgbouncer.ini"
  echo '"tg" ""' >"$WORK/pool/users.txt"
  # PgBouncer refuses to run as root: as root it runs as the test server's user.
  if [[ $(id -u) == 0 ]]; then
    chown -R tg-pgtest: "$WORK/pool"
    setpriv --reuid=tg-pgtest --regid=tg-pgtest --clear-groups -- \
      pgbouncer -d "$WORK/pool/pgbouncer.ini"
  else
    pgbouncer -d "$WORK/pool/pgbouncer.ini"
  fi
  STORES="sqlite pg pool"
fi
stop_all() {
  if [[ -f $WORK/pool/pgbouncer.pid ]]; then kill "$(cat "$WORK/pool/pgbouncer.pid")" || true; fi
  "$ROOT/scripts/pg-test-server.sh" stop "$WORK/pg"
  rm -rf "$WORK"
}
trap stop_all EXIT
export HOME=$WORK/home TZ=UTC
unset TG_NOW TG_LOCK_TIMEOUT TG_AGENT TG_DATABASE_URL
mkdir -p "$HOME"
createdb() { /usr/lib/postgresql/15/bin/createdb -h "$SOCK" -U tg "$1"; }
ms() { date +%s%N; }

# graph STORE DIR COUNT: a graph with COUNT todos in one plan.
graph() {
  local store=$1 dir=$2 n=$3
  mkdir -p "$dir"
  if [[ $store == pg || $store == pool ]]; then
    local db="bench_$(basename "$dir")" url
    createdb "$db"
    url="postgresql:///$db?host=$SOCK&user=tg"
    [[ $store == pool ]] && url="postgresql:///$db?host=$WORK/pool/sock&port=6432&user=tg"
    TG_DIR=$dir "$TG" init --database-url "$url" >/dev/null
  else
    TG_DIR=$dir "$TG" init >/dev/null
  fi
  {
    printf -- '---\nname: Bench\ntodos:\n'
    for ((i = 0; i < n; i++)); do printf '  - id: t%d\n    content: task %d\n' "$i" "$i"; done
    printf -- '---\n'
  } >"$dir.md"
  TG_DIR=$dir "$TG" import "$dir.md" >/dev/null
}

# stats FILE: "median p90 p99" of the numbers in FILE (ms, one decimal).
stats() {
  sort -n "$1" | awk '{a[NR]=$1} END {printf "%.1f %.1f %.1f", a[int(NR*0.5)+1]/1e6,
    a[int(NR*0.9)+1]/1e6, a[int(NR*0.99)+1]/1e6}'
}

echo "## tg on SQLite and PostgreSQL ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
name() { case $1 in sqlite) echo SQLite ;; pg) echo PostgreSQL ;; pool) echo "PostgreSQL via PgBouncer" ;; esac; }
head="| command |"; rule="|---|"
for s in $STORES; do head+=" $(name "$s") median / p90 ms |"; rule+="---|"; done
for s in $STORES; do [[ $s != sqlite ]] && head+=" $s / sqlite |" && rule+="---|"; done
echo "$head"; echo "$rule"
for s in $STORES; do graph "$s" "$WORK/lat-$s" "$TASKS"; done
# Task ids in next's order: the first for next/show/start, one more per `done` run.
for s in $STORES; do
  mapfile -t "ids_$s" < <(TG_DIR=$WORK/lat-$s "$TG" next --json --limit $((RUNS + 1)) |
    grep -o '"hash_id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
done
for cmd in next show write done; do
  for s in $STORES; do : >"$WORK/$cmd.$s"; done
  for ((i = 0; i < RUNS; i++)); do
    for s in $STORES; do
      declare -n ids="ids_$s"
      t=${ids[0]}
      case $cmd in
        next) args=(next --json --limit 5) ;;
        show) args=(show "$t" --json) ;;
        write) args=(start "$t") ;;
        done)
          t=${ids[i + 1]}
          TG_DIR=$WORK/lat-$s TG_AGENT=bench "$TG" start "$t" >/dev/null
          args=(done "$t" --evidence bench) ;;
      esac
      unset -n ids
      a=$(ms); TG_DIR=$WORK/lat-$s TG_AGENT=bench "$TG" "${args[@]}" >/dev/null; b=$(ms)
      echo $((b - a)) >>"$WORK/$cmd.$s"
      if [[ $cmd == write ]]; then TG_DIR=$WORK/lat-$s "$TG" release "$t" >/dev/null; fi
    done
  done
  label=$cmd; [[ $cmd == write ]] && label="start (a write)"
  row="| \`tg $label\` |"
  read -r base _ _ <<<"$(stats "$WORK/$cmd.sqlite")"
  for s in $STORES; do read -r m p _ <<<"$(stats "$WORK/$cmd.$s")"; row+=" $m / $p |"; done
  for s in $STORES; do
    [[ $s == sqlite ]] && continue
    read -r m _ _ <<<"$(stats "$WORK/$cmd.$s")"
    row+=" $(awk "BEGIN {printf \"%.1f\", $m / $base}") |"
  done
  echo "$row"
done

echo
echo "| agents | store | claims/s | claim median / p99 ms | errors | double claims |"
echo "|---|---|---|---|---|---|"
for n in $AGENTS; do
  for s in $STORES; do
    dir=$WORK/claim-$s-$n
    graph "$s" "$dir" "$TASKS"
    rm -f "$WORK/claims.$s.$n" "$WORK"/errors."$s"."$n".*
    a=$(ms)
    for ((g = 0; g < n; g++)); do
      (
        errs=0
        while :; do
          x=$(ms)
          if ! out=$(TG_DIR=$dir TG_AGENT=agent-$g "$TG" next --claim --json 2>/dev/null); then
            echo x >>"$WORK/errors.$s.$n.$g"
            errs=$((errs + 1)); if ((errs > 50)); then break; fi
            continue
          fi
          y=$(ms)
          [[ $out == "[]" ]] && break
          echo $((y - x)) >>"$WORK/claims.$s.$n.$g"
        done
      ) &
    done
    wait
    b=$(ms)
    cat "$WORK"/claims."$s"."$n".* >"$WORK/claims.$s.$n"
    claims=$(wc -l <"$WORK/claims.$s.$n")
    doing=$(TG_DIR=$dir "$TG" status --tasks --json | grep -o '"status": *"doing"' | wc -l)
    read -r med _ p99 <<<"$(stats "$WORK/claims.$s.$n")"
    rate=$(awk "BEGIN {printf \"%.0f\", $claims / (($b - $a) / 1e9)}")
    errors=$(find "$WORK" -name "errors.$s.$n.*" -exec cat {} + | wc -l)
    echo "| $n | $s | $rate | $med / $p99 | $errors | $((claims - doing)) (of $claims claims, $doing doing) |"
  done
done

# The same drain as an agent harness runs it: each agent one long-lived `tg mcp` (its store
# connection stays open), claiming, noting and finishing (bench/agents --mode mcp). No agent
# waits for a process to start or a server connection to open.
echo
echo "Over MCP, each agent one \`tg mcp\` server calling tg_claim_next, tg_note, tg_done in a loop:"
echo
echo "| agents | store | tasks/s | claim median / p99 ms | every call p99 ms | server CPU ms per task | errors (double claims included) |"
echo "|---|---|---|---|---|---|---|"
for n in $AGENTS; do
  for s in $STORES; do
    dir=$WORK/mcp-$s-$n
    graph "$s" "$dir" "$TASKS"
    rec=$WORK/mcp.$s.$n.tsv
    TG_DIR=$dir "$BUILD/bench/agents" --mode mcp --agents "$n" --records "$rec" --tg "$TG" \
      --total "$TASKS" --duration 600 >/dev/null 2>>"$WORK/mcp.err" || true
    "$BUILD/bench/agents" --stats "$rec" >"$rec.stats"
    awk -F'\t' -v n="$n" -v s="$s" '
      $1 == "series" { rate = $9; errors = $10; cpu = $13 }
      $1 == "latency" && $3 == "claim" { claim = $5 " / " $7 }
      $1 == "latency" && $3 == "all" { all = $7 }
      END { printf "| %s | %s | %.0f | %s | %s | %s | %s |\n", n, s, rate, claim, all, cpu, errors }' \
      "$rec.stats"
  done
done
if [[ -s $WORK/mcp.err ]]; then echo; echo "agents reported:"; head -5 "$WORK/mcp.err"; fi
