#!/usr/bin/env bash
# Installs dependencies, builds the `vtime` command (release) and runs `vtime run` on its
# embedded default guest. Extra arguments are passed to `vtime run`. Only the `vtime` target
# and what it links are built, not the tests, so a first run does not wait for the whole tree.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target vtime
exec build/release/tools/vtime/vtime run "$@"
