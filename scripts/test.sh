#!/usr/bin/env bash
# Installs dependencies, builds vtime, and runs every test: the release build first,
# then the same suite under AddressSanitizer+UndefinedBehaviorSanitizer, then the
# multi-threaded tests under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
for preset in release asan tsan; do
  echo "=== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "=== $preset: test"
  ctest --preset "$preset" -j "$jobs"
done
