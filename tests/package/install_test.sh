#!/usr/bin/env bash
# tests/package/install_test.sh <tg_*.deb>: installs the package into a throwaway root and
# checks what a user gets: the control fields, the installed tg running a real command, its
# man page and its shell completions (syntax, and `tg st<TAB>` offering start and status).
set -euo pipefail
deb=$(realpath "$1")
root=$(mktemp -d "${TMPDIR:-/tmp}/tg-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == tg ]] || fail "Package is '$(field Package)'"
[[ $(field Conflicts) == *topgit* ]] || fail "Conflicts does not name topgit"
[[ $(field Recommends) == *git* && $(field Recommends) == *graphviz* ]] ||
  fail "Recommends is '$(field Recommends)'"
version=$(field Version)
# A run-time library the binary links must be declared; a static tg needs none.
if ldd_out=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/tg > "$root/tg.bin" && \
             ldd "$root/tg.bin" 2>&1); then
  libs=$(grep -c '=>' <<<"$ldd_out" || true)
  [[ $libs -eq 0 || -n $(field Depends) ]] || fail "tg links $libs shared libraries but Depends is empty"
fi

dpkg -x "$deb" "$root/fs"
tg=$root/fs/usr/bin/tg
[[ -x $tg ]] || fail "no /usr/bin/tg in the package"
[[ $("$tg" --version) == "tg $version ("* ]] || fail "--version says '$("$tg" --version)'"
work=$root/work
mkdir -p "$work/home"
(
  cd "$work"
  export HOME=$work/home TG_AGENT=install-test
  "$tg" init >/dev/null
  "$tg" plan new "Release" >/dev/null
  id=$("$tg" task new "Ship it" --plan Release --json | grep -m1 '"hash_id"' | cut -d'"' -f4)
  [[ $("$tg" next --json) == *"$id"* ]] || fail "the installed tg does not list its new task"
)

man=$root/fs/usr/share/man/man1/tg.1.gz
gzip -t "$man" || fail "the man page is not a valid gzip file"
zcat "$man" | grep -q '^\.SS "tg start' || fail "the man page does not document tg start"
if command -v groff >/dev/null; then
  zcat "$man" | groff -man -Tutf8 -ww >/dev/null 2>"$root/groff.err"
  [[ ! -s $root/groff.err ]] || fail "groff warns about the man page: $(head -3 "$root/groff.err")"
fi

bash_comp=$root/fs/usr/share/bash-completion/completions/tg
bash -n "$bash_comp" || fail "the bash completion does not parse"
[[ -f $root/fs/usr/share/zsh/vendor-completions/_tg ]] || fail "no zsh completion"
[[ -f $root/fs/usr/share/fish/vendor_completions.d/tg.fish ]] || fail "no fish completion"
if command -v zsh >/dev/null; then zsh -n "$root/fs/usr/share/zsh/vendor-completions/_tg"; fi
offered=$(PATH="$root/fs/usr/bin:$PATH" bash -c "
  source '$bash_comp'
  COMP_WORDS=(tg st); COMP_CWORD=1; _tg
  printf '%s\n' \"\${COMPREPLY[@]}\"")
grep -qx start <<<"$offered" && grep -qx status <<<"$offered" ||
  fail "completing 'tg st' offered: $(tr '\n' ' ' <<<"$offered")"
echo "install_test: $(basename "$deb") installs and works (tg $version)"
