#!/usr/bin/env bash
# Fuzzing with libFuzzer (docs/fuzzing.md); builds the fuzz preset first.
#   fuzz.sh TARGET MINUTES [libFuzzer flags...]   a local campaign on one target
#   fuzz.sh smoke [SECONDS]                       every target for SECONDS (default 40),
#                                                 two at a time, fixed seed; fails on any finding
# Targets: board device hart loader options clock_state monitor device_tree snapshot replay. A campaign reads the
# checked-in corpus fuzz/corpus/TARGET and writes what it finds (new inputs,
# crash-*/timeout-* artifacts) under build/fuzz/campaign/TARGET (the smoke run under
# build/fuzz/smoke/TARGET), never into the tree.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(board device hart loader options clock_state monitor device_tree snapshot replay)

build() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target "${@/#/fuzz_}"
}

# run ROOT TARGET SECONDS SEED [flags...]: one libFuzzer run in ROOT/TARGET (log, corpus, artifacts).
run() {
  local target=$2 seconds=$3 seed=$4 work=$1/$2
  shift 4
  mkdir -p "$work/corpus" "$work/artifacts"
  build/fuzz/fuzz/fuzz_"$target" -max_total_time="$seconds" -seed="$seed" -timeout=25 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$@" "$work/corpus" "fuzz/corpus/$target" >"$work/log" 2>&1
}

summary() {  # ROOT TARGET: the figures the report asks for, from a finished log
  local log=$1/$2/log
  local last runs rate
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "$2: ${runs:-?} executions, ${rate:-?} exec/s, $(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last" | tail -1)"
}

if [[ ${1:-} == smoke ]]; then
  seconds=${2:-40} root=build/fuzz/smoke
  build "${targets[@]}"
  failed=()
  for ((i = 0; i < ${#targets[@]}; i += 2)); do
    pids=()
    for t in "${targets[@]:i:2}"; do
      rm -rf "${root:?}/$t"
      run "$root" "$t" "$seconds" 1 & pids+=("$!:$t")
    done
    for p in "${pids[@]}"; do
      if wait "${p%%:*}"; then summary "$root" "${p#*:}"; else failed+=("${p#*:}"); fi
    done
  done
  for t in "${failed[@]}"; do
    echo "=== fuzz smoke: finding in $t (artifacts in $root/$t/artifacts):"
    grep -E 'fuzz invariant broken|ERROR: |runtime error|SUMMARY' "$root/$t/log" | head -5
  done
  ((${#failed[@]} == 0))
  exit
fi

if (($# < 2)); then
  echo "usage: fuzz.sh TARGET MINUTES [libFuzzer flags...] | fuzz.sh smoke [SECONDS]" >&2
  exit 2
fi
target=$1 minutes=$2
shift 2
if [[ ! " ${targets[*]} " == *" $target "* ]]; then
  echo "fuzz.sh: unknown target '$target' (one of: ${targets[*]})" >&2
  exit 2
fi
build "$target"
status=0
run build/fuzz/campaign "$target" $((minutes * 60)) "$RANDOM" "$@" || status=$?
summary build/fuzz/campaign "$target"
if ((status != 0)); then
  echo "finding: see build/fuzz/campaign/$target/log and artifacts/; reproduce with"
  echo "  build/fuzz/fuzz/fuzz_$target build/fuzz/campaign/$target/artifacts/<file>"
fi
echo "to keep new coverage: build/fuzz/fuzz/fuzz_$target -merge=1 fuzz/corpus/$target build/fuzz/campaign/$target/corpus"
exit "$status"
