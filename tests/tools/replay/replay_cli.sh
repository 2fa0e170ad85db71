#!/bin/sh
# replay_cli.sh VTIME WORKDIR GUEST [OPTIONS...]: a run under --icount shift=4 (sleep=on:
# guest time follows the host while every hart idles, so what the guest measures depends
# on the host) is recorded once and replayed: the replay prints exactly the same, with the
# same instruction count and guest time, without waiting for the host (its idle host time
# is under half the recording's, which must have idled at least 10 ms). With RR_SNAPSHOT=FILE
# both runs add rrsnapshot=FILE: the recording saves it first, the replay starts from it. GUEST "-": none, the OPTIONS name the images.
set -u
vtime=$1 work=$2 guest=$3
shift 3
mkdir -p "$work" && cd "$work" || exit 1
# $guest_arg is one word or none: left unquoted on purpose.
if [ "$guest" = - ]; then guest_arg=""; else guest_arg=$guest; fi
fail() { echo "FAIL: $*"; exit 1; }
figure() { sed -n "s/^ *\"$2\": \\([0-9]*\\),\$/\\1/p" "$1.json"; }
run() {
  mode=$1
  shift
  "$vtime" run --icount "shift=4,rr=$mode,rrfile=session.rr${RR_SNAPSHOT:+,rrsnapshot=$RR_SNAPSHOT}" "$@" --report json --report-file "$mode.json" \
    $guest_arg </dev/null >"$mode.log" 2>"$mode.err" || fail "$mode: $(cat "$mode.err")"
}
run record "$@"
if [ -n "${RR_SNAPSHOT:-}" ]; then
  [ -s "$RR_SNAPSHOT" ] || fail "the recording did not save $RR_SNAPSHOT"
fi
run replay "$@"
cmp -s record.log replay.log || { diff record.log replay.log | head; fail "the replay printed something else"; }
for key in instructions guest_time_ns; do
  [ "$(figure record $key)" = "$(figure replay $key)" ] || fail "$key: recorded $(figure record $key), replayed $(figure replay $key)"
done
idle_rec=$(figure record host_idle_ns) idle_rep=$(figure replay host_idle_ns)
[ "$idle_rec" -gt 10000000 ] || fail "the recording hardly idled ($idle_rec ns): nothing host-dependent to replay"
[ $((idle_rep * 2)) -lt "$idle_rec" ] || fail "the replay idled $idle_rep ns of host time, the recording $idle_rec"
echo "ok: $(grep -c . record.log) lines replayed identically"
