#!/bin/sh
# idle_replay.sh VTIME GUEST WORKDIR: the idle_latency guest under --icount shift=4 (sleep=on)
# waits in wfi for 300 timer interrupts and prints the latencies it measured: figures that
# depend on how the host woke up. Recorded once, its replay prints exactly the same, with
# the same instruction count and guest time, without waiting for the host (it must take
# under half the recording's host time).
set -u
vtime=$1 guest=$2 work=$3
mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
figure() { sed -n "s/^ *\"$2\": \\([0-9]*\\),\$/\\1/p" "$1.json"; }
run() {
  "$vtime" run --icount "shift=4,rr=$1,rrfile=idle.rr" -append "count=300 period_us=1000 latency=on" \
    --report json --report-file "$1.json" "$guest" </dev/null >"$1.log" 2>"$1.err" || fail "$1: $(cat "$1.err")"
}
run record
run replay
cmp -s record.log replay.log || { diff record.log replay.log | head; fail "the replay printed something else"; }
for key in instructions guest_time_ns; do
  [ "$(figure record $key)" = "$(figure replay $key)" ] || fail "$key: recorded $(figure record $key), replayed $(figure replay $key)"
done
[ $(($(figure replay host_time_ns) * 2)) -lt "$(figure record host_time_ns)" ] ||
  fail "the replay took $(figure replay host_time_ns) ns of host time, the recording $(figure record host_time_ns)"
echo "ok: $(grep -c . record.log) lines replayed identically"
