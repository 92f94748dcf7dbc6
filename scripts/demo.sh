#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds tg, and runs it on a real example in a scratch
# folder: a plan with dependencies, two agents claiming and finishing work, next and status.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh >/dev/null
tg="$PWD/build/tg"
demo=$(mktemp -d -t tg-demo-XXXXXX)
cd "$demo"
run() { echo; echo "\$ tg $*"; "$tg" "$@"; }

run init
run plan new "Import pipeline" --intent "Read plan files into the graph" --priority 1
schema=$("$tg" task new "Define the schema" --plan "Import pipeline" --estimate 30 --json | sed -n 's/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p')
parser=$("$tg" task new "Write the parser" --plan "Import pipeline" --estimate 90 --json | sed -n 's/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p')
cli=$("$tg" task new "Wire the CLI" --plan "Import pipeline" --json | sed -n 's/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p')
docs=$("$tg" task new "Document the format" --plan "Import pipeline" --risk low --json | sed -n 's/.*"hash_id": "\(tg-[0-9a-f]*\)".*/\1/p')
run edge add "$schema" blocks "$parser"
run block "$cli" --on "$parser"
run next --human
run start "$schema" --agent alice
run start "$schema" --agent bob || true
run note "$schema" --msg "columns agreed with the team" --agent alice
run done "$schema" --evidence "schema.sql reviewed; migrations pass" --agent alice
run next --human
run start "$parser" "$docs" --agent bob
run status --human
run log
echo
echo "The graph lives in $demo/.taskgraph (remove it when done)."
