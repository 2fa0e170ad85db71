#!/usr/bin/env bash
# Installs dependencies, builds vtime (release) and runs `vtime run` on its embedded
# default guest. Extra arguments are passed to `vtime run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
exec build/release/tools/vtime/vtime run "$@"
