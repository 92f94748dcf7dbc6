#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds tg, and runs it on a real example in a scratch
# folder: a plan file imported into a new graph, two agents claiming and finishing work, the
# agent context, status, history, and the plan exported back.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh >/dev/null
tg="$PWD/build/tg"
plan="$PWD/docs/examples/release-checklist.md"
demo=$(mktemp -d -t tg-demo-XXXXXX)
cd "$demo"
run() { echo; echo "\$ tg $*"; "$tg" "$@"; }

run init
run import "$plan"
run next --human
migration=$("$tg" next --claim --agent alice --json | sed -n 's/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p')
echo; echo "\$ tg next --claim --agent alice   # picks and claims in one step: $migration"
run start "$migration" --agent bob || true
run context "$migration" --human
run note "$migration" --msg "old stores keep their ids; tested on three copies" --agent alice
run done "$migration" --evidence "migration tests pass on 3 real stores" --agent alice
run next --human
run status --human
run log --limit 5
run export markdown --plan "Release 1.2"
echo
echo "The graph lives in $demo/.taskgraph (remove it when done)."
