#!/usr/bin/env bash
# Configures and builds tg into build/ (or $BUILD_DIR). Extra arguments go to cmake.
# BUILD_TARGETS: the ninja targets to build (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
# shellcheck disable=SC2086  # a list of target names
ninja -C "$BUILD_DIR" ${BUILD_TARGETS:-}
