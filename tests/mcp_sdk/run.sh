#!/usr/bin/env bash
# Runs one SDK test file with node's test runner against a built tg.
# Usage: tests/mcp_sdk/run.sh TG_BIN SDK_DIR TEST_FILE
# Exits 77 (CTest: skipped) with a clear line when node or the installed SDK is missing:
# scripts/install-mcp-sdk.sh BUILD_DIR installs it (scripts/test.sh does). Under CI (CI=true)
# a missing SDK is a failure, not a skip: CI must run these.
set -euo pipefail
tg="$1" sdk="$2" file="$3"
skip() {
  if [ "${CI:-}" = true ]; then
    echo "FAILED: $1 (CI must run the MCP SDK tests)"
    exit 1
  fi
  echo "SKIPPED: $1"
  exit 77
}
if ! command -v node >/dev/null; then
  skip "node is not installed (scripts/deps.sh installs Debian's nodejs and npm)"
fi
if [ ! -f "${sdk}/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
  skip "the MCP SDK is not installed in ${sdk}; run scripts/install-mcp-sdk.sh $(dirname "${sdk}")"
fi
export TG_BIN="${tg}" TG_MCP_SDK_DIR="${sdk}"
exec node --test "${file}"
