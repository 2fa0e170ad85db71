#!/usr/bin/env bash
# The Debian package as a user installs it: `cpack -G DEB` in the build
# directory, `apt-get install ./vtime_*.deb`, then the installed command runs
# its embedded guest and a program builds against the installed library with
# pkg-config; the package is removed again at the end. Needs root and apt:
# exits 77 (skipped) without them.
#   check_deb.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1 work=$2
fail() { echo "check_deb: $*" >&2; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "check_deb: needs root and apt-get; skipped"
  exit 77
fi
if dpkg-query -W -f='${Status}' vtime 2>/dev/null | grep -q 'install ok installed'; then
  echo "check_deb: a vtime package is already installed; not touching it"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log") || fail "cpack failed: $(tail -3 "$work/cpack.log")"
deb=$(ls "$work"/vtime_*.deb)
trap 'apt-get remove -y vtime >/dev/null 2>&1 || true' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$work/apt.log" 2>&1 || fail "apt-get install failed: $(tail -3 "$work/apt.log")"

# The command from the package runs its embedded guest to the end.
/usr/bin/vtime run --icount shift=4,sleep=off --report json --report-file "$work/report.json" </dev/null >/dev/null ||
  fail "the installed vtime run failed"
grep -q '"exit_reason": "poweroff"' "$work/report.json" || fail "the installed vtime did not power off: $(cat "$work/report.json")"
# The library from the package, found by pkg-config in the system paths.
cat >"$work/use.cc" <<'CC'
#include <cstdio>
#include "vtime/icount/icount_options.h"
int main() {
  auto o = vtime::parse_icount_options("shift=2,sleep=off");
  std::printf("%s\n", o ? vtime::format_icount_options(*o).c_str() : "error");
}
CC
# shellcheck disable=SC2046
c++ -std=c++20 "$work/use.cc" -o "$work/use" $(pkg-config --cflags --libs vtime) || fail "building against the package failed"
[ "$("$work/use")" = "shift=2,align=off,sleep=off" ] || fail "the program printed $("$work/use")"
# Only public headers went in.
leaked=$(dpkg -L vtime | grep -E '^/usr/include/(tests|tools)/|/include/vtime/(machine|riscv|monitor)/|timer_heap\.h|board_parts\.h' || true)
[ -z "$leaked" ] || fail "the package holds non-public headers: $leaked"
echo "check_deb: $(basename "$deb") installs with apt, its vtime runs and its library links ($(dpkg -L vtime | grep -c '\.h$') headers)"
