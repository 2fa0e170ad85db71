#!/bin/sh
# rtc_linux.sh VTIME PROBE_CPIO BUILD_LINUX WORKDIR: boots the cached kernel
# (scripts/build-linux.sh) under Debian's OpenSBI with the probe as /init, twice, under
# --icount shift=4,sleep=off with -rtc base=2020-01-01T00:00:00,clock=vm. The goldfish RTC
# then counts guest time from that date: both runs print the same date lines, the kernel
# sets the system clock from the RTC to exactly the base, and the probe reads 2020-01-01.
# Exits 77 (skipped) when no kernel is cached.
set -u
vtime=$1 cpio=$2 build_linux=$3 work=$4
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
image=$(bash "$build_linux" --cached) || {
  echo "skipped: no Linux kernel is cached; build it once with scripts/build-linux.sh (~7 min)"
  exit 77
}
[ -r "$firmware" ] || { echo "skipped: $firmware not found (install Debian's opensbi)"; exit 77; }
mkdir -p "$work"
cd "$work" || exit 1
fail() { echo "FAIL (rtc): $*"; exit 1; }

for run in 1 2; do
  "$vtime" run --bios "$firmware" --kernel "$image" -initrd "$cpio" --icount shift=4,sleep=off \
    -rtc base=2020-01-01T00:00:00,clock=vm --time-limit 120s -append "console=ttyS0 earlycon=sbi" \
    --report none </dev/null >"console$run.log" || fail "run $run exited with status $?"
  # The date lines: the kernel's and the probe's (the tty ends lines with \r\n).
  tr -d '\r' <"console$run.log" | grep -E 'setting system clock|^rtc|^realtime' |
    sed 's/^\[[ 0-9.]*\] //' >"dates$run.txt"
done
cmp -s dates1.txt dates2.txt || { diff dates1.txt dates2.txt; fail "the two runs read different dates"; }
expect() { grep -qx "$1" dates1.txt || fail "no line '$1' (got: $(tr '\n' ' ' <dates1.txt))"; }
expect "goldfish_rtc 101000.rtc: setting system clock to 2020-01-01T00:00:00 UTC (1577836800)"
expect rtc=present
expect rtc_date=2020-01-01
expect rtc_hctosys=1
expect realtime_date=2020-01-01
# The probe runs about a second of guest time after the base; the kernel drops the
# fraction of a second the RTC had counted when it set the system clock.
expect rtc_time=00:00:01
expect rtc_since_epoch_s=1577836801
expect realtime_s=1577836800
expect realtime_minus_rtc_s=-1
echo "ok: two boots read the same RTC dates from 2020-01-01T00:00:00"
