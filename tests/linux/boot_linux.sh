#!/bin/sh
# boot_linux.sh VTIME PROBE_CPIO BUILD_LINUX HARTS WORKDIR: boots the cached kernel
# (scripts/build-linux.sh) under Debian's OpenSBI with the probe as /init, twice, on
# HARTS harts under icount shift=4,sleep=off. Passes when both runs power off with
# status 0, print byte-identical console logs, and the probe's figures hold exactly.
# Exits 77 (skipped) when no kernel is cached.
set -u
vtime=$1 cpio=$2 build_linux=$3 harts=$4 work=$5
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
shift_ns=16  # icount shift=4: one instruction is 2^4 ns

image=$(bash "$build_linux" --cached) || {
  echo "skipped: no Linux kernel is cached; build it once with scripts/build-linux.sh (~7 min)"
  exit 77
}
[ -r "$firmware" ] || { echo "skipped: $firmware not found (install Debian's opensbi)"; exit 77; }
mkdir -p "$work"
cd "$work" || exit 1

fail() { echo "FAIL ($harts harts): $*"; exit 1; }

boot() {
  "$vtime" run --smp "$harts" --bios "$firmware" --kernel "$image" -initrd "$cpio" \
    --icount shift=4,sleep=off --time-limit 30s -append "console=ttyS0 earlycon=sbi" \
    --report json --report-file "report$1.json" </dev/null >"console$1.log"
}

for run in 1 2; do
  boot "$run"
  status=$?
  [ "$status" -eq 0 ] || { tail -n 20 "console$run.log"; fail "run $run exited with status $status"; }
  grep -q '"exit_reason": "poweroff"' "report$run.json" || fail "run $run did not power off"
done
if ! cmp -s console1.log console2.log; then
  echo "first differing lines (run 1 <, run 2 >):"
  diff console1.log console2.log | head -n 6
  grep -h '"instructions"' report1.json report2.json
  fail "the two console logs differ"
fi

# The console's tty turns \n into \r\n; the figures are read without the \r.
tr -d '\r' <console1.log >lines.txt
# One exact line of the probe, key=value.
expect() {
  grep -qx "$1" lines.txt || fail "the probe did not print '$1' (it printed '$(grep "^${1%%=*}=" lines.txt)')"
}
# A figure as a number.
figure() {
  value=$(sed -n "s/^$1=\\(-\\{0,1\\}[0-9][0-9]*\\)\$/\\1/p" lines.txt)
  [ -n "$value" ] || fail "the probe printed no figure $1"
  echo "$value"
}

expect probe=done
expect "harts=$harts"
expect clocksource=riscv_clocksource
expect clockevent=riscv_timer_clockevent
expect clock_res_monotonic_ns=1
expect timer_slack_ns=50000
expect nanosleep_count=20
expect nanosleep_early=0
expect timer_signals=20
expect timer_expirations=20
expect timer_overruns=0
expect timer_early=0
expect clock_monotonic_backwards=0
expect clock_boottime_between_monotonic=1
expect busy_loop_insns=2000000
expect rtc=none

# The clocksource counts the 10 MHz timebase: every time the probe measures is whole 100 ns ticks.
for key in nanosleep_oversleep_min_ns nanosleep_oversleep_max_ns timer_late_max_ns \
           clock_gettime_total_ns busy_loop_ns probe_start_monotonic_ns; do
  [ $(($(figure $key) % 100)) -eq 0 ] || fail "$key=$(figure $key) is not a multiple of the 100 ns tick"
done

# The busy loop takes its instruction count x 16 ns, plus the probe's own overhead: two
# clock reads and the 250 Hz scheduler tick it lives through (under 5 %).
busy=$(figure busy_loop_ns)
floor=$((2000000 * shift_ns))
[ "$busy" -ge "$floor" ] || fail "busy_loop_ns=$busy is shorter than 2000000 instructions x 16 ns"
[ "$busy" -le $((floor + floor / 20)) ] || fail "busy_loop_ns=$busy exceeds 2000000 x 16 ns by more than 5 %"
# Sleeps and timer expiries end no earlier than asked (checked above) and within the
# timer slack plus the wake-up path, well under a millisecond.
for key in nanosleep_oversleep_max_ns timer_late_max_ns; do
  [ "$(figure $key)" -lt 1000000 ] || fail "$key=$(figure $key) is a millisecond or more"
done
echo "ok: $harts harts, two identical boots to poweroff, $(grep -c . lines.txt) console lines"
