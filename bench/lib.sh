# Shared by the bench/*.sh scripts (sourced, after they set ROOT and BUILD).

say() { echo "bench: $*" >&2; }

# build_bench TARGET...: a Release build of the targets in $BUILD, unless SKIP_BUILD=1.
# -O2, not -O3: GCC 12 at -O3 reports a false -Wrestrict inside std::string (GCC bug 105329) and
# -Werror stops the build; -O2 is also what the project's default RelWithDebInfo uses.
build_bench() {
  [[ ${SKIP_BUILD:-0} == 1 ]] && return
  say "building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DBUILD_TESTING=OFF >/dev/null
  ninja -C "$BUILD" "$@" >&2
}

# need COMMAND PACKAGE: stop with a clear message when a tool is missing.
need() { command -v "$1" >/dev/null || { say "$1 (Debian package $2) is not installed"; exit 1; }; }
