#!/usr/bin/env bash
# The installed package as another project meets it: install the build into a
# fresh prefix, check what is (and is not) in it, then build the regmachine
# example as a separate CMake project with find_package(vtime), and a one-file
# program with pkg-config, and run them.
#   check_package.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
build=$1 src=$2 work=$3
fail() { echo "check_package: $*" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

[ -f "$prefix/lib/cmake/vtime/vtimeConfig.cmake" ] || fail "no vtimeConfig.cmake"
[ -f "$prefix/lib/cmake/vtime/vtimeConfigVersion.cmake" ] || fail "no version file"
[ -f "$prefix/lib/pkgconfig/vtime.pc" ] || fail "no vtime.pc"
for lib in time clock timer icount devices; do
  [ -f "$prefix/lib/libvtime_$lib.a" ] || [ -f "$prefix/lib/libvtime_$lib.so" ] || fail "no libvtime_$lib"
done
# Only libvtime's public headers: nothing of the tests, the command, the
# board, or the internal headers.
leaked=$(cd "$prefix/include" && find . -name '*.h' | grep -E '^./(tests|tools)/|/(machine|riscv|monitor)/|board_parts\.h|timer_heap\.h|spin_lock\.h|timer_list\.h|hpet_comparator\.h' || true)
[ -z "$leaked" ] || fail "installed headers that are not public: $leaked"
# Shared libraries export names in namespace vtime only (cmake/vtime.map): no
# fmt or std instantiations.
for so in "$prefix"/lib/libvtime_*.so; do
  [ -e "$so" ] || continue
  foreign=$(nm -DC --defined-only "$so" | grep -Ev ' (vtime::|typeinfo for vtime::|typeinfo name for vtime::|vtable for vtime::|VTT for vtime::|(non-)?virtual thunk to vtime::)' || true)
  [ -z "$foreign" ] || fail "$(basename "$so") exports symbols outside libvtime's API: $(head -3 <<<"$foreign")"
done
headers=$(cd "$prefix/include" && find vtime -name '*.h' | wc -l)
echo "installed: $headers public headers, $(ls "$prefix"/lib/libvtime_* | wc -l) libraries"

# The example, as its own project against the installed package.
cmake -S "$src/examples/regmachine" -B "$work/regmachine" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/regmachine" >/dev/null
"$work/regmachine/regmachine" "shift=3,sleep=off" > "$work/sleep_off.txt"
head -n 11 "$work/sleep_off.txt" | diff -u "$src/examples/regmachine/expected.txt" - || fail "sleep=off output differs"
"$work/regmachine/regmachine" "shift=3,sleep=off" | head -n 11 | cmp -s - "$src/examples/regmachine/expected.txt" ||
  fail "a second sleep=off run differs"
# align=on: the example's own report shows the lead stayed under the threshold.
"$work/regmachine/regmachine" "shift=0,align=on" > "$work/align.txt"
grep -q '^r7 = 5$' "$work/align.txt" || fail "align=on run did not finish: $(cat "$work/align.txt")"
lead=$(sed -n 's/^Max guest advance *\([0-9.]*\) ms$/\1/p' "$work/align.txt")
[ -n "$lead" ] || fail "no 'Max guest advance' line: $(cat "$work/align.txt")"
awk -v l="$lead" 'BEGIN { exit !(l < 3) }' || fail "lead $lead ms is not under the 3 ms align threshold"

# Without CMake: pkg-config's flags build a program against libvtime.
cat > "$work/pc.cc" <<'CC'
#include <cstdio>
#include "vtime/icount/icount_options.h"
int main() {
  auto o = vtime::parse_icount_options("shift=4,sleep=off");
  std::printf("%s\n", o ? vtime::format_icount_options(*o).c_str() : "error");
}
CC
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046
c++ "$work/pc.cc" -o "$work/pc" $(pkg-config --cflags --libs vtime)
# The prefix is not on the loader's path: name it for shared libraries.
export LD_LIBRARY_PATH=$prefix/lib
[ "$("$work/pc")" = "shift=4,align=off,sleep=off" ] || fail "the pkg-config program printed $("$work/pc")"
echo "check_package: the installed package works from CMake and from pkg-config"
