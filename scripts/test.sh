#!/usr/bin/env bash
# Installs dependencies, builds vtime, and runs every test: the release build
# first, then the same suite under AddressSanitizer+UndefinedBehaviorSanitizer,
# then the multi-threaded test sets (named *_threads) under ThreadSanitizer, then
# (when clang 14 and its libFuzzer are installed) a 60 s smoke run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
start=$SECONDS

# The Linux guest's kernel: built once into a cache outside the clone
# (about 7 minutes cold), reused afterwards; the Linux tests boot it.
bash scripts/build-linux.sh

for preset in release asan; do
  echo "=== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== $preset: test"
  ctest --preset "$preset" -j "$jobs"
done

echo "=== tsan: configure and build the threaded test sets"
cmake --preset tsan >/dev/null
mapfile -t thread_targets < <(ninja -C build/tsan -t targets all | sed -n 's/^\([a-z_]*_threads_tests\): .*/\1/p' | sort -u)
if ((${#thread_targets[@]})); then
  cmake --build --preset tsan -j "$jobs" --target "${thread_targets[@]}"
  echo "=== tsan: test"
  ctest --preset tsan -j "$jobs"
fi
if command -v clang++-14 >/dev/null && [[ -n $(find /usr/lib/llvm-14 -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null) ]]; then
  echo "=== fuzz: smoke run of every target (fixed seed, checked-in corpus)"
  bash scripts/fuzz.sh smoke 60
fi
echo "=== all tests passed in $((SECONDS - start)) s"
