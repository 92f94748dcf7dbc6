#!/usr/bin/env bash
# Installs the official MCP TypeScript SDK client, at the version pinned in
# tests/mcp_sdk/package-lock.json, into BUILD_DIR/mcp-sdk/ (never into the source tree), for the
# `mcp` test label. Idempotent: does nothing when that exact lock is already installed.
# Usage: scripts/install-mcp-sdk.sh [BUILD_DIR]   (default build/)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
dest="${build}/mcp-sdk"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-mcp-sdk: node and npm are needed (scripts/deps.sh installs them); the SDK tests will be skipped" >&2
  exit 0
fi
mkdir -p "${dest}"
if cmp -s tests/mcp_sdk/package-lock.json "${dest}/package-lock.json" &&
  [ -f "${dest}/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
  exit 0
fi
cp tests/mcp_sdk/package.json tests/mcp_sdk/package-lock.json "${dest}/"
(cd "${dest}" && npm ci --no-audit --no-fund --loglevel=error)
echo "install-mcp-sdk: $(node -p "require('./${dest}/node_modules/@modelcontextprotocol/sdk/package.json').version") in ${dest} (node $(node --version))"
