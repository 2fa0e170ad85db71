#!/bin/sh
# boot_linux.sh VTIME PROBE_CPIO BUILD_LINUX HARTS MODE WORKDIR: boots the cached kernel
# (scripts/build-linux.sh) under Debian's OpenSBI with the probe as /init on HARTS harts.
#   MODE icount: twice under --icount shift=4,sleep=off with the RTC on guest time from a
#                fixed date; both runs power off with status 0, their console logs are
#                byte-identical and the probe's figures hold exactly.
#   MODE host:   once without icount (guest time is host time) and the RTC on the host's
#                wall clock; the figures that do not depend on the host's speed hold, the
#                rest within generous bounds.
# Exits 77 (skipped) when no kernel is cached. A run stops after 120 s of guest time (a
# kernel that panics instead of powering off), which leaves room for sanitizer builds.
set -u
vtime=$1 cpio=$2 build_linux=$3 harts=$4 mode=$5 work=$6
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
shift_ns=16  # icount shift=4: one instruction is 2^4 ns

image=$(bash "$build_linux" --cached) || {
  echo "skipped: no Linux kernel is cached; build it once with scripts/build-linux.sh (~7 min)"
  exit 77
}
[ -r "$firmware" ] || { echo "skipped: $firmware not found (install Debian's opensbi)"; exit 77; }
case $mode in
  icount) runs="1 2"; icount="--icount shift=4,sleep=off -rtc base=2020-01-01T00:00:00,clock=vm" ;;
  host) runs=1; icount="" ;;
  *) echo "boot_linux.sh: MODE is icount or host, not '$mode'"; exit 2 ;;
esac
mkdir -p "$work"
cd "$work" || exit 1

fail() { echo "FAIL ($harts harts, $mode): $*"; exit 1; }

for run in $runs; do
  # $icount is four words or none: left unquoted on purpose.
  # shellcheck disable=SC2086
  "$vtime" run --smp "$harts" --bios "$firmware" --kernel "$image" -initrd "$cpio" $icount \
    --time-limit 120s -append "console=ttyS0 earlycon=sbi" \
    --report json --report-file "report$run.json" </dev/null >"console$run.log"
  status=$?
  [ "$status" -eq 0 ] || { tail -n 20 "console$run.log"; fail "run $run exited with status $status"; }
  grep -q '"exit_reason": "poweroff"' "report$run.json" || fail "run $run did not power off"
done
if [ "$mode" = icount ] && ! cmp -s console1.log console2.log; then
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
below() {
  [ "$(figure "$1")" -lt "$2" ] || fail "$1=$(figure "$1") is not below $2"
}

# Whatever the host does: the clock devices, no sleep or expiry before its time, clocks
# that agree.
expect probe=done
expect "harts=$harts"
expect clocksource=riscv_clocksource
expect clockevent=riscv_timer_clockevent
expect clock_res_monotonic_ns=1
expect timer_slack_ns=50000
expect nanosleep_count=20
expect nanosleep_early=0
expect timer_early=0
expect clock_monotonic_backwards=0
expect clock_boottime_between_monotonic=1
expect busy_loop_insns=2000000
expect rtc=present
expect rtc_hctosys=1
# The clocksource counts the 10 MHz timebase: every time the probe measures is whole 100 ns ticks.
for key in nanosleep_oversleep_min_ns nanosleep_oversleep_max_ns timer_late_max_ns \
           clock_gettime_total_ns busy_loop_ns probe_start_monotonic_ns; do
  [ $(($(figure $key) % 100)) -eq 0 ] || fail "$key=$(figure $key) is not a multiple of the 100 ns tick"
done

if [ "$mode" = icount ]; then
  expect timer_signals=20
  expect timer_expirations=20
  expect timer_overruns=0
  # The busy loop takes its instruction count x 16 ns, plus the probe's own overhead: two
  # clock reads and the 250 Hz scheduler tick it lives through (under 5 %).
  busy=$(figure busy_loop_ns)
  floor=$((2000000 * shift_ns))
  [ "$busy" -ge "$floor" ] || fail "busy_loop_ns=$busy is shorter than 2000000 instructions x 16 ns"
  [ "$busy" -le $((floor + floor / 20)) ] || fail "busy_loop_ns=$busy exceeds 2000000 x 16 ns by more than 5 %"
  # Within the timer slack plus the wake-up path, well under a millisecond.
  below nanosleep_oversleep_max_ns 1000000
  below timer_late_max_ns 1000000
  expect rtc_date=2020-01-01
else
  # A loaded host may delay any one wake-up, but not by a second; the interpreter runs
  # the loop at well over 2 MIPS.
  below nanosleep_oversleep_max_ns 1000000000
  below timer_late_max_ns 1000000000
  below busy_loop_ns 1000000000
  # The RTC is the host's wall clock: within a minute of it, and the kernel set the
  # system clock from it (dropping the fraction of a second).
  rtc_s=$(figure rtc_since_epoch_s)
  host_s=$(date +%s)
  [ $((host_s - rtc_s)) -ge -60 ] && [ $((host_s - rtc_s)) -le 60 ] ||
    fail "rtc_since_epoch_s=$rtc_s is not within a minute of the host's $host_s"
  lag=$(figure realtime_minus_rtc_s)
  [ "$lag" -ge -2 ] && [ "$lag" -le 0 ] || fail "realtime_minus_rtc_s=$lag is not -2..0"
fi
echo "ok: $harts harts, $mode, $(echo $runs | wc -w) boot(s) to poweroff, $(grep -c . lines.txt) console lines"
