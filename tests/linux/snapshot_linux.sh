#!/bin/sh
# snapshot_linux.sh VTIME PROBE_CPIO BUILD_LINUX SNAPSHOT_CLI HARTS WORKDIR: the cached kernel
# (scripts/build-linux.sh) boots under Debian's OpenSBI with the probe as /init, under
# --icount shift=4,sleep=off with the RTC on guest time from a fixed date (a restored board
# derives its counter from those options again); a snapshot taken at 300 ms of guest time
# (mid-boot) restores to a run whose console output and report match the plain run's from there on
# (tests/tools/snapshot/snapshot_cli.sh). Exits 77 (skipped) when no kernel is cached.
set -u
vtime=$1 cpio=$2 build_linux=$3 snapshot_cli=$4 harts=$5 work=$6
firmware=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
image=$(bash "$build_linux" --cached) || {
  echo "skipped: no Linux kernel is cached; build it once with scripts/build-linux.sh (~7 min)"
  exit 77
}
[ -r "$firmware" ] || { echo "skipped: $firmware not found (install Debian's opensbi)"; exit 77; }
exec sh "$snapshot_cli" "$vtime" "$work" - "$harts" shift=4,sleep=off 300ms \
  --bios "$firmware" --kernel "$image" -initrd "$cpio" -rtc base=2020-01-01T00:00:00,clock=vm --time-limit 120s -append "console=ttyS0 earlycon=sbi"
