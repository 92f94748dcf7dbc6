#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian 12's packages.
# Idempotent: apt-get skips what is already installed. Needs root (or sudo).
set -euo pipefail
pkgs=(
  build-essential cmake ninja-build pkg-config clang-format
  libsqlite3-dev            # the embedded store (with the session extension)
  libpq-dev                 # the PostgreSQL store: libpq's header (libpq5 is loaded at run time)
  postgresql                # the pg test label's throwaway server (initdb, pg_ctl, psql)
  pgbouncer                 # a transaction-mode pooler in front of it (the pooler test)
  openssl                   # the TLS test's throwaway certificate authority
  libcli11-dev              # command-line parsing
  nlohmann-json3-dev        # JSON output, event bodies, --checks
  libyaml-dev               # plan files (YAML frontmatter): the C parser, fast and exact
  libmimalloc-dev           # the allocator tg links: a large import's allocations cost a tenth less
  libfmt-dev                # formatting (GCC 12 has no <format>)
  libgtest-dev libgmock-dev # unit and CLI tests
  libbenchmark-dev          # in-process micro-benchmarks
  taskwarrior hyperfine     # the peer we benchmark against, and its timer
  graphviz                  # `tg export svg|html` run its dot; tests check `tg export dot` with it
  tmux                      # the dashboard's tests run it in a real terminal (capture-pane)
  chromium                  # the HTML export's test loads the page in headless Chromium
  sqlite3                   # doctor tests damage a store behind tg's back with the sqlite3 shell
  util-linux                # setpriv, for tests that must not run as root
  git                       # start --worktree / done --merge run it; the worktree tests use it
  clang-16 libclang-rt-16-dev  # libFuzzer + sanitizers for the plan-parser fuzz target
)
# The MCP SDK tests run on Node.js (Debian 12: nodejs 18 and npm). A machine that already has
# a node with npm (another packaging, e.g. Node 20) keeps it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  pkgs+=(nodejs npm)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
