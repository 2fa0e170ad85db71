#!/bin/sh
# snapshot_cli.sh VTIME WORKDIR GUEST HARTS ICOUNT SAVE_AT [OPTIONS...]: the `vtime` command
# saves and restores a running machine as a user would (GUEST "-": none, the OPTIONS name
# the images, as --bios/--kernel do). Under ICOUNT (sleep=off):
#   1. a run with --savevm-at SAVE_AT:FILE prints exactly what a plain run prints;
#   2. a run with --loadvm FILE prints exactly the plain run's output from the save on, and
#      its report has the plain run's instruction count, guest time and timer count;
#   3. the file is refused, with one sentence and exit status 1, by a machine with one hart
#      more, and once a byte of it is flipped or it is cut short.
set -u
vtime=$1 work=$2 guest=$3 harts=$4 icount=$5 save_at=$6
shift 6
mkdir -p "$work" && cd "$work" || exit 1
# $guest_arg is one word or none: left unquoted on purpose.
if [ "$guest" = - ]; then guest_arg=""; else guest_arg=$guest; fi
fail() { echo "FAIL ($guest, $harts harts, $icount): $*"; exit 1; }
run() {  # run NAME ARGS...: console to NAME.log, JSON report to NAME.json
  name=$1
  shift
  "$vtime" run --smp "$harts" --icount "$icount" "$@" --report json --report-file "$name.json" $guest_arg \
    </dev/null >"$name.log" 2>"$name.err"
}
figure() { sed -n "s/^ *\"$2\": \\([0-9]*\\),\$/\\1/p" "$1.json"; }

run plain "$@" || fail "the plain run failed: $(cat plain.err)"
run saved --savevm-at "$save_at:state.snap" "$@" || fail "the saving run failed: $(cat saved.err)"
[ -s state.snap ] || fail "no snapshot was written"
cmp -s plain.log saved.log || fail "saving changed the console output"
run restored --loadvm state.snap "$@" || fail "the restored run failed: $(cat restored.err)"
n=$(wc -c <restored.log)
[ "$n" -gt 0 ] || fail "the restored run printed nothing"
[ "$n" -lt "$(wc -c <plain.log)" ] || fail "the save point is not inside the run"
tail -c "$n" plain.log | cmp -s - restored.log || fail "the restored run's output is not the plain run's from the save on"
for key in instructions guest_time_ns timers_fired; do
  [ "$(figure plain $key)" = "$(figure restored $key)" ] ||
    fail "$key: plain $(figure plain $key), restored $(figure restored $key)"
done

refused() {  # refused WHAT PATTERN ARGS...: exit status 1 and one line matching PATTERN
  what=$1 pattern=$2
  shift 2
  "$vtime" run "$@" $guest_arg </dev/null >/dev/null 2>refused.err
  status=$?
  [ "$status" -eq 1 ] || fail "$what: exit status $status, not 1"
  [ "$(wc -l <refused.err)" -eq 1 ] || fail "$what: not one line: $(cat refused.err)"
  grep -q "$pattern" refused.err || fail "$what: '$(cat refused.err)' does not say '$pattern'"
}
refused "one hart more" "saved with harts (--smp) $harts, but this machine has $((harts + 1))" \
  --smp $((harts + 1)) --icount "$icount" --loadvm state.snap "$@"
size=$(wc -c <state.snap)
cp state.snap flipped.snap
byte=$(od -An -tu1 -j $((size / 2)) -N1 state.snap)
# shellcheck disable=SC2059
printf "\\$(printf %o $((255 - byte)))" | dd of=flipped.snap bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s state.snap flipped.snap && fail "the byte was not changed"
refused "a flipped byte" "fails its checksum" --smp "$harts" --icount "$icount" --loadvm flipped.snap "$@"
head -c $((size - 3)) state.snap >short.snap
refused "a truncated file" "truncated" --smp "$harts" --icount "$icount" --loadvm short.snap "$@"
echo "ok: $guest on $harts harts under $icount, saved at $save_at, restored identically"
