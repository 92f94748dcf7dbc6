#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (CTest label `pg`): a cluster in the build tree,
# listening only on a Unix socket in its own folder (no TCP port, nothing under $HOME), with
# durability off (fsync, synchronous_commit: a test database is thrown away anyway). Each test
# creates its own database on it (tests/support/sandbox.cc) and drops it at the end.
#
# Usage: scripts/pg-test-server.sh start|stop|status [folder]   (folder: build/pg-test)
# `start` prints the socket folder, which the tests take from TG_TEST_PG.
#
# PostgreSQL refuses to run as root; as root (CI) the server runs as the unprivileged user
# tg-pgtest, created when missing, via setpriv(1).
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-}
dir=$(realpath -m "${2:-build/pg-test}")
bin=/usr/lib/postgresql/15/bin
data=$dir/data
sock=$dir/sock
user=tg-pgtest

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid="$user" --regid="$user" --clear-groups --reset-env -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      echo "pg-test-server: $bin/initdb not found; install Debian's postgresql (scripts/deps.sh)" >&2
      exit 1
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      id "$user" >/dev/null 2>&1 ||
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
      chown "$user:" "$dir"
      # The server user must reach its folder through the build tree.
      p=$dir
      while [ "$p" != / ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
    fi
    if as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "$sock"
      exit 0
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      as_owner "$bin/initdb" -D "$data" -U tg --auth=trust --no-sync --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner mkdir -p "$sock"
    # Connections: ctest -j16, each test up to 32 tg processes (the race tests).
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=600 -c shared_buffers=64MB \
-c max_locks_per_transaction=128" start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    echo "$sock"
    ;;
  stop)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    ;;
  status)
    as_owner "$bin/pg_ctl" -D "$data" status
    ;;
  *)
    echo "usage: $0 start|stop|status [folder]" >&2
    exit 2
    ;;
esac
