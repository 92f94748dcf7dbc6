#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (CTest label `pg`): a cluster in the build tree,
# listening only on a Unix socket in its own folder (no TCP port, nothing under $HOME), with
# durability off (fsync, synchronous_commit: a test database is thrown away anyway). Each test
# creates its own database on it (tests/support/sandbox.cc) and drops it at the end.
#
# Usage: scripts/pg-test-server.sh start|stop|status [folder] [--tls]   (folder: build/pg-test)
# `start` prints the socket folder, which the tests take from TG_TEST_PG. With Debian's
# pgbouncer installed it also starts PgBouncer in transaction mode, socket in FOLDER/pool,
# port 6432.
#
# `start FOLDER --tls` is a second kind of server, for the TLS tests: it also listens on TCP
# 127.0.0.1 (a free port), accepts TCP connections only over TLS (pg_hba: hostssl), with a
# certificate for 127.0.0.1/localhost signed by a throwaway authority (FOLDER/ca.crt; a second,
# unrelated one in FOLDER/other-ca.crt). It prints "SOCKET_FOLDER PORT".
#
# PostgreSQL refuses to run as root; as root (CI) the server runs as the unprivileged user
# tg-pgtest, created when missing, via setpriv(1).
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-}
dir=$(realpath -m "${2:-build/pg-test}")
tls=${3:-}
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

# A throwaway certificate authority, a server certificate it signs for 127.0.0.1 and
# localhost (in the data folder, where PostgreSQL looks for server.crt and server.key), and a
# second authority that signed nothing; TCP connections must use TLS.
make_tls() {
  local t=$dir/tls-make
  mkdir -p "$t"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=tg test authority" \
    -keyout "$t/ca.key" -out "$dir/ca.crt" >/dev/null 2>&1
  openssl req -x509 -newkey rsa:2048 -nodes -days 3 -subj "/CN=tg other authority" \
    -keyout "$t/other.key" -out "$dir/other-ca.crt" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$t/server.key" \
    -out "$t/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$t/ext"
  openssl x509 -req -in "$t/server.csr" -CA "$dir/ca.crt" -CAkey "$t/ca.key" \
    -CAcreateserial -days 3 -extfile "$t/ext" -out "$t/server.crt" >/dev/null 2>&1
  cp "$t/server.crt" "$t/server.key" "$data/"
  rm -rf "$t"
  chmod 600 "$data/server.key"
  printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n' \
    >"$data/pg_hba.conf"
  chmod 644 "$dir/ca.crt" "$dir/other-ca.crt"
  if [ "$(id -u)" -eq 0 ]; then chown "$user:" "$data/server.crt" "$data/server.key" "$data/pg_hba.conf"; fi
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
      if [ "$tls" = --tls ]; then echo "$sock $(cat "$dir/port")"; else echo "$sock"; fi
      exit 0
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      as_owner "$bin/initdb" -D "$data" -U tg --auth=trust --no-sync --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      [ "$tls" = --tls ] && make_tls
    fi
    as_owner mkdir -p "$sock"
    if [ "$tls" = --tls ]; then
      # A free port: another server may hold the one tried; PostgreSQL then refuses to start,
      # saying so in its log. Any other failure (a start slower than pg_ctl's wait, on a loaded
      # machine) is not retried: the server may still be coming up in that data folder.
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 40000))
        as_owner truncate -s 0 "$dir/server.log" 2>/dev/null || true
        if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 300 \
          -o "-c listen_addresses='127.0.0.1' -c port=$port -c ssl=on \
-c unix_socket_directories='$sock' -c fsync=off -c synchronous_commit=off -c max_connections=40" \
          start >/dev/null; then
          echo "$port" >"$dir/port"
          echo "$sock $port"
          exit 0
        fi
        grep -q 'could not bind\|Address already in use' "$dir/server.log" || break
      done
      tail -20 "$dir/server.log" >&2
      exit 1
    fi
    # Connections: ctest -j16, each test up to 32 tg processes (the race tests).
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 300 \
      -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=600 -c shared_buffers=64MB \
-c max_locks_per_transaction=128" start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    # PgBouncer in transaction mode in front of it, when installed (scripts/deps.sh): two server
    # connections shared by all clients, so consecutive transactions of one client run on
    # different server processes (the pooler test in tests/unit/store/guard_test.cc).
    if bouncer=$(command -v pgbouncer); then
      pool=$dir/pool
      as_owner mkdir -p "$pool"
      printf '%s\n' "[databases]" "* = host=$sock user=tg" "[pgbouncer]" "listen_addr =" \
        "unix_socket_dir = $pool" "listen_port = 6432" "auth_type = trust" \
        "auth_file = $pool/users.txt" "pool_mode = transaction" "default_pool_size = 2" \
        "max_client_conn = 200" "logfile = $pool/pgbouncer.log" "pidfile = $pool/pgbouncer.pid" \
        | as_owner tee "$pool/pgbouncer.ini" >/dev/null
      echo '"tg" ""' | as_owner tee "$pool/users.txt" >/dev/null
      as_owner "$bouncer" -d "$pool/pgbouncer.ini" >/dev/null 2>&1 ||
        { tail -5 "$pool/pgbouncer.log" >&2 || true; exit 1; }
      # It daemonizes before it listens: the tests start once the socket is there.
      for _ in $(seq 100); do [ -S "$pool/.s.PGSQL.6432" ] && break; sleep 0.05; done
      [ -S "$pool/.s.PGSQL.6432" ] ||
        { echo "pg-test-server: PgBouncer did not listen in $pool" >&2; tail -5 "$pool/pgbouncer.log" >&2 || true; exit 1; }
    fi
    echo "$sock"
    ;;
  stop)
    if [ -f "$dir/pool/pgbouncer.pid" ]; then
      kill "$(cat "$dir/pool/pgbouncer.pid")" 2>/dev/null || true
      rm -f "$dir/pool/pgbouncer.pid"
    fi
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
