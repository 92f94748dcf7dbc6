# Shared by the bench/*.sh scripts (sourced, after they set ROOT and BUILD).

say() { echo "bench: $*" >&2; }

# build_bench TARGET...: a Release build of the targets in $BUILD, unless SKIP_BUILD=1.
# -O2 rather than Release's -O3: it is what the project's default RelWithDebInfo build uses,
# and it keeps these figures comparable with the earlier reports.
build_bench() {
  [[ ${SKIP_BUILD:-0} == 1 ]] && return
  say "building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DBUILD_TESTING=OFF >/dev/null
  ninja -C "$BUILD" "$@" >&2
}

# need COMMAND PACKAGE: stop with a clear message when a tool is missing.
need() { command -v "$1" >/dev/null || { say "$1 (Debian package $2) is not installed"; exit 1; }; }
