#!/usr/bin/env bash
# libvtime alone, as shared libraries: configure the library without the board,
# the command, the tests or the guests (so it needs only the C++ standard
# library and fmt), build it with BUILD_SHARED_LIBS=ON, then check the
# installed package as check_package.sh does (the example through
# find_package, a program through pkg-config, and the exported symbols).
#   check_shared_package.sh SOURCE_DIR WORK_DIR
set -euo pipefail
src=$1 work=$2
rm -rf "$work" && mkdir -p "$work"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
      -DVTIME_BUILD_BOARD=OFF -DVTIME_BUILD_TOOLS=OFF -DVTIME_BUILD_TESTS=OFF -DVTIME_BUILD_BENCH=OFF \
      -DVTIME_BUILD_GUESTS=OFF "${launcher[@]}" >"$work/configure.log"
cmake --build "$work/build" -j 2 >"$work/build.log"
ls "$work"/build/vtime/*/libvtime_*.so >/dev/null || { echo "check_shared_package: no shared libraries built" >&2; exit 1; }
bash "$src/tests/package/check_package.sh" "$work/build" "$src" "$work/package"
